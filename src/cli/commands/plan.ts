import { UsageError } from '../../core/errors.js';
import { classOfFindings, compareFindings } from '../../core/finding.js';
import { ruleKey } from '../../core/rule.js';
import { ASSESSMENT_SCHEMA, loadConfig, unassessedOf, type Assessment } from '../../engine/assess.js';
import { defaultConfig } from '../../core/config.js';
import { evaluateGate } from '../../engine/gate.js';
import { RuleRunner } from '../../engine/runner.js';
import { coreRules, unusedSuppression } from '../../surfaces/core/rules/index.js';
import { applySuppressions } from '../../engine/suppress.js';
import { defineCommand } from '../define.js';
import { ASSESSMENT_OUTPUT, colorWanted, outputWidth, NO_COLOR, CONFIG, ENV, FAIL_ON } from '../flags.js';

export const command = defineCommand({
  name: 'plan',
  usage: ['rollwright plan PLAN.json [flags]'],
  description: `Classify a Terraform or OpenTofu plan JSON (\`terraform show -json PLAN > plan.json\`,
\`tofu show -json PLAN > plan.json\`): every delete, replace, import, move, forget, drift, IAM and
network change, with the resources that depend on what is replaced or deleted. The plan is read as a
stream (format_version 1.x), never whole.`,
  args: [{ name: 'PLAN.json', description: 'the plan JSON; - reads standard input' }],
  options: {
    env: {
      ...ENV,
      description:
        'environment of the change (prod requires a declaration: use `rollwright assess --plan` to assess a plan with its pull request)',
    },
    config: { ...CONFIG, defaultText: 'none', description: 'config file (rule settings)' },
    'fail-on': FAIL_ON,
    output: ASSESSMENT_OUTPUT,
    'no-color': NO_COLOR,
  },
  exitCodes: {
    0: 'the gate passed',
    1: 'the gate failed',
    2: 'usage or input error',
    3: 'internal error',
  },
  async run(opts, args) {
    if (args.length !== 1)
      throw new UsageError(
        args.length === 0 ? 'give the plan JSON to read: rollwright plan PLAN.json' : 'give one plan JSON at a time',
      );
    const file = args[0]!;
    // The registry (every surface) is loaded only for a config file: to validate its rule keys and to
    // apply its ignore entries.
    const registry = opts.config !== undefined ? (await import('../../registry.js')).allRules() : undefined;
    const config = registry !== undefined ? await loadConfig(noRepository, opts.config!, registry) : defaultConfig();
    const runner = new RuleRunner(config);
    const [{ assessPlanFile }, { planRules }] = await Promise.all([
      import('../../surfaces/terraform/plan/index.js'),
      import('../../surfaces/terraform/rules/index.js'),
    ]);
    const plan = await assessPlanFile(file, {
      config,
      run: (r, c) => runner.run(r, c, { file, line: 1 }),
      reporter: (rule) => runner.reporter(rule),
    });
    let findings = runner.findings;
    if (registry !== undefined && config.ignore.some((e) => e.rules !== undefined)) {
      // The config's ignore entries that name rules own the plan's findings as they do in
      // `assess --plan` (matched against the plan's path as given). A plan has no declaration and no
      // inline comments: accepting one finding of a production change is `assess --plan`'s, with the
      // change's declaration.
      const owned = applySuppressions({
        findings,
        declaration: null,
        config,
        files: [],
        rules: new Map(registry.map((r) => [ruleKey(r), r])),
      });
      const stale = runner.reporter(unusedSuppression);
      const before = runner.findings.length;
      for (const st of owned.stale) stale(st.messageId, st.data, { file: st.file, line: st.line });
      findings = [...owned.findings, ...runner.findings.slice(before)];
    }
    findings.sort(compareFindings);
    const cls = classOfFindings(findings);
    const environments = opts.env !== undefined ? [opts.env] : [];
    const gate = evaluateGate({
      inferred: cls,
      findings,
      declaration: null,
      declarationProblems: [],
      environments,
      config,
      // Only the engine's rules and the plan rules report here.
      blocking: new Set([...coreRules, ...planRules].filter((r) => r.blocksGate).map((r) => ruleKey(r))),
      ...(opts.failOn !== undefined ? { failOn: opts.failOn } : {}),
    });
    const a: Assessment = {
      schema: ASSESSMENT_SCHEMA,
      base: plan.terraformVersion ?? 'unknown',
      head: 'plan',
      class: cls,
      unassessed: unassessedOf(findings),
      findings,
      declaration: null,
      gate,
      environments,
      skipped: [],
      stats: { filesChanged: 0, filesRead: 1, bytesRead: plan.bytes },
    };
    const { renderAs: render } = await import('../../reporters/load.js');
    return {
      stdout: await render(a, opts.output, { color: colorWanted(opts.noColor), width: outputWidth() }),
      exitCode: gate.passed ? 0 : 1,
    };
  },
});

/** `--config FILE` is read from disk; nothing is read from a repository. */
const noRepository = {
  readText: async () => undefined,
  listDir: async () => [],
  grep: async () => [],
};
