import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDeployment } from '../../engine/decide/fixtures.js';
import { cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { GitFixture } from '../../testing/git-fixture.js';

describe('rollwright incident start: from the alert to the decision', () => {
  let f: GitFixture;
  let first: string;
  let latest: string;
  let staging: string;
  const tmp = mkdtempSync(join(tmpdir(), 'rollwright-incident-'));
  const store = `sqlite:${join(tmp, 'ledger.db')}`;
  const env = cleanEnv({ ROLLWRIGHT_ACTOR: 'oncall', ROLLWRIGHT_OFFLINE: '1', HOME: tmp });
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const run = (args: string[]) => cli([...args, '--store', store], { cwd: f.dir, env });
  const deployed = async (change: string, service: string, environment: string, minutesAgo: number) =>
    expect(
      (
        await run([
          'record',
          'change.deployed',
          '--change',
          change,
          '--service',
          service,
          '--env',
          environment,
          '--at',
          ago(minutesAgo),
          '--data',
          `commit=${change}`,
        ])
      ).code,
    ).toBe(0);

  beforeAll(async () => {
    await ensureBuilt();
    f = GitFixture.create('rollwright-incident-repo-');
    f.commit('web 1', { 'apps/web.yaml': webDeployment('ghcr.io/acme/web@sha256:' + 'a'.repeat(64)) });
    first = f.commit('web 2', { 'apps/web.yaml': webDeployment('ghcr.io/acme/web@sha256:' + 'b'.repeat(64)) });
    latest = f.commit('web 3', { 'apps/web.yaml': webDeployment('ghcr.io/acme/web@sha256:' + 'c'.repeat(64)) });
    staging = f.commit('web 4', { 'apps/web.yaml': webDeployment('ghcr.io/acme/web@sha256:' + 'd'.repeat(64)) });
    await deployed(first, 'web', 'prod', 180);
    await deployed(latest, 'web', 'prod', 60);
    await deployed(staging, 'web', 'staging', 30); // another environment
    await deployed(first, 'api', 'prod', 20); // another service
  });
  afterAll(() => {
    f?.cleanup?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('picks the latest prod deployment of the service, records the detection at the alert start (-15m), and decides', async () => {
    const r = await run([
      'incident',
      'start',
      '--service',
      'web',
      '--env',
      'prod',
      '--alert-started-at',
      '-15m',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { change: string; transition: string; schema: string };
    expect(d.schema).toBe('rollwright.decision/v1');
    expect(d.change).toBe(latest);
    // What it resolved is said on stderr, so that stdout stays the JSON document.
    expect(r.stderr).toContain(`Deployment: ${latest} (commit ${latest.slice(0, 12)}) of web in prod`);
    expect(r.stderr).toMatch(/Alert: {6}started \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(15m ago\)/);

    const events = (await run(['ledger', 'export'])).stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            occurredAt: string;
            subject: Record<string, string | null>;
            payload: Record<string, unknown>;
          },
      );
    const detected = events.find((e) => e.type === 'incident.detected')!;
    expect(detected.subject).toMatchObject({ change: latest, service: 'web', environment: 'prod' });
    const startedAt = Date.parse(detected.payload['started-at'] as string);
    expect(Date.parse(detected.occurredAt) - startedAt).toBeGreaterThanOrEqual(15 * 60_000);
    expect(Date.parse(detected.occurredAt) - startedAt).toBeLessThan(16 * 60_000);
    expect(events.at(-1)).toMatchObject({ type: 'decision.made', subject: { incident: detected.subject.incident } });

    // The detect phase is measured from the alert's start, not from when the command ran.
    const slo = JSON.parse((await run(['slo', 'report', '-o', 'json'])).stdout) as {
      incidents: Array<{ id: string; phases: { detect: { seconds: number } } }>;
    };
    const inc = slo.incidents.find((i) => i.id === detected.subject.incident)!;
    expect(inc.phases.detect.seconds).toBeGreaterThanOrEqual(900);
    expect(inc.phases.detect.seconds).toBeLessThan(960);
  });

  it('text output names the deployment, the alert time in UTC and the recorded event before the decision', async () => {
    const r = await run([
      'incident',
      'start',
      '--service',
      'web',
      '--env',
      'staging',
      '--incident',
      'INC-7',
      '--alert-started-at',
      ago(5),
      '--no-record',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^Deployment: ${staging} \\(commit ${staging.slice(0, 12)}\\) of web in staging`),
    );
    expect(r.stdout).toContain('Recorded:   #');
    expect(r.stdout).toContain('incident.detected INC-7');
    expect(r.stdout).toMatch(/\n\nDecision: \w+/);
    expect(r.stdout).toContain(`Change:   ${staging} (staging)`);
  });

  it('refuses what it cannot resolve: an unknown service, a time that is not one, an incident twice', async () => {
    const none = await run(['incident', 'start', '--service', 'cart', '--no-decide']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no change.deployed of service cart');
    const bad = await run(['incident', 'start', '--service', 'web', '--alert-started-at', '25:00', '--no-decide']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--alert-started-at: "25:00" is not a time of day');
    expect((await run(['incident', 'start', '--service', 'web', '--incident', 'INC-7', '--no-decide'])).code).toBe(2);
    expect((await run(['incident', 'stop'])).code).toBe(2);
  });
});
