/**
 * The example incident (src/testing/ledger/example.ts) through the library, in both stores: SLO durations against
 * the example targets, the evidence still owed, and unknown phases reported as unknown.
 */
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../core/yaml.js';
import { ConfigSchema } from '../core/config-schema.js';
import { defaultConfig, type RollwrightConfig } from '../core/config.js';
import type { LedgerEvent } from './chain.js';
import { evidenceView } from './evidence.js';
import { prepareEvent, type RecordInput } from './record.js';
import { percentile, sloReport, SLO_EVENT_TYPES } from './slo.js';
import { Ledger } from './store.js';
import {
  CHANGE,
  EXAMPLE_CONFIG,
  EXAMPLE_EVIDENCE,
  EXAMPLE_PHASES,
  EXAMPLE_UNTIL_VERIFIED,
  INCIDENT,
  OWED_AFTER_VERIFIED,
  type ExampleStep,
} from '../testing/ledger/example.js';
import { testStores } from '../testing/ledger/stores.js';

const stores = testStores();
const config = (yaml: string): RollwrightConfig => ConfigSchema.parse(parseYaml(yaml).docs[0]?.value ?? {});
const NOW = Date.parse('2026-01-06T00:00:00Z');

function input(step: ExampleStep): RecordInput {
  const f = step.flags;
  return {
    type: step.type,
    payload: step.data,
    now: NOW,
    ...(f.change ? { change: f.change } : {}),
    ...(f.incident ? { incident: f.incident } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.env ? { environment: f.env } : {}),
    ...(f.at ? { at: f.at } : {}),
    ...(f.actor ? { actor: f.actor } : {}),
  };
}

async function record(l: Ledger, steps: ExampleStep[]): Promise<void> {
  for (const s of steps) await l.append([await prepareEvent(l, input(s))]);
}

async function incidentEvents(l: Ledger): Promise<LedgerEvent[]> {
  const own = await l.select({ incidents: [INCIDENT] });
  const change = (await l.select({ changes: [CHANGE] })).filter((e) => e.subject.incident === null);
  return [...own, ...change].sort((a, b) => a.seq - b.seq);
}

