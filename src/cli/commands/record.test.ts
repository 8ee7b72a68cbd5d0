/**
 * `rollwright record` as a whole process, against a real SQLite file and a real PostgreSQL server.
 * Every bad input is a clear error with exit code 2 (1 for a broken chain), and nothing is written.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { knownKeys, PAYLOAD_SCHEMAS } from '../../ledger/events.js';
import { SCHEMA_VERSION } from '../../ledger/migrations.js';
import type { EventType } from '../../core/vocabulary.js';
import { CHANGE, EXAMPLE_UNTIL_VERIFIED, INCIDENT } from '../../testing/ledger/example.js';
import { ledgerEnv, recordAll, run, storeFlag } from '../../testing/ledger/cli-env.js';
import { rawSql } from '../../testing/ledger/raw.js';
import { testStores } from '../../testing/ledger/stores.js';
import type { StoreSpec } from '../../ledger/store-spec.js';
import { cli, ensureBuilt } from '../../testing/cli.js';

const stores = testStores();
beforeAll(async () => {
  await ensureBuilt();
});

async function count(spec: StoreSpec): Promise<number> {
  return Number((await rawSql(spec, 'SELECT count(*) AS n FROM ledger_events'))[0]!.n);
}

describe.each(stores.kinds)('%s: rollwright record', (kind) => {
  it('records the example incident, one line per event, each chained to the one before', async () => {
    const spec = await stores.fresh(kind);
    const out = await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    expect(out.map((r) => r.stdout.replace(/hash [0-9a-f]{12}/, 'hash H'))).toEqual([
      `recorded #1 change.declared ${CHANGE} at 2026-01-05T08:30:00.000Z by dev-alice (hash H)\n`,
      `recorded #2 change.deployed ${CHANGE} at 2026-01-05T09:00:00.000Z by argocd (hash H)\n`,
      `recorded #3 incident.detected ${INCIDENT} at 2026-01-05T09:04:00.000Z by alertmanager (hash H)\n`,
      `recorded #4 decision.made ${INCIDENT} at 2026-01-05T09:10:00.000Z by sre-bob (hash H)\n`,
      `recorded #5 recovery.executed ${INCIDENT} at 2026-01-05T09:22:00.000Z by sre-bob (hash H)\n`,
      `recorded #6 recovery.verified ${INCIDENT} at 2026-01-05T09:30:00.000Z by sre-bob (hash H)\n`,
    ]);
    expect(out.every((r) => r.stderr === '')).toBe(true);
    const json = await run(spec, [
      'record',
      'evidence.attached',
      '--incident',
      INCIDENT,
      '--data',
      'item=approval',
      '--data',
      'ref=CAB-7781',
      '--actor',
      'bob',
      '-o',
      'json',
    ]);
    expect(json.code).toBe(0);
    const e = JSON.parse(json.stdout);
    expect(e).toMatchObject({
      seq: 7,
      type: 'evidence.attached',
      subject: { change: CHANGE, incident: INCIDENT, service: 'checkout', environment: 'prod' },
      actor: 'bob',
      payload: { item: 'approval', ref: 'CAB-7781' },
    });
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await count(spec)).toBe(7);
  });

  it.each<[string, string[], number, RegExp]>([
    [
      'an unknown event type',
      ['record', 'incident.exploded', '--incident', 'INC-1'],
      2,
      /^rollwright: unknown event type "incident\.exploded"; the event types are: change\.declared, change\.assessed, /,
    ],
    [
      'a time in the future',
      ['record', 'incident.detected', '--incident', 'INC-9', '--at', '2999-01-01T00:00:00Z'],
      2,
      /^rollwright: --at: "2999-01-01T00:00:00Z" is in the future \(now is /,
    ],
    [
      'an unparseable time',
      ['record', 'incident.detected', '--incident', 'INC-9', '--at', 'last tuesday'],
      2,
      /^rollwright: --at: "last tuesday" is not an ISO 8601 time with a zone/,
    ],
    [
      'a payload that does not match its type',
      ['record', 'decision.made', '--incident', INCIDENT, '--data', 'transition=undo'],
      2,
      /^rollwright: the payload does not match decision\.made:\n {2}- transition: must be one of rollback, rollforward, compensate, pause, abort-rollout, restore, repair-state, break-glass\nnothing was recorded/,
    ],
    [
      'an unknown payload key',
      ['record', 'evidence.attached', '--incident', INCIDENT, '--data', 'itme=approval', '--data', 'ref=x'],
      2,
      /unknown key "itme" \(known: item, ref, digest, note\)/,
    ],
    [
      'an event for an incident that does not exist',
      ['record', 'recovery.executed', '--incident', 'INC-404', '--data', 'transition=rollback'],
      2,
      /^rollwright: no incident INC-404 in the ledger: record `incident\.detected --incident INC-404` first; nothing was recorded/,
    ],
    [
      'a second detection of an incident',
      ['record', 'incident.detected', '--incident', INCIDENT],
      2,
      /^rollwright: incident INC-2026-0042 was already detected \(event #3 at 2026-01-05T09:04:00\.000Z\); nothing was recorded/,
    ],
    [
      'a bad --data pair',
      ['record', 'incident.resolved', '--incident', INCIDENT, '--data', 'summary'],
      2,
      /^rollwright: --data "summary": write key=value/,
    ],
    ['no event type', ['record', '--incident', INCIDENT], 2, /^rollwright: record needs an event type/],
    [
      'an unknown flag',
      ['record', 'incident.resolved', '--incident', INCIDENT, '--colour'],
      2,
      /^rollwright: Unknown option '--colour'/,
    ],
  ])('refuses %s, and writes nothing', async (_name, args, code, message) => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    const r = await run(spec, args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    expect(await count(spec)).toBe(EXAMPLE_UNTIL_VERIFIED.length);
  });

  it('refuses to record onto a ledger whose last event was edited (exit 1), and one from a newer schema (exit 2)', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 6");
    const r = await run(spec, ['record', 'incident.resolved', '--incident', INCIDENT]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the ledger's chain is broken, so nothing is added to it: event #6 .* was edited: its content does not match its hash; run `rollwright ledger verify` for the details; nothing was recorded/,
    );
    await rawSql(spec, "UPDATE ledger_events SET actor = 'sre-bob' WHERE seq = 6");
    const future = SCHEMA_VERSION + 5;
    await rawSql(spec, `INSERT INTO ledger_migrations (version, name, applied_at) VALUES (${future}, 'future', 'x')`);
    const newer = await run(spec, ['record', 'incident.resolved', '--incident', INCIDENT]);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain(
      `the ledger has schema version ${future}, newer than this rollwright knows (${SCHEMA_VERSION}): upgrade rollwright to use it; nothing was changed`,
    );
    expect(await count(spec)).toBe(EXAMPLE_UNTIL_VERIFIED.length);
  });

  it.each<[string, string, RegExp]>([
    [
      'an event edited in the middle',
      'UPDATE ledger_events SET payload = \'{"transition":"rollforward"}\' WHERE seq = 4',
      /event #4 \(decision\.made incident INC-2026-0042, id .*\) was edited: its content does not match its hash/,
    ],
    ['an event deleted in the middle', 'DELETE FROM ledger_events WHERE seq = 2', /event #2 is missing \(deleted\)/],
    [
      'rows beyond the head',
      "INSERT INTO ledger_events SELECT seq + 1, 'extra', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = 6",
      /events #7–#7 lie beyond the head \(#6\): they were added outside rollwright/,
    ],
    [
      'a row numbered 0',
      "INSERT INTO ledger_events SELECT 0, 'forged', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, prev_hash, hash FROM ledger_events WHERE seq = 1",
      /event #0 \(change\.declared, id forged\) lies before the chain's first event \(#1\)/,
    ],
  ])(
    'refuses to record onto a chain with %s: exit 1, the break named, nothing written',
    async (_name, tamper, message) => {
      const spec = await stores.fresh(kind);
      await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
      await rawSql(spec, tamper);
      const before = await count(spec);
      for (const args of [
        ['record', 'incident.resolved', '--incident', INCIDENT],
        ['record', 'change.merged', '--change', 'CHG-other'],
      ]) {
        const r = await run(spec, args);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^rollwright: .*: the ledger's chain is broken, so nothing is added to it: /);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/nothing was recorded\n$/);
      }
      expect(await count(spec)).toBe(before);
    },
  );

  it('takes a declaration file and an assessment report as payloads', async () => {
    const spec = await stores.fresh(kind);
    const dir = join(stores.dir(), `files-${kind}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'CHG-7.yaml'),
      'change:\n  id: CHG-7\n  environment: prod\n  rollbackClass: reversible-with-compatibility-window\n  rollbackWindow:\n    appImage: 24h\n    databaseSchema: until-contract-phase\n  rollbackMethod: revert\n  verification:\n    - error-rate < 1%\n',
    );
    writeFileSync(
      join(dir, 'assessment.json'),
      JSON.stringify({
        schema: 'rollwright.assessment/v1',
        base: 'a'.repeat(40),
        head: 'b'.repeat(40),
        class: 'forward-only',
        findings: [{}, {}],
        gate: { passed: false, reasons: ['x'] },
      }),
    );
    const d = await run(spec, [
      'record',
      'change.declared',
      '--change',
      'CHG-7',
      '--data-file',
      join(dir, 'CHG-7.yaml'),
      '-o',
      'json',
    ]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout).payload).toEqual({
      id: 'CHG-7',
      environment: 'prod',
      rollbackClass: 'reversible-with-compatibility-window',
      rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' },
      rollbackMethod: 'revert',
      verification: ['error-rate < 1%'],
      source: join(dir, 'CHG-7.yaml'),
    });
    const a = await run(spec, [
      'record',
      'change.assessed',
      '--change',
      'CHG-7',
      '--data-file',
      join(dir, 'assessment.json'),
      '-o',
      'json',
    ]);
    expect(JSON.parse(a.stdout).payload).toEqual({
      class: 'forward-only',
      gate: 'failed',
      findings: 2,
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
      report: join(dir, 'assessment.json'),
    });
    // The environment of a deployment comes from the declaration when --env is not given.
    const dep = await run(spec, ['record', 'change.deployed', '--change', 'CHG-7', '--service', 'shop', '-o', 'json']);
    expect(JSON.parse(dep.stdout).subject.environment).toBe('prod');
  });
});

describe('--help', () => {
  it('lists every payload key of every event type under that type (decision.made: what rollwright decide records)', async () => {
    const r = await cli(['record', '--help'], { env: ledgerEnv() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const types = Object.keys(PAYLOAD_SCHEMAS) as EventType[];
    for (const type of types.filter((t) => t !== 'change.declared')) {
      // The type's own line and its continuation lines (indented, no type name).
      const at = lines.findIndex((l) => l.startsWith(`  ${type} `));
      expect(at, type).toBeGreaterThan(-1);
      let block = lines[at]!;
      for (let i = at + 1; i < lines.length && /^ {22}\S/.test(lines[i]!); i++) block += `\n${lines[i]}`;
      for (const key of knownKeys(type))
        expect(block, `${type} ${key}`).toMatch(new RegExp(`(^|[\\s\\[])${key.replace('.', '\\.')}[=.]`));
    }
  });
});

describe('choosing the store', () => {
  // Which store a command uses (--store, ROLLWRIGHT_STORE, the config, the default): src/cli/store-resolution.test.ts.

  it('refuses a ledger file that is not SQLite, leaving it as it was', async () => {
    const path = join(stores.dir(), 'not-sqlite', 'ledger.db');
    mkdirSync(join(stores.dir(), 'not-sqlite'), { recursive: true });
    writeFileSync(path, 'hello, I am a text file\n'.repeat(50));
    const r = await cli(['record', 'change.merged', '--change', 'CHG-1', '--store', `sqlite:${path}`], {
      env: ledgerEnv(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`rollwright: ${path}: not a SQLite database (file is not a database); nothing was changed\n`);
    expect(readFileSync(path, 'utf8')).toBe('hello, I am a text file\n'.repeat(50));
    expect(readdirSync(join(stores.dir(), 'not-sqlite'))).toEqual(['ledger.db']);
  });

  it('does not create a ledger for an event about an incident, and refuses a bad --store', async () => {
    const path = join(stores.dir(), 'nothing-here', 'ledger.db');
    const r = await cli(
      ['record', 'decision.made', '--incident', 'INC-1', '--data', 'transition=rollback', '--store', `sqlite:${path}`],
      { env: ledgerEnv() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^rollwright: no incident INC-1 in the ledger \(.*no ledger here.*\); nothing was recorded/,
    );
    expect(existsSync(join(stores.dir(), 'nothing-here'))).toBe(false);
    const bad = await cli(['record', 'change.merged', '--change', 'C', '--store', 'mysql://root:hunter2@db/x'], {
      env: ledgerEnv(),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--store: "mysql:\/\/root:\*\*\*@db\/x" is not a store: use postgres:\/\/user@host:5432\/db, sqlite:PATH or a PATH/,
    );
    expect(bad.stderr).not.toContain('hunter2');
  });

  it.skipIf(!stores.kinds.includes('postgres'))(
    'names a PostgreSQL server it cannot reach without its password',
    async () => {
      const port = stores.server().port;
      const url = `postgres://app:s3cret-pw@127.0.0.1:${port + 1}/ledger`;
      const r = await cli(['record', 'change.merged', '--change', 'C', '--store', url], { env: ledgerEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^rollwright: postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port + 1}/ledger: cannot connect to the ledger: `,
        ),
      );
      expect(r.stderr).not.toContain('s3cret-pw');
      expect(storeFlag({ kind: 'postgres', url })).toBe(url);
    },
  );
});
