import { createHash } from 'node:crypto';
import { InputError, RollwrightError, UsageError } from '../core/errors.js';
import type { LedgerEvent } from '../ledger/chain.js';
import { ChainBrokenError } from '../ledger/errors.js';
import { prepareEvent } from '../ledger/record.js';
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
 * is resolved against the ledger and validated (`prepareEvent`) before anything is written, so a
 * payload with one bad item writes nothing. Each event is then appended under its delivery key, in
 * the append's own transaction: a redelivery (or the same delivery to another replica at the same
 * moment) records nothing new.
 */
export async function ingest(ledger: Ledger, mapped: Mapped): Promise<IngestResult> {
  const result: IngestResult = {
    schema: 'rollwright.ingest/v1',
    recorded: [],
    duplicates: [],
    ignored: [...mapped.ignored],
  };
  const ready: Array<{ event: NewEvent; key: string | undefined }> = [];
  for (const d of mapped.drafts) {
    const key = d.key ? deliveryKey(d.key) : undefined;
    if (key !== undefined) {
      const seen = await ledger.db
        .selectFrom('ledger_deliveries')
        .select('seq')
        .where('key', '=', key)
        .executeTakeFirst();
      if (seen) {
        result.duplicates.push({ seq: Number(seen.seq), type: d.record.type });
        continue;
      }
    }
    const resolved = await resolve(ledger, d, result.ignored);
    if (!resolved) continue;
    let event: NewEvent;
    try {
      event = await prepareEvent(ledger, resolved.record);
    } catch (e) {
      // The same incident detected through another route (another receiver, another group) is one incident.
      if (
        resolved.record.type === 'incident.detected' &&
        e instanceof InputError &&
        /already detected/.test(e.message)
      ) {
        result.ignored.push({ reason: `incident ${resolved.record.incident} is already in the ledger` });
        continue;
      }
      throw asProblem(e);
    }
    ready.push({ event, key });
  }
  for (const { event, key } of ready) {
    try {
      if (key === undefined) {
        const [e] = await ledger.append([event]);
        result.recorded.push(summary(e!));
      } else {
        const r = await ledger.appendKeyed(event, key);
        if (r.duplicate) result.duplicates.push({ seq: r.seq, type: event.type });
        else result.recorded.push(summary(r.event));
      }
    } catch (e) {
      throw asProblem(e);
    }
  }
  return result;
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

async function resolve(ledger: Ledger, d: Draft, ignored: Ignored[]): Promise<Draft | undefined> {
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
    if (!detected || resolvedAlready) {
      ignored.push({ reason: `${r.type}: no open incident of ${service}${env ? ` in ${env}` : ''} in the ledger` });
      return undefined;
    }
    r.incident = detected.subject.incident!;
    delete r.service;
    delete r.environment;
  }
  if (d.skipUnknownIncident && r.incident !== undefined) {
    const detected = await ledger.first('incident.detected', { incident: r.incident });
    if (!detected) {
      ignored.push({
        reason: `${r.type}: incident ${r.incident} is not in the ledger (its detection was never received)`,
      });
      return undefined;
    }
  }
  return { ...d, record: r };
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
