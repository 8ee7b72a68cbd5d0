/**
 * `rollwright rehearse` and `assess --rehearse`, whole process, on the bundled example's migrations:
 * on PGlite and on a real PostgreSQL 15 server the test starts itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleMigrations, exampleQueries, prismaMigrations, sqitchProject } from '../../rehearse/fixtures.js';
import type { RehearsalReport } from '../../rehearse/rehearse.js';
import { cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { buildExampleRepo, type ExampleStep } from '../../../examples/build-history.mjs';

let dir: string;
let repo: string;
let steps: ExampleStep[];
let server: PostgresServer;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rollwright-rehearse-cli-'));
  for (const [p, t] of Object.entries({
    ...exampleMigrations(),
    ...Object.fromEntries(exampleQueries().map((q) => [q.file, q.text])),
    ...Object.fromEntries(Object.entries(sqitchProject()).map(([k, v]) => [`flipr/${k}`, v])),
    ...prismaMigrations(),
  })) {
    mkdirSync(join(dir, dirname(p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  writeFileSync(join(dir, '.rollwright.yaml'), 'database:\n  queries: ["db/queries/*.sql"]\n');
  repo = mkdtempSync(join(tmpdir(), 'rollwright-rehearse-repo-'));
  steps = buildExampleRepo(repo).steps;
  server = await startPostgres();
}, 240_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
  await server?.stop();
});

const run = (args: string[]) => cli(['rehearse', ...args], { cwd: dir, env: cleanEnv(), timeoutMs: 120_000 });

describe('rollwright rehearse', () => {
  it('shows up, old-query check, down, schema comparison and re-up (text, PGlite)', async () => {
    const r = await run(['--from', '2', '--to', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const steps = r.stdout
      .split('\n')
      .filter((l) => /^(ok  |FAIL)/.test(l))
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(steps).toEqual([
      'ok start',
      'ok base',
      'ok seed',
      'ok up',
      'ok old-queries',
      'ok down',
      'ok schema',
      'ok rows',
      'ok re-up',
    ]);
    expect(r.stdout).toContain('rehearsal on pglite (golang-migrate): migrations after 2 up to 4 (000003, 000004)');
    expect(r.stdout).toMatch(/rehearsal passed in \d+ ms\n$/);
  }, 240_000);

  it('catches the down that does not restore the schema (-o json, default range = the last migration)', async () => {
    const r = await run(['-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as RehearsalReport;
    expect(doc).toMatchObject({
      schema: 'rollwright.rehearsal/v1',
      database: 'pglite',
      from: '000005',
      to: '000006',
      ok: false,
    });
    expect(doc.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      'start:true',
      'base:true',
      'seed:true',
      'up:true',
      'old-queries:true',
      'down:true',
      'schema:false',
      'rows:true',
      're-up:false',
    ]);
    expect(doc.steps.find((s) => s.step === 'schema')!.diff!.extra).toEqual(['column public.orders.coupon_id']);
    for (const s of doc.steps) expect(typeof s.ms).toBe('number');
  }, 240_000);

  it('runs the same rehearsal on a real PostgreSQL 15 server by URL, and drops its database', async () => {
    const r = await run(['-o', 'json', '--database-url', server.url]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as RehearsalReport;
    expect(doc.database).toBe('postgres');
    expect(doc.steps.find((s) => s.step === 'start')!.detail).toMatch(/^postgres in \d+ ms$/);
    expect(doc.steps.find((s) => s.step === 'schema')!.detail).toBe('column public.orders.coupon_id still exists');
    const ok = await run(['--from', '4', '--to', '5', '--database-url', server.url]);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toContain('db/queries/shop.sql:3: SELECT id, email, name, legacy_phone FROM users WHERE id = $1');
    expect(ok.stdout).toContain('error: column "legacy_phone" does not exist');
  }, 240_000);

  it('rehearses a sqitch project in plan order with its verify scripts (detected by sqitch.plan)', async () => {
    const r = await run(['--dir', 'flipr', '--from', 'users']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rehearsal on pglite (sqitch): migrations after users up to hashtags (flips, hashtags)');
    expect(r.stdout).toMatch(/^ok {4}verify +\d+ ms {2}2 verify script\(s\) ran without error$/m);
    expect(r.stdout).toMatch(/^ok {4}down +\d+ ms {2}2 down migration\(s\)$/m);
    const unknown = await run(['--dir', 'flipr', '--from', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--from nope: no change of that name in sqitch.plan');
  }, 240_000);

  it('Prisma (--format prisma): up runs, the down and the schema comparison are not possible, exit 1', async () => {
    const r = await run(['--dir', 'prisma/migrations', '--format', 'prisma', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as RehearsalReport;
    expect(doc).toMatchObject({ format: 'prisma', outcome: 'incomplete', ok: false });
    expect(doc.steps.map((s) => `${s.step}:${s.status}`).slice(-3)).toEqual([
      'old-queries:passed',
      'down:not-possible',
      'schema:not-possible',
    ]);
    const text = await run(['--dir', 'prisma/migrations']);
    expect(text.stdout).toMatch(
      /^n\/a {3}down +\d+ ms {2}no down migration for prisma\/migrations\/20240215093000_add_posts\/migration\.sql: Prisma has no down migrations/m,
    );
    expect(text.stdout).toMatch(
      /rehearsal INCOMPLETE \(a step could not run: the rollback is not proven\) in \d+ ms\n$/,
    );
  }, 240_000);

  it('usage and input errors exit 2', async () => {
    const format = await run(['--format', 'liquibase']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      '--format: "liquibase" is not one of sqitch, prisma, golang-migrate, flyway, dbmate, plain',
    );
    const noPlan = await run(['--dir', 'db/migrations', '--format', 'sqitch']);
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toContain('no sqitch.plan in the folder');
    const missing = await run(['--dir', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rollwright: nowhere: cannot read the migrations folder: ENOENT/);
    const bad = await run(['--from', '1;DROP']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: "1;DROP" is not a migration version');
  });
});

describe('rollwright assess --rehearse', () => {
  const step = (slug: string) => steps.find((s) => s.slug.startsWith(slug))!;

  it('adds the rehearsal findings to the assessment (example step 23), keeping the JSON contract', async () => {
    const s = step('23-');
    const r = await cli(['assess', '--repo', repo, '--base', s.parent, '--head', s.sha, '--rehearse', '-o', 'json'], {
      env: cleanEnv(),
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe('');
    const a = JSON.parse(r.stdout) as {
      schema: string;
      findings: Array<{ rule: string; messageId: string; file: string; message: string }>;
      rehearsal: RehearsalReport[];
    };
    expect(a.schema).toBe('rollwright.assessment/v1');
    const rehearsal = a.findings.filter((f) => f.rule === 'database/rehearsal');
    expect(rehearsal.map((f) => [f.messageId, f.file])).toEqual([
      ['notInverse', 'db/migrations/000006_add_coupons.down.sql'],
      ['reupFailed', 'db/migrations/000006_add_coupons.up.sql'],
    ]);
    expect(rehearsal[0]!.message).toBe(
      'after up and down the schema differs from before: column public.orders.coupon_id still exists',
    );
    expect(a.rehearsal[0]).toMatchObject({ from: '000005', to: '000006', migrations: ['000006'] });
  }, 240_000);

  it('without --rehearse nothing runs, and a change without SQL never loads the PostgreSQL parser', async () => {
    const hook = join(dir, 'trace-load.cjs');
    writeFileSync(
      hook,
      "const M = require('module'); const o = M._load; M._load = function (r, ...a) { if (/libpg-query|pglite/.test(r)) process.stderr.write('LOADED ' + r + '\\n'); return o.call(this, r, ...a); };\n",
    );
    const noSql = step('01-');
    const a = await cli(['assess', '--repo', repo, '--base', noSql.parent, '--head', noSql.sha, '-o', 'json'], {
      env: cleanEnv({ NODE_OPTIONS: `--require ${hook}` }),
    });
    expect(a.stderr).toBe('');
    const withSql = step('21-');
    const b = await cli(['assess', '--repo', repo, '--base', withSql.parent, '--head', withSql.sha, '-o', 'json'], {
      env: cleanEnv({ NODE_OPTIONS: `--require ${hook}` }),
    });
    expect(b.stderr).toMatch(/^LOADED \S*libpg-query/);
    expect(b.stderr).not.toContain('pglite');
    expect(JSON.parse(b.stdout).rehearsal).toBeUndefined();
  }, 240_000);
});
