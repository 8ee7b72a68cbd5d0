import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from './chain.js';
import { computeWindows, phaseSlug } from './windows.js';

let seq = 0;
function ev(
  type: string,
  change: string,
  at: string,
  payload: Record<string, unknown> = {},
  env = 'prod',
  service: string | null = 'shop',
): LedgerEvent {
  seq++;
  return {
    seq,
    id: `e${seq}`,
    type,
    subject: { change, incident: null, service, environment: env },
    occurredAt: `2026-01-${at}:00.000Z`,
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: 'ci',
    payload,
    prevHash: '',
    hash: '',
  };
}

describe('rollback windows', () => {
  const events = [
    ev('change.declared', 'CHG-1', '05T08:00', { rollbackWindow: '48h' }),
    ev('change.deployed', 'CHG-1', '05T09:00'),
    ev('change.deployed', 'CHG-1', '05T12:00'), // a redeploy does not reopen the window
    ev('change.declared', 'CHG-2', '05T08:00', {
      rollbackWindow: {
        appImage: '24h',
        databaseSchema: 'until-contract-phase',
        secretRotation: '2h unless compromise suspected',
        infrastructureModule: 'before old resource deletion',
      },
    }),
    ev('change.deployed', 'CHG-2', '05T10:00'),
    ev('change.deployed', 'CHG-2', '05T10:30', {}, 'staging'),
    ev('change.declared', 'CHG-3', '05T08:00', { rollbackWindow: '7d' }), // declared, never deployed
  ];

  it('opens at the first deployment; durations close by time, conditions by event', () => {
    const r = computeWindows(events, new Map(), { now: '2026-01-05T11:00:00.000Z', env: 'prod' });
    expect(
      r.windows.map((w) => [
        w.change,
        w.surface,
        w.kind,
        w.opensAt,
        w.closesAt,
        w.closesOn,
        w.condition,
        w.remainingSeconds,
      ]),
    ).toEqual([
      [
        'CHG-2',
        'secretRotation',
        'duration',
        '2026-01-05T10:00:00.000Z',
        '2026-01-05T12:00:00.000Z',
        null,
        'unless compromise suspected',
        3600,
      ],
      ['CHG-2', 'appImage', 'duration', '2026-01-05T10:00:00.000Z', '2026-01-06T10:00:00.000Z', null, null, 82800],
      ['CHG-1', null, 'duration', '2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z', null, null, 165600],
      ['CHG-2', 'databaseSchema', 'event', '2026-01-05T10:00:00.000Z', null, 'contract', null, null],
      ['CHG-2', 'infrastructureModule', 'event', '2026-01-05T10:00:00.000Z', null, 'old-resource-deletion', null, null],
    ]);
    expect(r.windows.every((w) => w.open && w.environment === 'prod')).toBe(true);
  });

  it('closes an event condition at the deployment of that phase, by the same change or the same service', () => {
    const more = [
      ...events,
      ev('change.deployed', 'CHG-9', '06T09:00', { phase: 'contract' }, 'prod', 'other'), // another service: no
      ev('change.deployed', 'CHG-7', '06T10:00', { phase: 'contract-phase' }, 'staging'), // another env: no
      ev('change.deployed', 'CHG-8', '06T11:00', { phase: 'Contract' }), // same service and env: yes
    ];
    const r = computeWindows(more, new Map(), { now: '2026-01-06T12:00:00.000Z', env: 'prod', all: true });
    const schema = r.windows.find((w) => w.surface === 'databaseSchema')!;
    expect(schema).toMatchObject({
      open: false,
      closesAt: '2026-01-06T11:00:00.000Z',
      closedBy: {
        seq: more.length > 0 ? more[more.length - 1]!.seq : 0,
        type: 'change.deployed',
        change: 'CHG-8',
        at: '2026-01-06T11:00:00.000Z',
      },
    });
    const open = computeWindows(more, new Map(), { now: '2026-01-06T12:00:00.000Z', env: 'prod' });
    expect(open.windows.map((w) => `${w.change}/${w.surface ?? '-'}`)).toEqual([
      'CHG-1/-',
      'CHG-2/infrastructureModule',
    ]);
  });

  it('falls back to the repository’s declaration for a change the ledger has no declaration for', () => {
    const r = computeWindows([ev('change.deployed', 'CHG-5', '05T09:00')], new Map([['CHG-5', '24h']]), {
      now: '2026-01-05T10:00:00.000Z',
    });
    expect(r.windows.map((w) => [w.change, w.closesAt])).toEqual([['CHG-5', '2026-01-06T09:00:00.000Z']]);
    expect(computeWindows([ev('change.deployed', 'CHG-6', '05T09:00')], new Map(), {}).windows).toEqual([]);
  });

  it('normalises phase names', () => {
    expect(phaseSlug('until-contract-phase'.replace(/^until-/, ''))).toBe('contract');
    expect(phaseSlug('Old Resource Deletion')).toBe('old-resource-deletion');
  });
});
