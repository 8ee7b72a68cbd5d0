/**
 * `rollwright slo report` as a whole process: the example incident (src/testing/ledger/example.ts) recorded through
 * the built CLI yields the five durations against the example targets, in both stores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerEnv, recordAll, run } from '../../testing/ledger/cli-env.js';
import {
  CHANGE,
  EXAMPLE_CONFIG,
  EXAMPLE_EVIDENCE,
  EXAMPLE_PHASES,
  EXAMPLE_UNTIL_VERIFIED,
  INCIDENT,
} from '../../testing/ledger/example.js';
import { testStores } from '../../testing/ledger/stores.js';
import { cli, ensureBuilt } from '../../testing/cli.js';

const stores = testStores();
let repo: string;
beforeAll(async () => {
  await ensureBuilt();
  repo = join(stores.dir(), 'repo');
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, '.rollwright.yaml'), EXAMPLE_CONFIG);
});

describe.each(stores.kinds)('%s: rollwright slo report', (kind) => {
  it('gives the example incident’s five durations against the example targets (-o json, the rollwright.slo/v1 contract)', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, [...EXAMPLE_UNTIL_VERIFIED, ...EXAMPLE_EVIDENCE]);
    const r = await run(spec, ['slo', 'report', '-o', 'json', '--repo', repo]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
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
    const text = await run(spec, ['slo', 'report', '--repo', repo]);
    expect(text.stdout)
      .toBe(`Rollback SLOs: 1 incident, 0 with a breached phase (duration/target; ? = unknown: an event is missing)

INCIDENT       SERVICE   CHANGE         DETECT  DECIDE  EXECUTE  VERIFY  EVIDENCE
INC-2026-0042  checkout  CHG-2026-0821  4m/5m   6m/10m  12m/15m  8m/10m  6h/24h

SERVICE   PHASE     P50  P90  MAX  BREACHES
checkout  detect    4m   4m   4m   0
checkout  decide    6m   6m   6m   0
checkout  execute   12m  12m  12m  0
checkout  verify    8m   8m   8m   0
checkout  evidence  6h   6h   6h   0
`);
    const md = await run(spec, ['slo', 'report', '-o', 'markdown', '--repo', repo]);
    expect(md.stdout).toContain(
      '| INC-2026-0042 | checkout | CHG-2026-0821 | 4m/5m | 6m/10m | 12m/15m | 8m/10m | 6h/24h |',
    );
  });

  it('reports unknown phases as null, never zero, and breaches of phases still open', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(0, 4)); // declared, deployed, detected, decided
    const r = await run(spec, ['slo', 'report', '-o', 'json', '--repo', repo, '--at', '2026-01-05T09:20:00Z']);
    expect(JSON.parse(r.stdout).incidents[0].phases).toEqual({
      detect: { seconds: 240, target: 300, breached: false },
      decide: { seconds: 360, target: 600, breached: false },
      execute: { seconds: null, target: 900, breached: null }, // 10 minutes in, target 15
      verify: { seconds: null, target: 600, breached: null },
      evidence: { seconds: null, target: 86400, breached: null },
    });
    const later = await run(spec, ['slo', 'report', '-o', 'json', '--repo', repo, '--at', '2026-01-05T09:40:00Z']);
    expect(JSON.parse(later.stdout).incidents[0].phases.execute).toEqual({
      seconds: null,
      target: 900,
      breached: true,
    });
    expect(JSON.parse(later.stdout).services.checkout.execute).toEqual({
      p50: null,
      p90: null,
      max: null,
      breaches: 1,
    });
    const text = await run(spec, ['slo', 'report', '--repo', repo, '--at', '2026-01-05T09:40:00Z']);
    expect(text.stdout).toContain(
      'INC-2026-0042  checkout  CHG-2026-0821  4m/5m   6m/10m  ?/15m BREACH  ?/10m   ?/24h',
    );
    // Without targets, targets and breaches are null.
    const none = await run(spec, [
      'slo',
      'report',
      '-o',
      'json',
      '--repo',
      stores.dir(),
      '--at',
      '2026-01-05T09:40:00Z',
    ]);
    expect(JSON.parse(none.stdout).incidents[0].phases.detect).toEqual({ seconds: 240, target: null, breached: null });
  });

  it('filters by --service and --since', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    await recordAll(spec, [
      {
        type: 'incident.detected',
        flags: { incident: 'INC-API-1', service: 'api', env: 'prod', at: '2026-01-06T10:00:00Z' },
        data: { 'started-at': '2026-01-06T09:58:00Z' },
      },
    ]);
    const ids = async (args: string[]) =>
      JSON.parse((await run(spec, ['slo', 'report', '-o', 'json', '--repo', repo, ...args])).stdout).incidents.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids([])).toEqual([INCIDENT, 'INC-API-1']);
    expect(await ids(['--service', 'api'])).toEqual(['INC-API-1']);
    expect(await ids(['--since', '2026-01-06T00:00:00Z'])).toEqual(['INC-API-1']);
    expect(await ids(['--since', '2026-01-07T00:00:00+02:00'])).toEqual([]);
    const api = JSON.parse(
      (await run(spec, ['slo', 'report', '-o', 'json', '--repo', repo, '--service', 'api'])).stdout,
    );
    expect(api.incidents[0]).toEqual({
      id: 'INC-API-1',
      service: 'api',
      change: null,
      phases: expect.objectContaining({ detect: { seconds: 120, target: null, breached: null } }),
    });
  });
});

describe('rollwright slo: usage', () => {
  it('refuses bad flags, a bad config and a missing ledger', async () => {
    const dir = join(stores.dir(), 'slo-usage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.yaml'), 'rollbackSLO:\n  checkout:\n    detect: 5 minutes\n');
    const spec = { kind: 'sqlite' as const, path: join(dir, 'l.db') };
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(0, 3));
    const cases: Array<[string[], RegExp]> = [
      [['slo'], /slo needs a subcommand: report/],
      [['slo', 'report', '-o', 'csv'], /--output: "csv" is not one of text, json, markdown/],
      [
        ['slo', 'report', '--since', 'last week', '--store', `sqlite:${spec.path}`],
        /--since: "last week" is not an ISO 8601 time with a zone/,
      ],
      [
        ['slo', 'report', '--config', join(dir, 'bad.yaml'), '--store', `sqlite:${spec.path}`],
        /bad\.yaml: rollbackSLO\.checkout\.detect: write a duration such as 5m, 10m or 24h/,
      ],
      [['slo', 'report', '--store', `sqlite:${join(dir, 'none.db')}`], /none\.db: no ledger here/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { env: ledgerEnv() });
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    }
  });
});
