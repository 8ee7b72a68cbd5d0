import { describe, expect, it } from 'vitest';
import { cdeventType, toCDEvent } from './cdevents.js';
import type { LedgerEvent } from './chain.js';

function ev(
  type: string,
  subject: Partial<LedgerEvent['subject']>,
  payload: Record<string, unknown> = {},
): LedgerEvent {
  return {
    seq: 3,
    id: 'id-3',
    type,
    subject: { change: null, incident: null, service: null, environment: null, ...subject },
    occurredAt: '2026-01-05T09:04:00.000Z',
    recordedAt: '2026-01-05T09:04:01.000Z',
    actor: 'alertmanager',
    payload,
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
  };
}

describe('CDEvents on export', () => {
  it.each([
    ['change.merged', { change: 'CHG-1' }, { commit: 'abc' }, 'dev.cdevents.change.merged.0.2.0'],
    [
      'change.deployed',
      { change: 'CHG-1', service: 'checkout', environment: 'prod' },
      { artifact: 'pkg:oci/checkout@sha256%3Abb' },
      'dev.cdevents.service.deployed.0.2.0',
    ],
    [
      'change.deployed',
      { change: 'CHG-1', service: 'checkout', environment: 'prod' },
      {},
      'dev.cdeventsx.rollwright-change.deployed.0.1.0',
    ],
    [
      'recovery.executed',
      { incident: 'INC-1', service: 'checkout', environment: 'prod' },
      { transition: 'rollback', artifact: 'sha256:aa' },
      'dev.cdevents.service.rolledback.0.2.0',
    ],
    [
      'recovery.executed',
      { incident: 'INC-1', service: 'checkout', environment: 'prod' },
      { transition: 'rollforward', artifact: 'sha256:cc' },
      'dev.cdeventsx.rollwright-recovery.executed.0.1.0',
    ],
    ['incident.detected', { incident: 'INC-1', environment: 'prod' }, {}, 'dev.cdevents.incident.detected.0.2.0'],
    ['incident.detected', { incident: 'INC-1' }, {}, 'dev.cdeventsx.rollwright-incident.detected.0.1.0'],
    ['incident.resolved', { incident: 'INC-1', environment: 'prod' }, {}, 'dev.cdevents.incident.resolved.0.2.0'],
    [
      'decision.made',
      { incident: 'INC-1' },
      { transition: 'rollback' },
      'dev.cdeventsx.rollwright-decision.made.0.1.0',
    ],
    [
      'evidence.attached',
      { incident: 'INC-1' },
      { item: 'approval', ref: 'x' },
      'dev.cdeventsx.rollwright-evidence.attached.0.1.0',
    ],
  ])('%s %j %j → %s', (type, subject, payload, cdType) => {
    expect(cdeventType(ev(type, subject, payload))).toBe(cdType);
  });

  it('fills the mandatory fields of the standard events and keeps the ledger event whole', () => {
    const e = ev(
      'incident.detected',
      { incident: 'INC-1', service: 'checkout', environment: 'prod', change: 'CHG-1' },
      { description: 'login errors' },
    );
    expect(toCDEvent(e, 'L-1')).toEqual({
      context: {
        version: '0.4.1',
        id: 'id-3',
        source: '/rollwright/ledger/L-1',
        type: 'dev.cdevents.incident.detected.0.2.0',
        timestamp: '2026-01-05T09:04:00.000Z',
      },
      subject: {
        id: 'INC-1',
        source: '/rollwright/ledger/L-1',
        type: 'incident',
        content: { environment: { id: 'prod' }, description: 'login errors', service: { id: 'checkout' } },
      },
      customData: {
        rollwright: {
          seq: 3,
          type: 'incident.detected',
          subject: e.subject,
          occurredAt: e.occurredAt,
          recordedAt: e.recordedAt,
          actor: 'alertmanager',
          payload: { description: 'login errors' },
          prevHash: e.prevHash,
          hash: e.hash,
        },
      },
      customDataContentType: 'application/json',
    });
    const deployed = toCDEvent(
      ev('change.deployed', { change: 'C', service: 'web', environment: 'prod' }, { artifact: 'sha256:aa' }),
      'L-1',
    );
    expect(deployed.subject).toEqual({
      id: 'web',
      source: '/rollwright/ledger/L-1',
      type: 'service',
      content: { environment: { id: 'prod' }, artifactId: 'sha256:aa' },
    });
  });

  it('writes custom events in the dev.cdeventsx namespace with a <tool>-<subject> subject type and a schemaUri', () => {
    const c = toCDEvent(ev('decision.made', { incident: 'INC-1', change: 'CHG-1' }, { transition: 'rollback' }), 'L-1');
    expect(c.context.schemaUri).toBe('https://rollwright.dev/cdevents/decision/made/0.1.0');
    expect(c.subject).toEqual({
      id: 'INC-1',
      source: '/rollwright/ledger/L-1',
      type: 'rollwright-decision',
      content: { transition: 'rollback', change: 'CHG-1', incident: 'INC-1' },
    });
  });
});
