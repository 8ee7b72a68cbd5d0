import { STORE_OPTIONS } from '../store-options.js';
import { InputError, UsageError } from '../../core/errors.js';
import type { CommandResult } from '../command.js';
import { defineCommand, type OptionTable, type OptionValues } from '../define.js';
import { ACTOR, ENV, outputOption } from '../flags.js';

const OPTIONS = {
  change: { type: 'string', metavar: 'ID', description: 'the change the event is about' },
  incident: {
    type: 'string',
    metavar: 'ID',
    description: 'the incident the event is about',
    details:
      "events of an incident need its incident.detected first, and inherit its change, service and environment; a detection inherits the service and environment of the named change's deployment",
  },
  at: {
    type: 'string',
    metavar: 'TIME',
    defaultText: 'now',
    description: 'when it happened: ISO 8601 with a zone; never in the future',
    details: 'e.g. 2026-01-05T09:04:00Z or 2026-01-05T11:04:00+02:00; a time without a zone is refused',
  },
  actor: { ...ACTOR, description: 'who records it' },
  data: {
    type: 'string',
    metavar: 'key=value',
    repeatable: true,
    description: 'a payload field (a.b=x nests, a repeated key makes a list)',
    details: 'payloads are validated per type: an unknown key or value is an error',
  },
  'data-file': {
    type: 'string',
    metavar: 'FILE',
    description: 'payload fields from a JSON or YAML file (--data wins over it)',
    details: 'a declaration file (change: ...) for change.declared, the JSON of assess -o json for change.assessed',
  },
  service: { type: 'string', metavar: 'NAME', description: 'the service', details: 'required for change.deployed' },
  env: {
    ...ENV,
    description: 'the environment',
    details: "required for change.deployed; it may come from the change's declaration",
  },
  ...STORE_OPTIONS,
  output: outputOption({ text: '', json: 'the event as stored' }),
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'record',
  usage: [
    'rollwright record <type> --change ID | --incident ID [--at TIME] [--actor NAME]',
    '                  [--data key=value ...] [--data-file FILE] [--service S] [--env E] [flags]',
  ],
  description: `Record an event in the evidence ledger: append-only, hash-chained, one transaction per event.

Event types (every key each takes; [..] optional, a repeated key makes a list, a.b=x nests):
  change.declared     the change's declaration (--data-file .rollwright/changes/ID.yaml, or --data key=value)
  change.assessed     class=<rollback class> [gate=passed|failed] [findings=N] [base=REV] [head=REV]
                      [report=REF]   (or --data-file of assess -o json)
  change.merged       [commit=SHA] [repository=R] [branch=B] [pull-request=REF]
  change.deployed     --service S --env E [artifact=DIGEST|PURL] [version=V] [commit=SHA] [phase=contract]
                      [log=URL]
  incident.detected   --incident ID [--change ID] [started-at=TIME] [severity=S] [description=TEXT]
                      [source=S] [alert=REF]
  decision.made       transition=rollback|rollforward|compensate|pause|abort-rollout|restore|repair-state|break-glass
                      [class=<rollback class>] [rationale=TEXT] [containment=TRANSITION ...]
                      [assumptions=TEXT ...] [playbook=P] [change=ID] [facts.NAME=VALUE ...]
                      [commits=SHA ...] [commits-source=ledger|trailer|declaration|argument]
                      (rollwright decide --incident records all of them)
  pause.started       target=<loop> [controller=argocd|flux|...] [reason=TEXT]   (--incident or --change)
  pause.ended         target=<loop> [controller=argocd|flux|...]                 (--incident or --change)
  recovery.executed   transition=rollback|... [commit=SHA] [artifact=DIGEST] [log=URL]
  recovery.verified   [result=passed|failed] [checks=...] [metrics=URL]
  evidence.attached   item=<item> ref=<what proves it> [digest=sha256:HEX] [note=TEXT]   (--incident or --change)
                      items: change-id, rollback-commit, artifact-digest, approval, policy-result,
                      sync-log, health-metrics, drift-check, postmortem-action
  incident.resolved   [summary=TEXT]
  postmortem.action   action=TEXT [owner=NAME] [due=DATE] [ref=REF]
  score.recorded      repository=ID head=SHA items.<item>=pass|partial|fail|unknown [score=N]
                      (no subject flags; rollwright score records one per run)
Events of an incident need its incident.detected first; they inherit its change, service and environment.`,
  args: [{ name: '<type>', description: 'the event type (listed above)' }],
  options: OPTIONS,
  exitCodes: {
    0: 'recorded',
    1: "the ledger's chain is broken (nothing recorded)",
    2: 'usage or input error: an unknown event type, a time in the future or unparseable, a payload that does not match its type, an event for an incident that does not exist, a ledger file that is not SQLite, a ledger from a newer schema version (nothing recorded)',
    3: 'internal error',
  },
  run,
});

async function run(opts: OptionValues<typeof OPTIONS>, args: string[]): Promise<CommandResult> {
  if (args.length === 0)
    throw new UsageError('record needs an event type, e.g. `rollwright record incident.detected --incident INC-1`');
  if (args.length > 1) throw new UsageError(`record takes one event type, got ${args.length}: ${args.join(' ')}`);
  const type = args[0]!;
  const [
    { readDataFile, parseDataPairs, withLedger },
    { checkInput, prepareEvent },
    { isEventType, EVENT_TYPES },
    { SUBJECT_RULES },
  ] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/record.js'),
    import('../../core/vocabulary.js'),
    import('../../ledger/events.js'),
  ]);
  if (!isEventType(type))
    throw new UsageError(`unknown event type ${JSON.stringify(type)}; the event types are: ${EVENT_TYPES.join(', ')}`);
  const fromFile = opts.dataFile !== undefined ? await readDataFile(opts.dataFile, type) : {};
  const payload = { ...fromFile, ...parseDataPairs(opts.data ?? []) };
  const input = {
    type,
    payload,
    ...(opts.change !== undefined ? { change: opts.change } : {}),
    ...(opts.incident !== undefined ? { incident: opts.incident } : {}),
    ...(opts.service !== undefined ? { service: opts.service } : {}),
    ...(opts.env !== undefined ? { environment: opts.env } : {}),
    ...(opts.at !== undefined ? { at: opts.at } : {}),
    ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
  };
  // Everything that can be checked without the ledger is checked before opening (or creating) it.
  checkInput(input);
  // An event about an existing incident never creates a ledger: without one, the incident does not exist.
  const create = !(SUBJECT_RULES[type].incidentMustExist && input.incident !== undefined);
  const stored = await withLedger(opts, create, async (ledger) => {
    const event = await prepareEvent(ledger, input);
    const [e] = await ledger.append([event]);
    return e!;
  }).catch((e: unknown) => {
    if (!create && e instanceof Error && /no ledger/.test(e.message))
      throw new InputError(`no incident ${input.incident} in the ledger (${e.message}); nothing was recorded`);
    throw e;
  });
  if (opts.output === 'json') return { stdout: JSON.stringify(stored, null, 2) + '\n', exitCode: 0 };
  const subject = stored.subject.incident ?? stored.subject.change;
  return {
    stdout: `recorded #${stored.seq} ${stored.type} ${subject} at ${stored.occurredAt} by ${stored.actor} (hash ${stored.hash.slice(0, 12)})\n`,
    exitCode: 0,
  };
}
