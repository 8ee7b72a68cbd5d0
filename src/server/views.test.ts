/**
 * The server's incremental views against the library's whole-ledger functions: after every batch of
 * appends (and as the clock moves), the state kept per incident and per deployment answers exactly
 * what `slo report`, `windows` and a freshly loaded state answer over the same events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type RollwrightConfig } from '../core/config.js';
import { sloReport } from '../ledger/slo.js';
import { Ledger, type NewEvent } from '../ledger/store.js';
import { computeWindows } from '../ledger/windows.js';
import { LedgerState } from './views.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const config: RollwrightConfig = {
  ...defaultConfig(),
  rollbackSLO: {
    web: { detect: '5m', decide: '10m', execute: '15m', verify: '10m', evidence: '24h' },
    '*': { detect: '10m', decide: '30m', execute: '30m', verify: '30m', evidence: '48h' },
  },
};

function ev(
  type: string,
  subject: Partial<NewEvent['subject']>,
  min: number,
  payload: Record<string, unknown> = {},
): NewEvent {
  return {
    type,
    subject: { change: null, incident: null, service: null, environment: null, ...subject },
    occurredAt: at(min),
    actor: 'test',
    payload,
  };
}

let dir: string;
let ledger: Ledger;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-views-'));
  ledger = await Ledger.open({ kind: 'sqlite', path: join(dir, 'ledger.db') }, { create: true });
});
afterAll(async () => {
  await ledger?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the server views, kept incrementally', () => {
  it('equal the library over the whole ledger after each batch and as the clock moves', async () => {
    let clock = T0 + 60 * 60_000;
    const state = new LedgerState(ledger, config, () => clock);
    const web = { service: 'web', environment: 'prod' };
    const batches: NewEvent[][] = [
      [
        ev('change.declared', { change: 'A' }, 0, { rollbackWindow: '48h', environment: 'prod' }),
        ev('change.deployed', { change: 'A', ...web }, 5, { artifact: 'a1' }),
        ev('change.declared', { change: 'B' }, 1, {
          rollbackWindow: { databaseSchema: 'until-contract-phase', appImage: '2h' },
          environment: 'prod',
        }),
        ev('change.deployed', { change: 'B', service: 'db', environment: 'staging' }, 6),
        ev('change.deployed', { change: 'B', service: 'db', environment: 'prod' }, 8),
        ev('incident.detected', { incident: 'INC-1', change: 'A', ...web }, 20, { severity: 'critical' }),
        ev('incident.detected', { incident: 'INC-2', change: 'B', service: 'db', environment: 'prod' }, 25, {
          'started-at': at(24),
        }),
      ],
      [
        ev('decision.made', { incident: 'INC-1', change: 'A', ...web }, 24, { transition: 'rollback' }),
        ev('recovery.executed', { incident: 'INC-1', change: 'A', ...web }, 30, {
          transition: 'rollback',
          commit: 'f00',
        }),
        // A later deployment of A: the window still opens at the first; the incident's bad state moves.
        ev('change.deployed', { change: 'A', ...web }, 15, { artifact: 'a2' }),
        ev('evidence.attached', { incident: 'INC-1', change: 'A', ...web }, 31, { item: 'approval', ref: 'x' }),
        // B's contract phase closes its schema window.
        ev('change.deployed', { change: 'B', service: 'db', environment: 'prod' }, 40, { phase: 'contract' }),
        ev('change.assessed', { change: 'C' }, 41, { class: 'fully-reversible', gate: 'passed' }),
      ],
      [
        ev('recovery.verified', { incident: 'INC-1', change: 'A', ...web }, 42, { result: 'passed', metrics: 'm' }),
        ...['policy-result', 'sync-log', 'drift-check', 'postmortem-action', 'artifact-digest', 'health-metrics'].map(
          (item, k) => ev('evidence.attached', { incident: 'INC-1', change: 'A', ...web }, 43 + k, { item, ref: item }),
        ),
        ev('incident.detected', { incident: 'INC-3' }, 50),
        ev('incident.resolved', { incident: 'INC-2', change: 'B', service: 'db', environment: 'prod' }, 52),
        ev('change.declared', { change: 'A' }, 53, { rollbackWindow: '1h', environment: 'prod' }),
      ],
      // Only the change's events: the incident blamed on it changes (its bad state, its timeline).
      [
        ev('change.deployed', { change: 'A', ...web }, 19, { artifact: 'a3' }),
        ev('change.merged', { change: 'A' }, 2, { commit: 'abc' }),
      ],
    ];
    const openCounts: number[] = [];
    const check = async () => {
      await state.refresh();
      const iso = new Date(clock).toISOString();
      const all = state.all();
      expect(state.slo()).toEqual(sloReport(all, config, { now: iso }));
      const w = computeWindows(all, new Map(), { all: true, now: iso });
      expect(state.windows({ all: true })).toEqual(w);
      expect(state.windows()).toEqual({ ...w, windows: w.windows.filter((x) => x.open) });
      expect(state.windows({ env: 'staging', all: true }).windows.map((x) => x.environment)).toEqual(
        w.windows.filter((x) => x.environment === 'staging').map((x) => x.environment),
      );
      const open = w.windows.filter((x) => x.open);
      const perEnv = new Map<string, number>();
      for (const x of open) perEnv.set(x.environment, (perEnv.get(x.environment) ?? 0) + 1);
      expect(state.openWindowCount()).toEqual(perEnv);
      // The API's pages of windows: the same windows, a page at a time.
      const paged: unknown[] = [];
      for (let cursor = ''; ;) {
        const page = state.windowsPage({ all: true }, new URLSearchParams({ limit: '1', cursor }));
        paged.push(...page.windows);
        if (!page.next) break;
        cursor = page.next;
      }
      expect(paged).toEqual(w.windows);
      expect(state.windowsPage({}, new URLSearchParams()).windows).toEqual(open);
      openCounts.push(open.length);
      // A state loaded from scratch now sees the same incidents, services and changes.
      const fresh = new LedgerState(ledger, config, () => clock);
      await fresh.refresh();
      expect(state.incidents()).toEqual(fresh.incidents());
      expect(state.services()).toEqual(fresh.services());
      expect(state.changes()).toEqual(fresh.changes());
    };
    for (const batch of batches) {
      await ledger.append(batch);
      clock += 10_000;
      await check();
    }
    // The clock alone moves running phases (INC-3 waits for its decision) and closes windows: A's 1 h
    // window first, then B's 2 h window in staging (deployed 2 minutes before prod), then all.
    clock += 10 * 60_000;
    await check();
    clock += 57 * 60_000;
    await check();
    clock += 3 * 24 * 3600_000;
    await check();
    expect(openCounts.slice(-4)).toEqual([3, 2, 1, 0]);
    const inc3 = state.incidents().find((i) => i.id === 'INC-3')!;
    expect(inc3.phases!.decide).toMatchObject({ seconds: null, breached: true });
    expect(state.windows().windows).toEqual([]);
    expect(state.incidents().map((i) => i.id)).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(state.incidents().find((i) => i.id === 'INC-1')!.complete).toBe(true);
  });
});
