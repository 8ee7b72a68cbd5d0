/**
 * Two `rollwright serve` processes (node dist/cli.cjs) on one real PostgreSQL database, ingesting at
 * once: the ledger's own append serialisation (an advisory lock inside the append procedure) keeps
 * one chain, and the delivery keys (written in the append's transaction) keep every event exactly
 * once, even when the same deliveries reach both replicas at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../testing/cli.js';
import { pgSkipped, startPostgres, type PostgresServer } from '../testing/postgres.js';
import { call, makeToken, startServe, type ServeProcess } from '../testing/serve.js';

let pg: PostgresServer | undefined;
let url: string;
const replicas: ServeProcess[] = [];

beforeAll(async () => {
  if (pgSkipped()) return;
  pg = await startPostgres();
  url = await pg.createDatabase();
});
afterAll(async () => {
  for (const r of replicas) await r.stop();
  await pg?.stop();
});

describe.skipIf(pgSkipped())('two replicas on one PostgreSQL store', () => {
  it('leave one valid chain with every event exactly once', async () => {
    const token = await makeToken(url, 'admin');
    replicas.push(await startServe(['--store', url, '--rate-limit', '0', '--verify-every', '0']));
    replicas.push(await startServe(['--store', url, '--rate-limit', '0', '--verify-every', '0']));
    const [a, b] = replicas as [ServeProcess, ServeProcess];
    const N = 120;
    const cdevent = (i: number) => ({
      context: {
        version: '0.4.1',
        id: `evt-${i}`,
        source: '/ci/pipeline',
        type: 'dev.cdevents.service.deployed.0.2.0',
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      },
      subject: {
        id: `svc-${i % 7}`,
        source: '/ci/pipeline',
        type: 'service',
        content: { environment: { id: 'prod' }, artifactId: `pkg:oci/app@sha256:${String(i).padStart(64, '0')}` },
      },
    });
    const alert = (i: number) => ({
      version: '4',
      status: 'firing',
      groupKey: `{}:{alertname="A${i}"}`,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: `A${i}`, service: `svc-${i % 7}`, env: 'prod' },
          startsAt: new Date(Date.now() - 30_000).toISOString(),
          fingerprint: `f${i.toString(16).padStart(15, '0')}`,
        },
      ],
    });
    // Every delivery goes to both replicas at once (a retrying sender behind a load balancer).
    const sends: Array<Promise<{ status: number; text: string }>> = [];
    for (let i = 0; i < N; i++) {
      const deployed = cdevent(i);
      const fired = alert(i);
      for (const r of [a, b]) {
        sends.push(call(`${r.url}/api/v1/events`, { token, body: deployed }));
        if (i % 4 === 0) sends.push(call(`${r.url}/api/v1/webhooks/alertmanager`, { token, body: fired }));
      }
    }
    // And some deliveries reach one replica only, so that each of them certainly records events
    // (which replica wins a delivery sent to both is a race).
    const ONLY = 10;
    for (let i = 0; i < 2 * ONLY; i++)
      sends.push(call(`${(i < ONLY ? a : b).url}/api/v1/events`, { token, body: cdevent(N + i) }));
    const results = await Promise.all(sends);
    for (const r of results) expect([200, 201], r.text).toContain(r.status);
    const verify = await cli(['ledger', 'verify', '-o', 'json', '--store', url]);
    expect(verify.code, verify.stderr).toBe(0);
    const v = JSON.parse(verify.stdout);
    const alerts = Math.ceil(N / 4);
    expect(v).toMatchObject({ ok: true, events: N + 2 * ONLY + alerts, broken: null });
    const exported = await cli(['ledger', 'export', '--store', url]);
    const events = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event ?? JSON.parse(l));
    const deployed = events.filter((e: { type: string }) => e.type === 'change.deployed');
    const detected = events.filter((e: { type: string }) => e.type === 'incident.detected');
    expect(deployed).toHaveLength(N + 2 * ONLY);
    expect(new Set(deployed.map((e: { subject: { change: string } }) => e.subject.change)).size).toBe(N + 2 * ONLY);
    expect(detected).toHaveLength(alerts);
    expect(new Set(detected.map((e: { subject: { incident: string } }) => e.subject.incident)).size).toBe(alerts);
    // Both replicas wrote.
    const recordedBy = await Promise.all([a, b].map(async (r) => (await call(`${r.url}/metrics`, { token })).text));
    for (const text of recordedBy)
      expect(text).toMatch(/rollwright_ingest_total\{source="events",outcome="recorded"\} [1-9]/);
  });
});
