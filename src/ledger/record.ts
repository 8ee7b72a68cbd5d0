import { userInfo } from 'node:os';
import { InputError, UsageError } from '../core/errors.js';
import type { LedgerEvent, Subject } from './chain.js';
import { IncidentDetectedError } from './errors.js';
import { SUBJECT_RULES, validatePayload } from './events.js';
import type { Ledger, NewEvent } from './store.js';
import { checkEventTime, toIso } from './time.js';
import { EVENT_TYPES, isEventType, type EventType } from '../core/vocabulary.js';

/** What `rollwright record` was asked to record, before validation. */
export interface RecordInput {
  type: string;
  change?: string;
  incident?: string;
  service?: string;
  environment?: string;
  /** `--at`: when it happened; default now. */
  at?: string;
  actor?: string;
  payload: Record<string, unknown>;
  /** The clock, for tests. */
  now?: number;
}

const ID_RE = /^[^\u0000-\u001f\u007f]{1,256}$/;

/**
 * Everything that can be checked without the ledger: the type, the subject flags, the time and the
 * payload. `record` runs it before opening (or creating) the ledger.
 */
export function checkInput(input: RecordInput): {
  type: EventType;
  rule: (typeof SUBJECT_RULES)[EventType];
  occurredAt: string;
  payload: Record<string, unknown>;
} {
  const type = input.type;
  if (!isEventType(type))
    throw new UsageError(`unknown event type ${JSON.stringify(type)}; the event types are: ${EVENT_TYPES.join(', ')}`);
  const rule = SUBJECT_RULES[type];
  const subjectFlags = [
    ['--change', input.change],
    ['--incident', input.incident],
    ['--service', input.service],
    ['--env', input.environment],
  ] as const;
  for (const [flag, v] of subjectFlags)
    if (v !== undefined && !ID_RE.test(v))
      throw new UsageError(`${flag}: must be 1 to 256 characters without control characters`);
  if (rule.needs === 'change' && input.change === undefined)
    throw new UsageError(`${type} is recorded for a change: pass --change ID`);
  if (rule.needs === 'change' && input.incident !== undefined)
    throw new UsageError(`${type} is about a change, not an incident: drop --incident`);
  if (rule.needs === 'incident' && input.incident === undefined)
    throw new UsageError(`${type} is recorded for an incident: pass --incident ID`);
  if (rule.needs === 'change-or-incident' && input.change === undefined && input.incident === undefined)
    throw new UsageError(`${type} is recorded for a change or an incident: pass --change ID or --incident ID`);
  if (rule.needs === 'none')
    for (const [flag, v] of subjectFlags)
      if (v !== undefined) throw new UsageError(`${type} is about the repository as a whole: drop ${flag}`);
  if (rule.needsService && input.service === undefined)
    throw new UsageError(`${type} needs --service NAME (which service was deployed)`);
  actorOf(input.actor);

  const now = input.now ?? Date.now();
  let occurredAt = toIso(now);
  if (input.at !== undefined) {
    const t = checkEventTime(input.at, now);
    if (!t.ok) throw new InputError(`--at: ${t.reason}`);
    occurredAt = toIso(t.ms);
  }

  const v = validatePayload(type, input.payload);
  if (!v.ok)
    throw new InputError(`the payload does not match ${type}:\n  - ${v.problems.join('\n  - ')}\nnothing was recorded`);
  const payload = v.payload;
  if (type === 'change.declared' && payload.id !== undefined && payload.id !== input.change)
    throw new InputError(
      `the declaration's id ${JSON.stringify(payload.id)} is not the change being recorded (${JSON.stringify(input.change)})`,
    );
  return { type, rule, occurredAt, payload };
}

/**
 * Validates an event against its type and the ledger, and fills in what the ledger already knows:
 * an incident's change, service and environment come from its detection; a detection's service and
 * environment from the deployment of the change it names. Throws UsageError / InputError (exit 2)
 * with every problem named; nothing is written.
 *
 * `detectionCheckedOnAppend`: the caller appends through `Ledger.appendUnits`, which refuses a
 * second detection of an incident under the append lock (IncidentDetectedError), so the lookup made
 * here for that, which is a round trip on PostgreSQL, is left out.
 */
export async function prepareEvent(
  ledger: Ledger,
  input: RecordInput,
  opts: { detectionCheckedOnAppend?: boolean } = {},
): Promise<NewEvent> {
  const { type, rule, occurredAt, payload } = checkInput(input);
  const subject: Subject = {
    change: input.change ?? null,
    incident: input.incident ?? null,
    service: input.service ?? null,
    environment: input.environment ?? null,
  };

  if (
    input.incident !== undefined &&
    (rule.incidentMustExist || (rule.incidentMustBeNew && !opts.detectionCheckedOnAppend))
  ) {
    const detected = await ledger.first('incident.detected', { incident: input.incident });
    if (rule.incidentMustBeNew && detected)
      throw new IncidentDetectedError(input.incident, detected.seq, detected.occurredAt);
    if (rule.incidentMustExist) {
      if (!detected)
        throw new InputError(
          `no incident ${input.incident} in the ledger: record \`incident.detected --incident ${input.incident}\` first; nothing was recorded`,
        );
      inherit(subject, detected.subject);
    }
  }
  // A detection inherits what its change's deployment knows (only what it does not name itself).
  if (
    type === 'incident.detected' &&
    subject.change !== null &&
    (subject.service === null || subject.environment === null)
  ) {
    const deployed = await ledger.last('change.deployed', { change: subject.change });
    if (deployed) inherit(subject, { ...deployed.subject, change: null, incident: null });
  }
  if (rule.needsEnvironment && subject.environment === null && subject.change !== null) {
    const declared = await ledger.last('change.declared', { change: subject.change });
    const env = declared?.payload.environment;
    if (typeof env === 'string') subject.environment = env;
  }
  if (rule.needsEnvironment && subject.environment === null)
    throw new UsageError(
      `${type} needs --env NAME (where it was deployed), or a change.declared event with an environment`,
    );

  return { type, subject, occurredAt, actor: actorOf(input.actor), payload };
}

function inherit(subject: Subject, from: Subject): void {
  subject.change ??= from.change;
  subject.service ??= from.service;
  subject.environment ??= from.environment;
}

/** `--actor`, else `ROLLWRIGHT_ACTOR`, else the user running the process. */
export function actorOf(flag: string | undefined, env = process.env): string {
  const a = flag ?? env.ROLLWRIGHT_ACTOR;
  if (a !== undefined && a !== '') {
    if (!ID_RE.test(a)) throw new UsageError('--actor: must be 1 to 256 characters without control characters');
    return a;
  }
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Prepares and appends one event. */
export async function recordEvent(ledger: Ledger, input: RecordInput): Promise<LedgerEvent> {
  const e = await prepareEvent(ledger, input);
  const [stored] = await ledger.append([e]);
  return stored!;
}

export type { EventType };
