import { STORE_HELP, STORE_OPTIONS } from '../store-options.js';
import { InputError, UsageError } from '../../core/errors.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright record <type> --change ID | --incident ID [--at TIME] [--actor NAME]
                         [--data key=value ...] [--data-file FILE] [--service S] [--env E] [flags]

Record an event in the evidence ledger: append-only, hash-chained, one transaction per event.

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
Events of an incident need its incident.detected first; they inherit its change, service and environment.

Flags:
      --change ID         the change the event is about
      --incident ID       the incident the event is about
      --at TIME           when it happened: ISO 8601 with a zone (default: now); never in the future
      --actor NAME        who records it (default: ROLLWRIGHT_ACTOR, else the user)
      --data key=value    a payload field (repeatable; a.b=x nests, a repeated key makes a list)
      --data-file FILE    payload fields from a JSON or YAML file (--data wins over it)
      --service NAME      the service
      --env NAME          the environment
${STORE_HELP}
      --repo DIR          the repository: its default ledger and .rollwright.yaml (default: .)
  -o, --output FORMAT     text (default) or json (the event as stored)
  -h, --help              show this help

Exit codes: 0 recorded, 1 the ledger's chain is broken (nothing recorded), 2 usage or input error, 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      change: { type: 'string' },
      incident: { type: 'string' },
      at: { type: 'string' },
      actor: { type: 'string' },
      data: { type: 'string', multiple: true },
      'data-file': { type: 'string' },
      service: { type: 'string' },
      env: { type: 'string' },
      ...STORE_OPTIONS,
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
  if (positionals.length === 0)
    throw new UsageError('record needs an event type, e.g. `rollwright record incident.detected --incident INC-1`');
  if (positionals.length > 1)
    throw new UsageError(`record takes one event type, got ${positionals.length}: ${positionals.join(' ')}`);
  const type = positionals[0]!;
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
  const fromFile = values['data-file'] !== undefined ? await readDataFile(values['data-file'] as string, type) : {};
  const payload = { ...fromFile, ...parseDataPairs((values.data as string[] | undefined) ?? []) };
  const input = {
    type,
    payload,
    ...(values.change !== undefined ? { change: values.change as string } : {}),
    ...(values.incident !== undefined ? { incident: values.incident as string } : {}),
    ...(values.service !== undefined ? { service: values.service as string } : {}),
    ...(values.env !== undefined ? { environment: values.env as string } : {}),
    ...(values.at !== undefined ? { at: values.at as string } : {}),
    ...(values.actor !== undefined ? { actor: values.actor as string } : {}),
  };
  // Everything that can be checked without the ledger is checked before opening (or creating) it.
  checkInput(input);
  // An event about an existing incident never creates a ledger: without one, the incident does not exist.
  const create = !(SUBJECT_RULES[type].incidentMustExist && input.incident !== undefined);
  const stored = await withLedger(values, create, async (ledger) => {
    const event = await prepareEvent(ledger, input);
    const [e] = await ledger.append([event]);
    return e!;
  }).catch((e: unknown) => {
    if (!create && e instanceof Error && /no ledger/.test(e.message))
      throw new InputError(`no incident ${input.incident} in the ledger (${e.message}); nothing was recorded`);
    throw e;
  });
  if (format === 'json') return { stdout: JSON.stringify(stored, null, 2) + '\n', exitCode: 0 };
  const subject = stored.subject.incident ?? stored.subject.change;
  return {
    stdout: `recorded #${stored.seq} ${stored.type} ${subject} at ${stored.occurredAt} by ${stored.actor} (hash ${stored.hash.slice(0, 12)})\n`,
    exitCode: 0,
  };
}
