import { createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { keyIdOf, publicKeyOf, signPayload, verifyEnvelope, type Envelope } from './attest.js';
import { canonicalJson } from './canonical.js';
import { HASH_RE, type Head } from './chain.js';
import type { Ledger } from './store.js';

/**
 * Signed checkpoints: the head of a ledger (sequence number and hash), its identity (the ledger id)
 * and the time, signed with an Ed25519 key the database's writers do not hold, in a DSSE envelope
 * (the same signing as `evidence attest`). A checkpoint is stored in the ledger's checkpoints table
 * and can be written to witnesses outside the database (a file, a git note). Because the hash of event
 * N commits to every event before it, a checkpoint of #N that still matches the row at #N proves
 * events 1..N unchanged since it was signed; one that does not match proves a rewrite at or before #N,
 * and one beyond the head proves events were removed.
 *
 * A signed checkpoint is one JSON line (the stored record and a witness line alike):
 *
 *   {"envelope":{…DSSE…},"hash":"…","keyid":"…","ledger":"…","publicKey":"…","schema":"rollwright.checkpoint/v1","seq":N,"time":"…"}
 *
 * The readable fields repeat the signed payload (a reader takes the payload, and refuses a line whose
 * fields differ from it); `publicKey` lets a reader check that the signature is consistent without
 * being given a key, but trust comes only from a key the verifier names (`--key`).
 */
export const CHECKPOINT_SCHEMA = 'rollwright.checkpoint/v1';
export const CHECKPOINT_PAYLOAD_TYPE = 'application/vnd.rollwright.checkpoint+json';

/** What a checkpoint signs. */
export interface Checkpoint {
  schema: typeof CHECKPOINT_SCHEMA;
  /** The ledger's id (`ledger_meta.ledger_id`, kept by export and import): the store's identity. */
  ledger: string;
  seq: number;
  hash: string;
  /** When it was signed, by the signer's clock (ISO 8601 UTC): a claim, not a proof of time. */
  time: string;
}

/** A signed checkpoint: the signed fields, the key id and public key, and the envelope. */
export interface SignedCheckpoint extends Checkpoint {
  keyid: string;
  /** The signer's public key, SubjectPublicKeyInfo DER in base64. */
  publicKey: string;
  envelope: Envelope;
}

export function signCheckpoint(cp: Omit<Checkpoint, 'schema'>, key: KeyObject): SignedCheckpoint {
  const checkpoint: Checkpoint = {
    schema: CHECKPOINT_SCHEMA,
    ledger: cp.ledger,
    seq: cp.seq,
    hash: cp.hash,
    time: cp.time,
  };
  const envelope = signPayload(Buffer.from(canonicalJson(checkpoint), 'utf8'), CHECKPOINT_PAYLOAD_TYPE, key);
  return { ...checkpoint, keyid: keyIdOf(key), publicKey: publicKeyOf(key), envelope };
}

/** The one-line form (canonical JSON), as stored and as written to a witness. */
export function checkpointLine(c: SignedCheckpoint): string {
  return canonicalJson(c);
}

/**
 * Reads one signed checkpoint line. The signed payload is what counts: a line whose readable fields
 * differ from it, or whose envelope or payload is not a checkpoint, is refused (InputError naming
 * `where`). The signature is not checked here (signatureOf).
 */
export function parseCheckpointLine(text: string, where: string): SignedCheckpoint {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not a JSON line: ${(e as Error).message}`, where);
  }
  const bad = (why: string) => new InputError(`not a signed checkpoint: ${why}`, where);
  if (!isObject(v)) throw bad('not an object');
  const env = v.envelope;
  if (!isObject(env) || typeof env.payload !== 'string' || !Array.isArray(env.signatures))
    throw bad('no DSSE envelope');
  if (env.payloadType !== CHECKPOINT_PAYLOAD_TYPE) throw bad(`payload type ${JSON.stringify(env.payloadType)}`);
  const sigs = env.signatures.filter(
    (s): s is { keyid: string; sig: string } => isObject(s) && typeof s.sig === 'string' && typeof s.keyid === 'string',
  );
  if (sigs.length !== env.signatures.length || sigs.length === 0) throw bad('malformed signatures');
  let signed: unknown;
  try {
    signed = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
  } catch {
    throw bad('the payload is not JSON');
  }
  if (
    !isObject(signed) ||
    signed.schema !== CHECKPOINT_SCHEMA ||
    typeof signed.ledger !== 'string' ||
    !Number.isSafeInteger(signed.seq) ||
    (signed.seq as number) < 1 ||
    typeof signed.hash !== 'string' ||
    !HASH_RE.test(signed.hash) ||
    typeof signed.time !== 'string'
  )
    throw bad('the payload is not a rollwright checkpoint');
  const c: Checkpoint = {
    schema: CHECKPOINT_SCHEMA,
    ledger: signed.ledger,
    seq: signed.seq as number,
    hash: signed.hash,
    time: signed.time,
  };
  for (const k of ['ledger', 'seq', 'hash', 'time'] as const)
    if (v[k] !== c[k]) throw bad(`its ${k} (${JSON.stringify(v[k])}) is not the signed ${k} (${JSON.stringify(c[k])})`);
  if (typeof v.keyid !== 'string' || typeof v.publicKey !== 'string') throw bad('no key id or public key');
  return {
    ...c,
    keyid: v.keyid,
    publicKey: v.publicKey,
    envelope: { payload: env.payload, payloadType: CHECKPOINT_PAYLOAD_TYPE, signatures: sigs },
  };
}

/**
 * Who signed: `trusted` (a signature verifies with one of the keys given), `untrusted` (it verifies
 * only with the key the line carries, which is not one of them), `self-signed` (no keys given; it
 * verifies with the key it carries), `invalid` (no signature verifies).
 */
export type SignatureState = 'trusted' | 'untrusted' | 'self-signed' | 'invalid';

export function signatureOf(c: SignedCheckpoint, trusted: readonly KeyObject[]): SignatureState {
  for (const k of trusted) if (verifyEnvelope(c.envelope, k).length) return 'trusted';
  let own: KeyObject;
  try {
    own = createPublicKey({ key: Buffer.from(c.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return 'invalid';
  }
  if (own.asymmetricKeyType !== 'ed25519' || keyIdOf(own) !== c.keyid || !verifyEnvelope(c.envelope, own).length)
    return 'invalid';
  return trusted.length ? 'untrusted' : 'self-signed';
}

// ------------------------------------------------------------------------------------------------
// The checkpoints table

/** A stored checkpoint, or the problem with a stored row that does not read as one. */
export type StoredCheckpoint = { ok: true; checkpoint: SignedCheckpoint } | { ok: false; seq: number; problem: string };

export async function storedCheckpoints(ledger: Ledger): Promise<StoredCheckpoint[]> {
  const rows = await ledger.db
    .selectFrom('ledger_checkpoints')
    .select(['seq', 'key_id', 'hash', 'record'])
    .orderBy('seq')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => {
    const seq = Number(r.seq);
    try {
      const c = parseCheckpointLine(r.record, `${ledger.where}: checkpoint #${seq}`);
      if (c.seq !== seq || c.keyid !== r.key_id || c.hash !== r.hash)
        return { ok: false as const, seq, problem: `checkpoint #${seq}: its columns differ from the signed record` };
      return { ok: true as const, checkpoint: c };
    } catch (e) {
      return { ok: false as const, seq, problem: (e as Error).message };
    }
  });
}