describe.each(stores.kinds)('%s: the example incident', (kind) => {
  it('yields the five durations against the example targets, and lists the evidence owed until it is attached', async () => {
    const l = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      const cfg = config(EXAMPLE_CONFIG);
      await record(l, EXAMPLE_UNTIL_VERIFIED);

      // Incident events inherit the change, service and environment of the detection.
      const decision = (await l.select({ types: ['decision.made'] }))[0]!;
      expect(decision.subject).toEqual({
        change: CHANGE,
        incident: INCIDENT,
        service: 'checkout',
        environment: 'prod',
      });

      const before = evidenceView(INCIDENT, 'incident', await incidentEvents(l), cfg);
      expect(before.owed).toEqual(OWED_AFTER_VERIFIED);
      expect(before.complete).toBe(false);
      expect(before.items.filter((i) => i.present).map((i) => [i.item, i.ref, i.recordedBy, i.via])).toEqual([
        ['change-id', CHANGE, 'alertmanager', 'incident.detected'],
        ['rollback-commit', '9f3c2a1', 'sre-bob', 'recovery.executed'],
        ['artifact-digest', `sha256:${'a'.repeat(64)}`, 'sre-bob', 'recovery.executed'],
        ['sync-log', 'https://argocd.example/applications/checkout?rev=9f3c2a1', 'sre-bob', 'recovery.executed'],
        ['health-metrics', 'https://grafana.example/d/checkout?from=0900&to=0930', 'sre-bob', 'recovery.verified'],
      ]);
      expect(before.timeline.map((t) => t.type)).toEqual([
        'change.declared',
        'change.deployed',
        'incident.detected',
        'decision.made',
        'recovery.executed',
        'recovery.verified',
      ]);

      const events = () => l.select({ types: SLO_EVENT_TYPES });
      // Evidence still owed half an hour after verification: unknown, and not breached yet.
      const early = sloReport(await events(), cfg, { now: '2026-01-05T10:00:00.000Z' });
      expect(early.incidents[0]!.phases).toEqual({
        ...EXAMPLE_PHASES,
        evidence: { seconds: null, target: 86400, breached: null },
      });
      // Still owed two days later: the duration is unknown, the breach is not.
      const late = sloReport(await events(), cfg, { now: '2026-01-07T10:00:00.000Z' });
      expect(late.incidents[0]!.phases.evidence).toEqual({ seconds: null, target: 86400, breached: true });
      expect(late.services.checkout!.evidence).toEqual({ p50: null, p90: null, max: null, breaches: 1 });

      await record(l, EXAMPLE_EVIDENCE);
      const after = evidenceView(INCIDENT, 'incident', await incidentEvents(l), cfg);
      expect(after.owed).toEqual([]);
      expect(after.complete).toBe(true);
      expect(after.completedAt).toBe('2026-01-05T15:30:00.000Z');
      expect(after.items.find((i) => i.item === 'postmortem-action')).toMatchObject({
        present: true,
        recordedBy: 'sre-carol',
        via: 'postmortem.action',
      });

      const report = sloReport(await events(), cfg, { now: '2026-01-07T10:00:00.000Z' });
      expect(report).toEqual({
        schema: 'rollwright.slo/v1',
        incidents: [{ id: INCIDENT, service: 'checkout', change: CHANGE, phases: EXAMPLE_PHASES }],
        services: {
          checkout: {
            detect: { p50: 240, p90: 240, max: 240, breaches: 0 },
            decide: { p50: 360, p90: 360, max: 360, breaches: 0 },
            execute: { p50: 720, p90: 720, max: 720, breaches: 0 },
            verify: { p50: 480, p90: 480, max: 480, breaches: 0 },
            evidence: { p50: 21600, p90: 21600, max: 21600, breaches: 0 },
          },
        },
      });
    } finally {
      await l.close();
    }
  });

  it('requires only the evidence an environment configures', async () => {
    const l = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      const cfg = config(`${EXAMPLE_CONFIG}environments:
  prod:
    paths: ['clusters/prod/**']
    evidence: [change-id, rollback-commit, artifact-digest, health-metrics]
`);
      await record(l, EXAMPLE_UNTIL_VERIFIED);
      const view = evidenceView(INCIDENT, 'incident', await incidentEvents(l), cfg);
      expect(view.owed).toEqual([]);
      expect(view.items.filter((i) => !i.required).map((i) => i.item)).toEqual([
        'approval',
        'policy-result',
        'sync-log',
        'drift-check',
        'postmortem-action',
      ]);
      // Complete when verified (health metrics came with the verification): the evidence phase took 0 s.
      const r = sloReport(await l.select({ types: SLO_EVENT_TYPES }), cfg, { now: '2026-01-05T10:00:00.000Z' });
      expect(r.incidents[0]!.phases.evidence).toEqual({ seconds: 0, target: 86400, breached: false });
    } finally {
      await l.close();
    }
  });
});

