import { UsageError } from '../../core/errors.js';
import { FACTS, factSpec, parseFacts } from '../../engine/decide/facts.js';
import type { CommandResult } from '../command.js';
import { defineCommand, type OptionTable, type OptionValues } from '../define.js';
import { ACTOR, AT, colorWanted, NO_COLOR, CONFIG, ENV, outputOption } from '../flags.js';
import { STORE_OPTIONS } from '../store-options.js';
import { seconds } from './check-targets.js';

const OPTIONS = {
  change: {
    type: 'string',
    metavar: 'CHANGE',
    description:
      'the suspected change: a commit (against its first parent), a range A..B (no merges), or a change id (Change-Id trailer, declaration file, or the commit the ledger recorded for it)',
    details:
      'a merge commit is refused, and so is a range holding a merge (named). A change id names the commits with a Change-Id: trailer naming it, else those that added or edited its declaration file at HEAD, else the commit= the ledger recorded with change.merged or change.deployed; nothing matching is exit 2',
  },
  env: { ...ENV, defaultText: "the declaration's, else the paths'", description: 'the environment' },
  fact: {
    type: 'string',
    metavar: 'NAME=VALUE',
    repeatable: true,
    description: `a fact you know: ${FACTS.map((f) => f.name).join(', ')}; values yes/no (previous-artifact: a digest)`,
    details: 'an unknown name or a value of the wrong type is exit 2',
  },
  at: {
    ...AT,
    description:
      'decide as of TIME: windows, deployments and pauses as they stood then, and the time the decision is recorded (ISO 8601 with a zone)',
    details: 'a time in the future needs --no-record',
  },
  incident: {
    type: 'string',
    metavar: 'ID',
    defaultText: 'the latest incident.detected naming the change',
    description: 'the incident to record the decision for',
    details: 'an unknown incident is exit 2',
  },
  strict: { type: 'boolean', description: 'refuse to decide on assumptions: exit 1 and list the facts to state' },
  'no-record': { type: 'boolean', description: 'do not record the decision in the ledger' },
  plan: {
    type: 'string',
    metavar: 'FILE',
    description: 'also assess a Terraform/OpenTofu plan JSON of the change (terraform show -json)',
    details: 'IAM and network changes are read from plans',
  },
  offline: {
    type: 'boolean',
    env: 'ROLLWRIGHT_OFFLINE',
    description:
      'check no rollback target live: the previous images, chart versions and module refs are not looked up in their registries',
    details: 'the answer is "unknown", said so, and the assumption is listed',
  },
  timeout: {
    type: 'string',
    metavar: 'SECONDS',
    defaultText: '10',
    parse: seconds,
    description: 'per live request to a registry, chart repository or git remote',
  },
  config: { ...CONFIG, defaultText: '.rollwright.yaml at HEAD' },
  actor: { ...ACTOR, description: 'who decides, for the ledger' },
  ...STORE_OPTIONS,
  store: {
    ...STORE_OPTIONS.store,
    details: `a missing ledger is read as none: decide never creates one; ${STORE_OPTIONS.store.details}`,
  },
  repo: { type: 'string', metavar: 'DIR', defaultText: '.', description: 'the repository' },
  output: outputOption({ text: '', json: 'schema rollwright.decision/v1', markdown: '' }),
  'no-color': NO_COLOR,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'decide',
  usage: [
    'rollwright decide --change <sha|A..B|change id> [--env NAME] [--fact name=value ...]',
    '                  [--at TIME] [-o text|json|markdown] [flags]',
  ],
  description: `Production is degraded and a change is suspected: choose the safest transition from the current
state to a verified healthy one. rollwright assesses the change with every surface, reads the ledger
(when it was deployed, which windows are open, which phases passed, pauses in place), the repository
(the Argo CD Applications and Flux Kustomizations/HelmReleases that reconcile the changed paths and
whether they self-heal, feature flags, progressive rollouts, Terraform workspaces) and the facts you
state, walks the seven questions of the incident decision, and prints the transition, the rationale
(each answer and where it came from), the runbook with exact commands, and the evidence still owed.

On a terminal, facts the decision needs and cannot infer are asked, each with what its answers do;
otherwise they are assumed (the safe value) and listed under assumptions. With an incident in the
ledger, the decision is recorded as a decision.made event (transition, class, rationale, assumptions).`,
  options: OPTIONS,
  extraArgs: (args) => `decide takes no arguments (got ${args.join(' ')}); name the change with --change`,
  exitCodes: {
    0: 'decided (whatever the transition, a refused rollback with its alternative included)',
    1: "--strict refused to decide on assumptions (nothing recorded), or the ledger's chain is broken (the decision is printed, not recorded)",
    2: 'usage or input error (an unknown change, a range with merges, an unknown fact or a value of the wrong type, an unknown incident; nothing recorded)',
    3: 'internal error',
  },
  run,
});

async function run(opts: OptionValues<typeof OPTIONS>): Promise<CommandResult> {
  const change = opts.change;
  if (change === undefined || change.trim() === '')
    throw new UsageError('decide needs --change <sha|A..B|change id>: the change suspected of the damage');

  const { actorOf } = await import('../../ledger/record.js');
  const facts = parseFacts(opts.fact ?? []);
  const at = opts.at;
  const record = !opts.noRecord;
  if (record && at !== undefined && Date.parse(at) > Date.now())
    throw new UsageError('--at is in the future: a decision cannot be recorded then; add --no-record to look ahead');
  if (record) actorOf(opts.actor);
  const repo = opts.repo ?? '.';

  // The store as every ledger command resolves it (--store, ROLLWRIGHT_STORE, the config, the default
  // for this repository), handed to the engine as a resolved --store.
  const [{ resolveLedgerStore }, { storeText, describeStore }] = await Promise.all([
    import('../store-resolution.js'),
    import('../../ledger/store-spec.js'),
  ]);
  const store = await resolveLedgerStore(opts);
  const { gatherDecisionInput } = await import('../../engine/decide/gather/index.js');
  const gatherOptions = {
    repo,
    change,
    facts,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(at !== undefined ? { at } : {}),
    ...(opts.incident !== undefined ? { incident: opts.incident } : {}),
    store: storeText(store.spec),
    ...(opts.config !== undefined ? { configFile: opts.config } : {}),
    ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
    // The rollback targets are checked live unless offline.
    live: {
      ...(opts.offline ? { offline: true } : {}),
      ...(opts.timeout !== undefined ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
    },
  };
  const { interactive, askFacts } = await import('../prompt.js');
  const { confirmCommits } = await import('../decide-change.js');
  const { startProgress } = await import('../progress.js');
  const progress = startProgress('gathering the incident: the change, its controllers, the ledger…');
  const gathered = await gatherDecisionInput(gatherOptions).finally(() => progress.done());
  const g = await confirmCommits(gathered, gatherOptions, interactive());
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

  if (opts.strict) {
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
  const stdout = renderDecision(decision, opts.output, { color: colorWanted(opts.noColor) });

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
        ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
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
