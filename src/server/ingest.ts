import { createHash } from 'node:crypto';
import { InputError, RollwrightError, UsageError } from '../core/errors.js';
import type { LedgerEvent } from '../ledger/chain.js';
import { ChainBrokenError, IncidentDetectedError } from '../ledger/errors.js';
import type { GroupAppender } from '../ledger/group.js';
import { prepareEvent, type RecordInput } from '../ledger/record.js';
import type { Ledger, NewEvent } from '../ledger/store.js';
import { HttpProblem } from './http.js';
import type { Draft, Ignored, Mapped } from './sources/draft.js';

export interface IngestResult {
  schema: 'rollwright.ingest/v1';
  recorded: Array<{
    seq: number;
    id: string;
    type: string;
    change: string | null;
    incident: string | null;
    occurredAt: string;
  }>;
  duplicates: Array<{ seq: number; type: string }>;
  ignored: Ignored[];
}

/**
 * Records what a payload was mapped to, through the same path as `rollwright record`: every draft
 * is resolved against the ledger and validated (`prepareEvent`) before anything is written, then
 * the payload's events are appended as one unit (whole or not at all) through the group appender,
 * which writes the units of concurrent requests in one transaction. Each event carries its delivery
 * key, checked in that transaction under the append lock: a redelivery (or the same delivery to
 * another replica at the same moment) records nothing new. A key is looked up before that only for
 * a draft that is not recorded (ignored, or refused by validation), to report a redelivery as such.
 * That an incident is detected once is checked there too, under the lock, and only there (no
 * lookup before it: on PostgreSQL each is a round trip).
 */
export async function ingest(ledger: Ledger, appender: GroupAppender, mapped: Mapped): Promise<IngestResult> {
  const result: IngestResult = {
    schema: 'rollwright.ingest/v1',
    recorded: [],
    duplicates: [],
    ignored: [...mapped.ignored],
  };
  let ready: Array<{ event: NewEvent; key: string | undefined }> = [];
  for (const d of mapped.drafts) {
    const key = d.key ? deliveryKey(d.key) : undefined;
    const resolved = await resolve(ledger, d);
    if ('ignored' in resolved) {
      if (!(await duplicate(ledger, key, d.record.type, result))) result.ignored.push(resolved.ignored);
      continue;
    }
    let event: NewEvent;
    try {
      event = await prepareEvent(ledger, resolved, { detectionCheckedOnAppend: true });
    } catch (e) {
      if (await duplicate(ledger, key, d.record.type, result)) continue;
      // The same incident detected through another route (another receiver, another group) is one incident.
      if (e instanceof IncidentDetectedError) {
        result.ignored.push({ reason: `incident ${e.incident} is already in the ledger` });
        continue;
      }
      throw asProblem(e);
    }
    ready.push({ event, key });
  }
  // A detection that another request recorded meanwhile (checked under the append lock) is left out
  // as above, and the rest of the payload appended again.
  while (ready.length) {
    const r = await appender.append({ events: ready });
    if (r.ok) {
      r.outcomes.forEach((o, i) => {
        if (o.duplicate) result.duplicates.push({ seq: o.seq, type: ready[i]!.event.type });
        else result.recorded.push(summary(o.event));
      });
      break;
    }
    const e = r.error;
    if (!(e instanceof IncidentDetectedError)) throw asProblem(e);
    result.ignored.push({ reason: `incident ${e.incident} is already in the ledger` });
    ready = ready.filter((x) => !(x.event.type === 'incident.detected' && x.event.subject.incident === e.incident));
  }
  return result;
}

/** Whether a draft's delivery was recorded before (then it is reported as a duplicate). */
async function duplicate(
  ledger: Ledger,
  key: string | undefined,
  type: string,
  result: IngestResult,
): Promise<boolean> {
  if (key === undefined) return false;
  const seq = await ledger.delivered(key);
  if (seq === undefined) return false;
  result.duplicates.push({ seq, type });
  return true;
}

/** Keys are stored hashed: bounded length, and nothing a payload controls is stored as is. */
export function deliveryKey(raw: string): string {
  return `${raw.slice(0, raw.indexOf(':') + 1) || 'key:'}${createHash('sha256').update(raw).digest('hex')}`;
}

function summary(e: LedgerEvent): IngestResult['recorded'][number] {
  return {
    seq: e.seq,
    id: e.id,
    type: e.type,
    change: e.subject.change,
    incident: e.subject.incident,
    occurredAt: e.occurredAt,
  };
}

async function resolve(ledger: Ledger, d: Draft): Promise<RecordInput | { ignored: Ignored }> {
  const r = { ...d.record };
  if (d.changeFromDeployment && r.change === undefined && r.service !== undefined) {
    const deployed = await ledger.last('change.deployed', { service: r.service, environment: r.environment ?? null });
    if (deployed?.subject.change) r.change = deployed.subject.change;
  }
  if (d.incidentFromService) {
    const service = r.service!;
    const env = r.environment ?? null;
    const detected = await ledger.last('incident.detected', { service, environment: env });
    const resolvedAlready = detected
      ? await ledger.first('incident.resolved', { incident: detected.subject.incident! })
      : undefined;
    if (!detected || resolvedAlready)
      return {
        ignored: { reason: `${r.type}: no open incident of ${service}${env ? ` in ${env}` : ''} in the ledger` },
      };
    r.incident = detected.subject.incident!;
    delete r.service;
    delete r.environment;
  }
  if (d.skipUnknownIncident && r.incident !== undefined) {
    const detected = await ledger.first('incident.detected', { incident: r.incident });
    if (!detected)
      return {
        ignored: {
          reason: `${r.type}: incident ${r.incident} is not in the ledger (its detection was never received)`,
        },
      };
  }
  return r;
}

/** Ledger errors as HTTP problems: a refused event is the client's (422), a broken chain is a 409. */
export function asProblem(e: unknown): unknown {
  if (e instanceof HttpProblem) return e;
  if (e instanceof ChainBrokenError) return new HttpProblem(409, 'Ledger chain broken', `${e.message}`);
  if (e instanceof UsageError || e instanceof InputError)
    return new HttpProblem(
      422,
      'Event refused',
      `${e.message.replace(/\n\s*/g, ' ')}${/nothing was recorded/.test(e.message) ? '' : '; nothing was recorded'}`,
    );
  if (e instanceof RollwrightError) return new HttpProblem(500, 'Internal error', e.message);
  return e;
}
