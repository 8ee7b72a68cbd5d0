import { UsageError } from '../../core/errors.js';
import { STORE_HELP } from '../store-options.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';
import { colorWanted } from './assess.js';

export const FORMATS = ['text', 'json', 'markdown'] as const;

export const help = `Usage: rollwright decide --change <sha|A..B|change id> [--env NAME] [--fact name=value ...]
                         [--at TIME] [-o text|json|markdown] [flags]

Production is degraded and a change is suspected: choose the safest transition from the current
state to a verified healthy one. rollwright assesses the change with every surface, reads the ledger
(when it was deployed, which windows are open, which phases passed, pauses in place), the repository
(the Argo CD Applications and Flux Kustomizations/HelmReleases that reconcile the changed paths and
whether they self-heal, feature flags, progressive rollouts, Terraform workspaces) and the facts you
state, walks the seven questions of the incident decision, and prints the transition, the rationale
(each answer and where it came from), the runbook with exact commands, and the evidence still owed.

On a terminal, facts the decision needs and cannot infer are asked, each with what its answers do;
otherwise they are assumed (the safe value) and listed under assumptions. With an incident in the
ledger, the decision is recorded as a decision.made event (transition, class, rationale, assumptions).

Flags:
      --change CHANGE     the suspected change: a commit (against its first parent), a range A..B
                          (no merges), or a change id (Change-Id trailer, declaration file, or the
                          commit the ledger recorded for it)
      --env NAME          the environment (default: the declaration's, else the paths')
      --fact NAME=VALUE   a fact you know (repeatable): loop-repeating-damage, rollout-in-progress,
                          flag-contains-impact, state-drift, data-changed, reads-switched,
                          external-effects, backup-available, artifact-available, previous-artifact,
                          policy-denies-old, secret-compromised, old-secret-revoked, old-iam-over-broad,
                          window-open, crds-compatible, gitops-path-available; values yes/no
                          (previous-artifact: a digest)
      --at TIME           decide as of TIME: windows, deployments and pauses as they stood then, and the
                          time the decision is recorded (ISO 8601 with a zone; default: now)
      --incident ID       the incident (default: the latest incident.detected naming the change)
      --strict            refuse to decide on assumptions: exit 1 and list the facts to state
      --no-record         do not record the decision in the ledger
      --plan FILE         also assess a Terraform/OpenTofu plan JSON of the change (terraform show -json)
      --config FILE       config file (default: .rollwright.yaml at HEAD)
      --actor NAME        who decides, for the ledger (default: ROLLWRIGHT_ACTOR, else the user)
${STORE_HELP}
                          (a missing ledger is read as none)
      --repo DIR          the repository (default: .)
  -o, --output FORMAT     text (default), json (schema rollwright.decision/v1) or markdown
  -h, --help              show this help

Exit codes: 0 decided (whatever the transition, a refused rollback with its alternative included),
1 --strict refused to decide on assumptions (nothing recorded), or the ledger's chain is broken (the
decision is printed, not recorded), 2 usage or input error (an unknown
change, a range with merges, an unknown fact or a value of the wrong type, an unknown incident;
nothing recorded), 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      change: { type: 'string' },
      env: { type: 'string' },
      fact: { type: 'string', multiple: true },
      at: { type: 'string' },
      incident: { type: 'string' },
      strict: { type: 'boolean' },
      'no-record': { type: 'boolean' },
      plan: { type: 'string' },
      config: { type: 'string' },
      actor: { type: 'string' },
      store: { type: 'string' },
      repo: { type: 'string' },
      verbose: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  if (positionals.length)
    throw new UsageError(`decide takes no arguments (got ${positionals.join(' ')}); name the change with --change`);
  const format = oneOf('--output', values.output as string | undefined, FORMATS, 'text');
  const change = values.change as string | undefined;
  if (change === undefined || change.trim() === '')
    throw new UsageError('decide needs --change <sha|A..B|change id>: the change suspected of the damage');

  const [{ parseFacts, factSpec }, { timeFlag }, { actorOf }] = await Promise.all([
    import('../../engine/decide/facts.js'),
    import('../ledger-support.js'),
    import('../../ledger/record.js'),
  ]);
  const facts = parseFacts((values.fact as string[] | undefined) ?? []);
  const at = timeFlag('--at', values.at as string | undefined, true);
  const record = !values['no-record'];
  if (record && at !== undefined && Date.parse(at) > Date.now())
    throw new UsageError('--at is in the future: a decision cannot be recorded then; add --no-record to look ahead');
  if (record) actorOf(values.actor as string | undefined);
  const repo = (values.repo as string | undefined) ?? '.';

  // The store as every ledger command resolves it (--store, ROLLWRIGHT_STORE, the config, the default
  // for this repository), handed to the engine as a resolved --store.
  const [{ resolveLedgerStore }, { storeText, describeStore }] = await Promise.all([
    import('../store-resolution.js'),
    import('../../ledger/store-spec.js'),
  ]);
  const store = await resolveLedgerStore(values);
  const { gatherDecisionInput } = await import('../../engine/decide/gather/index.js');
  const gatherOptions = {
    repo,
    change,
    facts,
    ...(values.env !== undefined ? { env: values.env as string } : {}),
    ...(at !== undefined ? { at } : {}),
    ...(values.incident !== undefined ? { incident: values.incident as string } : {}),
    store: storeText(store.spec),
    ...(values.config !== undefined ? { configFile: values.config as string } : {}),
    ...(values.plan !== undefined ? { plan: values.plan as string } : {}),
  };
  const { interactive, askFacts } = await import('../prompt.js');
  const { confirmCommits } = await import('../decide-change.js');
  const g = await confirmCommits(await gatherDecisionInput(gatherOptions), gatherOptions, interactive());
  const { decide, unresolvedFacts } = await import('../../engine/decide/decide.js');

  // On a terminal, ask what the decision needs; an answer may raise the next question, so ask again
  // until nothing new is unresolved.
  if (interactive()) {
    const asked = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const open = unresolvedFacts(g.input).filter((n) => !asked.has(n));
      if (open.length === 0) break;
      for (const n of open) asked.add(n);
      const answers = await askFacts(
        open.map((n) => factSpec(n)!),
        { input: process.stdin, output: process.stderr },
      );
      if (answers.size === 0) break;
      const merged = new Map(g.input.facts);
      for (const [k, v] of answers) merged.set(k, v);
      g.input = { ...g.input, facts: merged };
    }
  }

  if (values.strict) {
    const open = unresolvedFacts(g.input);
    if (open.length) {
      const lines = open.map((n) => {
        const s = factSpec(n)!;
        return `  --fact ${n}=${s.type === 'boolean' ? 'yes|no' : 'VALUE'}   ${s.question}`;
      });
      process.stderr.write(
        `rollwright: --strict: the decision about ${g.input.change} would rest on ${open.length === 1 ? 'an assumption' : `${open.length} assumptions`}; state ${open.length === 1 ? 'it' : 'them'}:\n${lines.join('\n')}\nNothing was recorded.\n`,
      );
      return { stdout: '', exitCode: 1 };
    }
  }

  const decision = decide(g.input);
  const { renderDecision } = await import('../../reporters/decision.js');
  const stdout = renderDecision(decision, format, { color: colorWanted() });

  if (!record) return { stdout, exitCode: 0 };
  if (g.store === null) {
    process.stderr.write(
      `rollwright: no ledger at ${describeStore(store.spec)} (${store.origin}): the decision was not recorded, and it was made ` +
        'without a deployment record (no window known to be open, no phase known to have passed).\n' +
        `  Record the incident with \`rollwright record incident.detected --incident ID --change ${ledgerChangeName(g)}\`, then run decide again (or pass --store).\n`,
    );
    return { stdout, exitCode: 0 };
  }
  if (g.incident === null) {
    process.stderr.write(
      `rollwright: no incident in the ledger names ${ledgerChangeName(g)}: the decision was not recorded.\n` +
        `  Record it with \`rollwright record incident.detected --incident ID --change ${ledgerChangeName(g)}\`, or pass --incident ID.\n`,
    );
    return { stdout, exitCode: 0 };
  }

  const [{ Ledger }, { recordEvent }, { decisionPayload }] = await Promise.all([
    import('../../ledger/store.js'),
    import('../../ledger/record.js'),
    import('../../engine/decide/record.js'),
  ]);
  const payload = decisionPayload(decision, g.input.facts);
  // A decision that cannot be recorded (a broken chain, a store gone away) is still printed: the
  // incident needs it; the failure is named on stderr and sets the exit code, and nothing is written.
  try {
    const ledger = await Ledger.open(g.store, { create: false });
    try {
      const e = await recordEvent(ledger, {
        type: 'decision.made',
        incident: g.incident,
        ...(at !== undefined ? { at } : {}),
        ...(values.actor !== undefined ? { actor: values.actor as string } : {}),
        payload,
      });
      process.stderr.write(
        `rollwright: recorded decision.made #${e.seq} (${decision.transition}) for incident ${g.incident} in ${ledger.where}\n`,
      );
    } finally {
      await ledger.close();
    }
  } catch (e) {
    const { exitCodeOf, RollwrightError } = await import('../../core/errors.js');
    if (!(e instanceof RollwrightError)) throw e;
    process.stderr.write(`rollwright: the decision was not recorded: ${e.message}\n`);
    return { stdout, exitCode: exitCodeOf(e) };
  }
  return { stdout, exitCode: 0 };
}

function ledgerChangeName(g: { input: { change: string; declaration: { id?: string } | null } }): string {
  const id = g.input.declaration?.id ?? g.input.change;
  return /^[A-Za-z0-9._:/@+-]+$/.test(id) ? id : JSON.stringify(id);
}