describe('SLO phases from events', () => {
  const base = { recordedAt: '2026-01-05T00:00:00.000Z', actor: 'x', prevHash: '', hash: '' };
  let seq = 0;
  const e = (
    type: string,
    incident: string | null,
    at: string,
    payload: Record<string, unknown> = {},
    extra: Partial<LedgerEvent['subject']> = {},
  ): LedgerEvent => ({
    ...base,
    seq: ++seq,
    id: `e${seq}`,
    type,
    subject: { change: null, incident, service: 'web', environment: 'prod', ...extra },
    occurredAt: `2026-01-05T${at}:00.000Z`,
    payload,
  });
  const cfg = config('rollbackSLO:\n  web: { detect: 5m, decide: 10m, execute: 15m, verify: 10m }\n');

  it('reports a phase whose events are missing as unknown, never zero', () => {
    const r = sloReport(
      [
        e('incident.detected', 'I-1', '09:04'),
        e('recovery.executed', 'I-1', '09:20', { transition: 'rollback' }),
        e('recovery.verified', 'I-1', '09:25', { result: 'passed' }),
      ],
      cfg,
      { now: '2026-01-05T09:30:00.000Z' },
    );
    expect(r.incidents[0]!.phases).toEqual({
      detect: { seconds: null, target: 300, breached: null }, // no change named, no started-at: no start
      decide: { seconds: null, target: 600, breached: true }, // no decision, and 26 minutes since the alert
      execute: { seconds: null, target: 900, breached: null }, // no decision to start from
      verify: { seconds: 300, target: 600, breached: false }, // recovery applied and verified: known
      evidence: { seconds: null, target: null, breached: null }, // owed, no target
    });
  });

  it('counts an unfinished phase already over its target as breached', () => {
    const r = sloReport([e('incident.detected', 'I-2', '09:00', { 'started-at': '2026-01-05T08:58:00.000Z' })], cfg, {
      now: '2026-01-05T09:30:00.000Z',
    });
    expect(r.incidents[0]!.phases.detect).toEqual({ seconds: 120, target: 300, breached: false });
    expect(r.incidents[0]!.phases.decide).toEqual({ seconds: null, target: 600, breached: true });
  });

  it('ignores failed verifications and decisions recorded before the alert', () => {
    const r = sloReport(
      [
        e('incident.detected', 'I-3', '09:00', { 'started-at': '2026-01-05T08:59:00.000Z' }),
        e('decision.made', 'I-3', '08:50', { transition: 'pause' }),
        e('decision.made', 'I-3', '09:03', { transition: 'rollback' }),
        e('recovery.executed', 'I-3', '09:05', { transition: 'rollback' }),
        e('recovery.verified', 'I-3', '09:07', { result: 'failed' }),
        e('recovery.verified', 'I-3', '09:21', { result: 'passed' }),
      ],
      cfg,
      { now: '2026-01-05T10:00:00.000Z' },
    );
    const p = r.incidents[0]!.phases;
    expect([p.detect.seconds, p.decide.seconds, p.execute.seconds, p.verify.seconds]).toEqual([60, 180, 120, 960]);
    expect(p.verify.breached).toBe(true);
  });

  it('uses the deployment of the named change in the incident’s environment as the bad state', () => {
    const r = sloReport(
      [
        e('change.deployed', null, '08:00', {}, { change: 'C-1', environment: 'staging' }),
        e('change.deployed', null, '09:00', {}, { change: 'C-1' }),
        e('change.deployed', null, '09:30', {}, { change: 'C-1' }), // after the alert: not the cause
        e('incident.detected', 'I-4', '09:07', {}, { change: 'C-1' }),
      ],
      cfg,
      { now: '2026-01-05T09:08:00.000Z' },
    );
    expect(r.incidents[0]).toMatchObject({
      change: 'C-1',
      phases: { detect: { seconds: 420, target: 300, breached: true } },
    });
  });

  it('aggregates per service: nearest-rank percentiles, max, breaches; filters by service and time', () => {
    const events: LedgerEvent[] = [];
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20];
    minutes.forEach((m, i) => {
      const id = `W-${i}`;
      events.push(e('incident.detected', id, `1${i}:00`, { 'started-at': `2026-01-05T1${i}:00:00.000Z` }));
      events.push(e('decision.made', id, `1${i}:${String(m).padStart(2, '0')}`, { transition: 'rollback' }));
    });
    events.push(e('incident.detected', 'A-1', '09:00', {}, { service: 'api' }));
    const r = sloReport(events, cfg, { now: '2026-01-06T00:00:00.000Z' });
    expect(Object.keys(r.services)).toEqual(['api', 'web']);
    expect(r.services.web!.decide).toEqual({ p50: 300, p90: 540, max: 1200, breaches: 1 });
    expect(r.services.web!.detect).toEqual({ p50: 0, p90: 0, max: 0, breaches: 0 });
    expect(r.services.api!.decide).toEqual({ p50: null, p90: null, max: null, breaches: 0 });
    expect(r.incidents.map((i) => i.id)).toEqual(['A-1', ...minutes.map((_, i) => `W-${i}`)]);
    expect(sloReport(events, cfg, { service: 'api' }).incidents.map((i) => i.id)).toEqual(['A-1']);
    expect(sloReport(events, cfg, { since: '2026-01-05T18:00:00.000Z' }).incidents.map((i) => i.id)).toEqual([
      'W-8',
      'W-9',
    ]);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([5], 90)).toBe(5);
  });

  it('groups incidents without a service under (unknown), and uses * targets for services not listed', () => {
    const r = sloReport(
      [e('incident.detected', 'N-1', '09:00', { 'started-at': '2026-01-05T08:50:00.000Z' }, { service: null })],
      config('rollbackSLO:\n  "*": { detect: 5m }\n'),
      { now: '2026-01-05T09:01:00.000Z' },
    );
    expect(r.incidents[0]).toMatchObject({
      service: null,
      phases: { detect: { seconds: 600, target: 300, breached: true } },
    });
    expect(Object.keys(r.services)).toEqual(['(unknown)']);
    expect(sloReport([], defaultConfig())).toEqual({ schema: 'rollwright.slo/v1', incidents: [], services: {} });
  });
});
