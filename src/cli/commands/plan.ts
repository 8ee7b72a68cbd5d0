import { ROLLBACK_CLASSES, isRollbackClass, worst } from '../../core/classes.js';
import { UsageError } from '../../core/errors.js';
import { compareFindings } from '../../core/finding.js';
import { ruleKey } from '../../core/rule.js';
import { ASSESSMENT_SCHEMA, loadConfig, type Assessment } from '../../engine/assess.js';
import { defaultConfig } from '../../core/config.js';
import { evaluateGate } from '../../engine/gate.js';
import { RuleRunner } from '../../engine/runner.js';
import { coreRules } from '../../surfaces/core/rules/index.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';
import { colorWanted, FORMATS } from './assess.js';

export const help = `Usage: rollwright plan PLAN.json [flags]

Classify a Terraform or OpenTofu plan JSON (\`terraform show -json PLAN > plan.json\`,
\`tofu show -json PLAN > plan.json\`; - reads standard input): every delete, replace, import,
move, forget, drift, IAM and network change, with the resources that depend on what is
replaced or deleted. The plan is read as a stream (format_version 1.x), never whole.

Flags:
      --env NAME          environment of the change (prod requires a declaration: use
                          \`rollwright assess --plan\` to assess a plan with its pull request)
      --config FILE       config file (rule settings; default: none)
      --fail-on CLASS     also fail when the class is at or worse than CLASS
  -o, --output FORMAT     text (default), json, markdown or sarif
  -h, --help              show this help

Exit codes: 0 the gate passed, 1 the gate failed, 2 usage or input error, 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      env: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, FORMATS, 'text');
  const failOn = values['fail-on'] as string | undefined;
  if (failOn !== undefined && !isRollbackClass(failOn))
    throw new UsageError(
      `--fail-on: ${JSON.stringify(failOn)} is not a rollback class (${ROLLBACK_CLASSES.join(', ')})`,
    );
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'give the plan JSON to read: rollwright plan PLAN.json'
        : 'give one plan JSON at a time',
    );
  const file = positionals[0]!;
  // The registry (every surface) is loaded only to validate the rule keys of a config file.
  const config =
    values.config !== undefined
      ? await loadConfig(noRepository, values.config as string, (await import('../../registry.js')).allRules())
      : defaultConfig();
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
  const findings = runner.findings.sort(compareFindings);
  const cls = worst(findings.map((f) => f.class));
  const environments = values.env !== undefined ? [values.env as string] : [];
  const gate = evaluateGate({
    inferred: cls,
    findings,
    declaration: null,
    declarationProblems: [],
    environments,
    config,
    // Only the engine's rules and the plan rules report here.
    blocking: new Set([...coreRules, ...planRules].filter((r) => r.blocksGate).map((r) => ruleKey(r))),
    ...(failOn !== undefined && isRollbackClass(failOn) ? { failOn } : {}),
  });
  const a: Assessment = {
    schema: ASSESSMENT_SCHEMA,
    base: plan.terraformVersion ?? 'unknown',
    head: 'plan',
    class: cls,
    findings,
    declaration: null,
    gate,
    environments,
    skipped: [],
    stats: { filesChanged: 0, filesRead: 1, bytesRead: plan.bytes },
  };
  const { renderAs: render } = await import('../../reporters/load.js');
  return { stdout: await render(a, format, { color: colorWanted() }), exitCode: gate.passed ? 0 : 1 };
}

/** `--config FILE` is read from disk; nothing is read from a repository. */
const noRepository = {
  readText: async () => undefined,
  listDir: async () => [],
  grep: async () => [],
};
