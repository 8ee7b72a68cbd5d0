import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';
import { HASH_RE, type LedgerEvent } from './chain.js';
import { toCDEvent } from './cdevents.js';
import { validatePayload } from './events.js';
import { rowToEvent, type EventRow } from './schema.js';
import { eventToRow } from './store.js';
import { isIsoTime } from './time.js';
import { ChainWalker } from './verify.js';
import { isEventType } from '../core/vocabulary.js';

/**
 * `ledger export -o jsonl`: one event per line, in chain order, with its hashes, and the same event
 * as a CDEvent under `cdevent` (derived; ignored on import). `-o cdevents`: only the CDEvents.
 */
export function exportLine(e: LedgerEvent, ledgerId: string): string {
  return JSON.stringify({
    seq: e.seq,
    id: e.id,
    type: e.type,
    subject: e.subject,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    actor: e.actor,
    payload: e.payload,
    prevHash: e.prevHash,
    hash: e.hash,
    cdevent: toCDEvent(e, ledgerId),
  });
}

export function exportRow(r: EventRow, ledgerId: string, format: 'jsonl' | 'cdevents'): string {
  const e = rowToEvent(r);
  return format === 'jsonl' ? exportLine(e, ledgerId) : JSON.stringify(toCDEvent(e, ledgerId));
}

const nullableText = z.nullable(z.string().check(z.minLength(1)));
const iso = z.string().check(z.refine(isIsoTime, 'must be an ISO 8601 time'));

const LineSchema = z.object({
  seq: z.int().check(z.positive()),
  id: z.string().check(z.minLength(1)),
  type: z.string(),
  subject: z.strictObject({
    change: nullableText,
    incident: nullableText,
    service: nullableText,
    environment: nullableText,
  }),
  occurredAt: iso,
  recordedAt: iso,
  actor: z.string().check(z.minLength(1)),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string().check(z.regex(HASH_RE)),
  hash: z.string().check(z.regex(HASH_RE)),
});

/**
 * Parses an export and verifies it as a chain segment: every line well-formed, every type known and
 * every payload valid for its type, sequence numbers consecutive, each hash recomputed, each event
 * linked to the one before. The first line may continue a chain (an export `--since`): its own link
 * is checked against the ledger when appending. Throws InputError naming the line.
 */
export function parseExport(text: string, file: string): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  const lines = text.split('\n');
  let walker: ChainWalker | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError(`not JSON: ${(e as Error).message}; nothing was imported`, file, i + 1);
    }
    const r = LineSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(`${issue.path.join('.') || '(line)'}: ${issue.message}; nothing was imported`, file, i + 1);
    }
    const e = r.data;
    if (!isEventType(e.type))
      throw new InputError(`unknown event type ${JSON.stringify(e.type)}; nothing was imported`, file, i + 1);
    const v = validatePayload(e.type, e.payload);
    if (!v.ok)
      throw new InputError(
        `the payload does not match ${e.type}: ${v.problems.join('; ')}; nothing was imported`,
        file,
        i + 1,
      );
    const event: LedgerEvent = { ...e, subject: e.subject };
    if (!walker) {
      walker = new ChainWalker();
      // A segment: start the walk where the file starts.
      walker.prev = event.prevHash;
      walker.expect = event.seq;
    }
    if (!walker.feed(eventToRow(event)))
      throw new InputError(`${walker.broken!.message}; nothing was imported`, file, i + 1);
    events.push(event);
  }
  if (events.length === 0) throw new InputError('no events in the file; nothing was imported', file);
  return events;
}
