import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config.js';
import {
  evidenceStatement,
  keyIdOf,
  pae,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  signStatement,
  STATEMENT_TYPE,
  verifyEnvelope,
} from './attest.js';
import type { LedgerEvent } from './chain.js';
import { evidenceView } from './evidence.js';

const events: LedgerEvent[] = [
  {
    seq: 4,
    id: 'e4',
    type: 'incident.detected',
    subject: { change: 'CHG-1', incident: 'INC-1', service: 'web', environment: 'prod' },
    occurredAt: '2026-01-05T09:04:00.000Z',
    recordedAt: '2026-01-05T09:04:01.000Z',
    actor: 'alertmanager',
    payload: {},
    prevHash: '1'.repeat(64),
    hash: '2'.repeat(64),
  },
  {
    seq: 9,
    id: 'e9',
    type: 'evidence.attached',
    subject: { change: 'CHG-1', incident: 'INC-1', service: 'web', environment: 'prod' },
    occurredAt: '2026-01-05T09:40:00.000Z',
    recordedAt: '2026-01-05T09:40:01.000Z',
    actor: 'bob',
    payload: { item: 'approval', ref: 'CAB-1' },
    prevHash: '8'.repeat(64),
    hash: '9'.repeat(64),
  },
];

describe('attestations', () => {
  const view = evidenceView('INC-1', 'incident', events, defaultConfig());
  const statement = evidenceStatement(view, { id: 'L-1', head: { seq: 12, hash: 'c'.repeat(64) } }, events);

  it('is an in-toto Statement v1 whose subject digest is the chain hash of the trail’s last event', () => {
    expect(statement._type).toBe(STATEMENT_TYPE);
    expect(statement.predicateType).toBe(PREDICATE_TYPE);
    expect(statement.subject).toEqual([
      { name: 'rollwright-ledger:L-1/incident/INC-1', digest: { sha256: '9'.repeat(64) } },
    ]);
    expect(statement.predicate.events.map((e) => [e.seq, e.type, e.hash])).toEqual([
      [4, 'incident.detected', '2'.repeat(64)],
      [9, 'evidence.attached', '9'.repeat(64)],
    ]);
    expect(statement.predicate.owed).toEqual([
      'rollback-commit',
      'artifact-digest',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ]);
    expect(statement.predicate.ledger).toEqual({ id: 'L-1', head: { seq: 12, hash: 'c'.repeat(64) } });
  });

  it('uses the DSSE pre-authentication encoding', () => {
    // The example of the DSSE protocol: PAE("http://example.com/HelloWorld", "hello world").
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('signs with Ed25519 in a DSSE envelope that verifies only with the right key and the untouched payload', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519').publicKey;
    const env = signStatement(statement, privateKey);
    expect(env.payloadType).toBe(PAYLOAD_TYPE);
    expect(JSON.parse(Buffer.from(env.payload, 'base64').toString())).toEqual(statement);
    expect(env.signatures).toHaveLength(1);
    expect(env.signatures[0]!.keyid).toBe(keyIdOf(publicKey));
    expect(verifyEnvelope(env, publicKey)).toEqual([keyIdOf(publicKey)]);
    expect(verifyEnvelope(env, other)).toEqual([]);
    const tampered = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    tampered.predicate.complete = true;
    expect(
      verifyEnvelope({ ...env, payload: Buffer.from(JSON.stringify(tampered)).toString('base64') }, publicKey),
    ).toEqual([]);
    expect(verifyEnvelope({ ...env, payloadType: 'application/json' }, publicKey)).toEqual([]);
  });
});
