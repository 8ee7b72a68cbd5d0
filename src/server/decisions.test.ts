/**
 * `POST /api/v1/decisions` on a real repository: `rollwright serve --repo` over a git repository
 * with a change (an image bump of a Deployment that an Argo CD Application syncs with self-heal, and
 * its declaration), the change's deployment and an incident recorded through the API. The server
 * decides on its mirror as `rollwright decide` does, answers with the decision, and records it as
 * `decision.made` for the incident.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDeployment, webProdApplication as app } from '../engine/decide/fixtures.js';
import { cleanEnv, cli } from '../testing/cli.js';
import { GitFixture } from '../testing/git-fixture.js';
import { conforms } from '../testing/openapi.js';
import { call, makeToken, startServe, type ServeProcess } from '../testing/serve.js';

const image = (d: string) => `registry.example/web@sha256:${d.repeat(64)}`;

let f: GitFixture;
let bad: string;
let dir: string;
let store: string;
let serve: ServeProcess;
let ingest: string;
let read: string;

beforeAll(async () => {
  f = GitFixture.create('rollwright-serve-decide-');
  f.commit('web v1', {
    'argocd/web-prod.yaml': app,
    'clusters/prod/web/deployment.yaml': webDeployment(image('1')),
    '.rollwright.yaml': 'environments:\n  prod:\n    paths: ["clusters/prod/**"]\n',
  });
  bad = f.commit('web v2\n\nChange-Id: CHG-100', {
    'clusters/prod/web/deployment.yaml': webDeployment(image('2')),
    '.rollwright/changes/CHG-100.yaml':
      'change:\n  id: CHG-100\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: git revert\n  rollbackWindow: 48h\n',
  });
  dir = mkdtempSync(join(tmpdir(), 'rollwright-serve-decide-store-'));
  store = `sqlite:${join(dir, 'ledger.db')}`;
  ingest = await makeToken(store, 'ingest');
  read = await makeToken(store, 'read');
  serve = await startServe(['--store', store, '--repo', f.dir, '--rate-limit', '0', '--verify-every', '0']);
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  f?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/v1/decisions', () => {
  it('decides on the server repository and records decision.made for the incident', async () => {
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const deployed = await call(`${serve.url}/api/v1/events`, {
      token: ingest,
      body: {
        type: 'change.deployed',
        change: 'CHG-100',
        service: 'web',
        environment: 'prod',
        at: at(-30),
        payload: { artifact: image('2') },
      },
    });
    expect(deployed.status, deployed.text).toBe(201);
    const detected = await call(`${serve.url}/api/v1/events`, {
      token: ingest,
      body: { type: 'incident.detected', incident: 'INC-9', change: 'CHG-100', at: at(-10), payload: {} },
    });
    expect(detected.status, detected.text).toBe(201);

    const r = await call(`${serve.url}/api/v1/decisions`, {
      token: ingest,
      body: { change: 'CHG-100', incident: 'INC-9', facts: { 'loop-repeating-damage': true } },
    });
    expect(r.status, r.text).toBe(201);
    conforms('/api/v1/decisions', 'post', r);
    const d = r.body.decision;
    // The repository's facts: the change's commit, its declaration, the Argo CD Application that
    // syncs it with self-heal (paused first, since the loop repeats the damage), the revert.
    expect(d).toMatchObject({
      schema: 'rollwright.decision/v1',
      change: 'CHG-100',
      transition: 'rollback',
      containment: ['pause'],
      class: 'fully-reversible',
      environment: 'prod',
      playbook: 'bad-app-release',
    });
    const commands = (d.runbook as Array<{ command: string | null }>).map((s) => s.command);
    expect(commands[0]).toBe('argocd app set argocd/web-prod --sync-policy none');
    expect(commands).toContain(`rollwright revert ${bad} --apply --incident INC-9`);
    // The same decision as `rollwright decide` on the same repository and ledger.
    const viaCli = await cli(
      [
        'decide',
        '--change',
        'CHG-100',
        '--incident',
        'INC-9',
        '--fact',
        'loop-repeating-damage=yes',
        '--no-record',
      ].concat(['--store', store, '-o', 'json']),
      { cwd: f.dir, env: cleanEnv() },
    );
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(d).toEqual(JSON.parse(viaCli.stdout));

    // Recorded: decision.made for INC-9, with what the CLI records, by the token that asked.
    expect(r.body).toMatchObject({ recorded: { incident: 'INC-9' }, notRecorded: null });
    const events = await call(`${serve.url}/api/v1/events?incident=INC-9&type=decision.made`, { token: read });
    expect(events.body.events).toHaveLength(1);
    const e = events.body.events[0];
    expect(e.seq).toBe(r.body.recorded.seq);
    expect(e.actor).toMatch(/^token:/);
    expect(e.subject).toEqual({ change: 'CHG-100', incident: 'INC-9', service: 'web', environment: 'prod' });
    expect(e.payload).toEqual({
      transition: 'rollback',
      class: 'fully-reversible',
      playbook: 'bad-app-release',
      change: 'CHG-100',
      commits: [bad],
      'commits-source': 'trailer',
      containment: ['pause'],
      rationale: (d.rationale as Array<{ question: string; answer: string; source: string }>)
        .map((x, i) => `${i + 1}. ${x.question} ${x.answer} [${x.source}]`)
        .join('\n'),
      ...(d.assumptions.length ? { assumptions: d.assumptions } : {}),
      facts: { 'loop-repeating-damage': 'yes' },
    });
    // The decide phase of the incident's SLO ends at the decision.
    const inc = await call(`${serve.url}/api/v1/incidents/INC-9`, { token: read });
    expect(inc.body.phases.decide.seconds).toBeGreaterThan(0);

    // record: false decides without writing; an unknown change is a 422 naming it, nothing written.
    const dry = await call(`${serve.url}/api/v1/decisions`, {
      token: ingest,
      body: { change: 'CHG-100', incident: 'INC-9', record: false },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ recorded: null, notRecorded: 'record: false' });
    const unknown = await call(`${serve.url}/api/v1/decisions`, { token: ingest, body: { change: 'CHG-404' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('CHG-404');
    const after = await call(`${serve.url}/api/v1/events?incident=INC-9&type=decision.made`, { token: read });
    expect(after.body.events).toHaveLength(1);
  });
});