/**
 * Stores a signed checkpoint. A checkpoint of the same sequence number by the same key is kept as it
 * was (signing the same head again changes nothing): returns the one stored, and whether it is new.
 */
export async function saveCheckpoint(
  ledger: Ledger,
  c: SignedCheckpoint,
): Promise<{ checkpoint: SignedCheckpoint; added: boolean }> {
  const res = await ledger.db
    .insertInto('ledger_checkpoints')
    .values({ seq: c.seq, key_id: c.keyid, hash: c.hash, signed_at: c.time, record: checkpointLine(c) })
    .onConflict((oc) => oc.columns(['seq', 'key_id']).doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return { checkpoint: c, added: true };
  const row = await ledger.db
    .selectFrom('ledger_checkpoints')
    .select('record')
    .where('seq', '=', c.seq)
    .where('key_id', '=', c.keyid)
    .executeTakeFirstOrThrow();
  return { checkpoint: parseCheckpointLine(row.record, `${ledger.where}: checkpoint #${c.seq}`), added: false };
}

// ------------------------------------------------------------------------------------------------
// Checking a chain against checkpoints

export interface CheckpointCheck {
  seq: number;
  hash: string;
  time: string;
  keyid: string;
  signature: SignatureState;
  /** ok: the row at seq has the signed hash; rewritten: it has another; truncated: seq is beyond the head. */
  position: 'ok' | 'rewritten' | 'truncated';
}

export interface CheckpointReport {
  /** `store` (the ledger's checkpoints table) or the witness as named. */
  source: string;
  ok: boolean;
  /** Checkpoints of this ledger checked. */
  checked: number;
  /** Entries of other ledgers (a witness shared by several), left aside. */
  otherLedgers: number;
  /** The latest checkpoint that holds (signature and position), if any. */
  lastGood: { seq: number; time: string } | null;
  /** Each failure, as a sentence naming the sequence number. */
  problems: string[];
  checks: CheckpointCheck[];
}

/**
 * Checks checkpoints against the chain as it stands: each signature (against `trusted` when given),
 * and each checkpoint's hash against the row at its sequence number. A checkpoint whose hash no longer
 * matches is a rewrite at or before its sequence number (after the last checkpoint below it that
 * still matches); one beyond the head is a truncation.
 */
export async function checkCheckpoints(
  ledger: Ledger,
  entries: ReadonlyArray<SignedCheckpoint>,
  opts: { source: string; trusted: readonly KeyObject[]; ledgerId: string; head: Head; malformed?: string[] },
): Promise<CheckpointReport> {
  const own = entries.filter((c) => c.ledger === opts.ledgerId);
  const hashes = await ledger.hashesAt([...new Set(own.map((c) => c.seq))]);
  const problems = [...(opts.malformed ?? [])];
  const checks: CheckpointCheck[] = own
    .map((c) => ({
      seq: c.seq,
      hash: c.hash,
      time: c.time,
      keyid: c.keyid,
      signature: signatureOf(c, opts.trusted),
      position: (c.seq > opts.head.seq ? 'truncated' : hashes.get(c.seq) === c.hash ? 'ok' : 'rewritten') as
        'ok' | 'rewritten' | 'truncated',
    }))
    .sort((a, b) => a.seq - b.seq || (a.keyid < b.keyid ? -1 : 1));
  const holds = (c: CheckpointCheck) => c.position === 'ok' && c.signature !== 'invalid' && c.signature !== 'untrusted';
  for (const c of checks) {
    const who = `checkpoint #${c.seq} (signed ${c.time}, keyid ${c.keyid.slice(0, 16)}…)`;
    if (c.signature === 'invalid')
      problems.push(`${who}: the signature does not verify: the checkpoint was forged or altered`);
    else if (c.signature === 'untrusted')
      problems.push(`${who}: signed by a key that is not one of those given (--key): it cannot vouch for the chain`);
    if (c.position === 'rewritten') {
      const row = hashes.get(c.seq);
      const before = checks.filter((x) => x.seq < c.seq && holds(x)).pop();
      problems.push(
        `${who} signed hash ${c.hash.slice(0, 12)}…, but event #${c.seq} ${row ? `now has ${row.slice(0, 12)}…` : 'is missing'}: ` +
          `rewrite detected at or before #${c.seq}${before ? ` (after #${before.seq}, the last checkpoint that still matches)` : ''}`,
      );
    } else if (c.position === 'truncated')
      problems.push(
        `${who} lies beyond the head (#${opts.head.seq}): events after #${opts.head.seq} were removed (the chain was truncated or replaced)`,
      );
  }
  const good = checks.filter(holds).pop();
  return {
    source: opts.source,
    ok: problems.length === 0,
    checked: checks.length,
    otherLedgers: entries.length - own.length,
    lastGood: good ? { seq: good.seq, time: good.time } : null,
    problems,
    checks,
  };
}

/**
 * A witness against the store's own checkpoints: every checkpoint the witness holds for this ledger
 * must be in the store, the same. One that is missing or different means the store's checkpoints
 * were deleted or replaced (a writer covering a rewrite).
 */
export function compareWithStore(
  witnessed: ReadonlyArray<SignedCheckpoint>,
  stored: ReadonlyArray<SignedCheckpoint>,
  ledgerId: string,
): string[] {
  const byKey = new Map(stored.map((c) => [`${c.seq}/${c.keyid}`, c]));
  const problems: string[] = [];
  for (const w of witnessed) {
    if (w.ledger !== ledgerId) continue;
    const s = byKey.get(`${w.seq}/${w.keyid}`);
    const who = `checkpoint #${w.seq} (signed ${w.time}, keyid ${w.keyid.slice(0, 16)}…)`;
    if (!s) problems.push(`${who} is in the witness but not in the store's checkpoints: they were deleted or replaced`);
    else if (s.hash !== w.hash || s.time !== w.time)
      problems.push(`${who} differs from the store's checkpoint #${w.seq}: the store's checkpoints were replaced`);
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
