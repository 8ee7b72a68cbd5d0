import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';
import type { Head } from './chain.js';
import type { EvidenceView } from './evidence.js';

/**
 * Evidence as an in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
 * with a rollwright predicate, optionally signed in a DSSE envelope
 * (https://github.com/secure-systems-lab/dsse: envelope.md, protocol.md) with a local Ed25519 key.
 *
 * The subject is the incident's (or change's) trail in one ledger; its digest is the chain hash of
 * the trail's last event, which commits to every event before it in the ledger. The predicate lists
 * the events (sequence number, id, type, hash) and the evidence items present and owed.
 */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://rollwright.dev/attestation/evidence/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface EvidencePredicate {
  ledger: { id: string; head: Head };
  id: string;
  kind: 'incident' | 'change';
  change: string | null;
  service: string | null;
  environment: string | null;
  complete: boolean;
  owed: string[];
  items: Array<{
    item: string;
    required: boolean;
    present: boolean;
    ref: string | null;
    recordedBy: string | null;
    at: string | null;
    event: number | null;
  }>;
  events: Array<{ seq: number; id: string; type: string; occurredAt: string; actor: string; hash: string }>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof PREDICATE_TYPE;
  predicate: EvidencePredicate;
}

export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

export function evidenceStatement(
  view: EvidenceView,
  ledger: { id: string; head: Head },
  events: ReadonlyArray<{ seq: number; id: string; type: string; occurredAt: string; actor: string; hash: string }>,
): Statement {
  const chainOrder = [...events].sort((a, b) => a.seq - b.seq);
  const last = chainOrder[chainOrder.length - 1];
  if (!last) throw new InputError(`no events for ${view.id}: nothing to attest`);
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `rollwright-ledger:${ledger.id}/${view.kind}/${view.id}`, digest: { sha256: last.hash } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      ledger,
      id: view.id,
      kind: view.kind,
      change: view.change,
      service: view.service,
      environment: view.environment,
      complete: view.complete,
      owed: view.owed,
      items: view.items.map(({ item, required, present, ref, recordedBy, at, event }) => ({
        item,
        required,
        present,
        ref,
        recordedBy,
        at,
        event,
      })),
      events: chainOrder.map(({ seq, id, type, occurredAt, actor, hash }) => ({
        seq,
        id,
        type,
        occurredAt,
        actor,
        hash,
      })),
    },
  };
}

/** DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${body.length} `, 'utf8'),
    body,
  ]);
}

/** The key id: sha256 of the public key's SubjectPublicKeyInfo (DER), in hex. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function loadPrivateKey(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new InputError(`not a private key in PEM form: ${(e as Error).message}`, file);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InputError(
      `an ${key.asymmetricKeyType} key: rollwright signs with Ed25519 keys (openssl genpkey -algorithm ed25519)`,
      file,
    );
  return key;
}

/** A public key from PEM: a public key, or the public half of a private key. */
export function loadPublicKey(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new InputError(`not a public key in PEM form: ${(e as Error).message}`, file);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new InputError(`an ${key.asymmetricKeyType} key, not Ed25519`, file);
  return key;
}

export function signStatement(statement: Statement, key: KeyObject): Envelope {
  return signPayload(Buffer.from(canonicalJson(statement), 'utf8'), PAYLOAD_TYPE, key);
}

/** A DSSE envelope of `body`: one Ed25519 signature over PAE(payloadType, body). */
export function signPayload(body: Buffer, payloadType: string, key: KeyObject): Envelope {
  const sig = sign(null, pae(payloadType, body), key);
  return {
    payload: body.toString('base64'),
    payloadType,
    signatures: [{ keyid: keyIdOf(key), sig: sig.toString('base64') }],
  };
}

/** The public key of a key (private or public) as SubjectPublicKeyInfo DER, base64. */
export function publicKeyOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The signatures that verify with `key` (DSSE: the payload type is authenticated with the body). */
export function verifyEnvelope(env: Envelope, key: KeyObject): string[] {
  const body = Buffer.from(env.payload, 'base64');
  const msg = pae(env.payloadType, body);
  const ok: string[] = [];
  for (const s of env.signatures) {
    try {
      if (verify(null, msg, key, Buffer.from(s.sig, 'base64'))) ok.push(s.keyid || keyIdOf(key));
    } catch {
      /* a malformed signature does not verify */
    }
  }
  return ok;
}
