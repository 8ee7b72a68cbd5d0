import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';
import { bodyOf, GENESIS, hashOf, q } from './chain.js';
import { ChainBrokenError, IncidentDetectedError } from './errors.js';
import { GroupAppender } from './group.js';
import { MIGRATIONS, NewerSchemaError, SCHEMA_VERSION } from './migrations.js';
import { Ledger, type NewEvent, type UnitResult } from './store.js';
import { rawSql } from '../testing/ledger/raw.js';
import { testStores } from '../testing/ledger/stores.js';
import { parallelScan, verifyLedger } from './verify.js';

const stores = testStores();

function ev(i: number, over: Partial<NewEvent> = {}): NewEvent {
  return {
    type: 'change.deployed',
    subject: { change: `CHG-${i}`, incident: null, service: 'checkout', environment: 'prod' },
    occurredAt: new Date(Date.UTC(2026, 0, 5, 9, i)).toISOString(),
    actor: 'ci',
    payload: { artifact: `sha256:${String(i).padStart(64, '0')}`, version: `1.${i}.0` },
    ...over,
  };
}

async function withLedger<T>(spec: Parameters<typeof Ledger.open>[0], fn: (l: Ledger) => Promise<T>): Promise<T> {
  const l = await Ledger.open(spec, { create: true });
  try {
    return await fn(l);
  } finally {
    await l.close();
  }
}

describe('the hashed body', () => {
  it('is the canonical JSON of the event without its hashes', () => {
    const e = {
      seq: 7,
      id: 'e-7',
      type: 'incident.detected',
      change: 'CHG-1',
      incident: 'INC-1',
      service: null,
      environment: 'prod',
      occurredAt: '2026-01-05T09:04:00.000Z',
      recordedAt: '2026-01-05T09:04:01.000Z',
      actor: 'alertmanager "bot"',
    };
    const payload = { severity: 'high', 'started-at': '2026-01-05T09:00:00.000Z', z: [1, { b: 2, a: 'é\n' }] };
    expect(bodyOf(e, canonicalJson(payload))).toBe(
      canonicalJson({
        seq: e.seq,
        id: e.id,
        type: e.type,
        subject: { change: e.change, incident: e.incident, service: e.service, environment: e.environment },
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        actor: e.actor,
        payload,
      }),
    );
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { y: 1.5, x: -0 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"x":0,"y":1.5}}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
  });

  it('quotes strings exactly as JSON.stringify does', () => {
    for (const s of [
      'plain',
      'a"b',
      'back\\slash',
      'tab\tnew\nline',
      '\u0000\u001f',
      'Zoë 🚀',
      '\u2028\u2029',
      '\ud800 lone',
      'x\udfff',
      '',
    ])
      expect(q(s)).toBe(JSON.stringify(s));
    expect(q(null)).toBe('null');
  });
});

describe.each(stores.kinds)('%s ledger', (kind) => {
  it('appends events in one chain: sequence numbers from 1, each hash = sha256(previous hash + body)', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      expect(await l.head()).toEqual({ seq: 0, hash: GENESIS });
      const [a] = await l.append([ev(1)]);
      const [b, c] = await l.append([ev(2), ev(3, { type: 'change.merged', payload: { commit: 'abc' } })]);
      expect([a!.seq, b!.seq, c!.seq]).toEqual([1, 2, 3]);
      expect(a!.prevHash).toBe(GENESIS);
      expect(b!.prevHash).toBe(a!.hash);
      expect(c!.prevHash).toBe(b!.hash);
      for (const e of [a!, b!, c!]) expect(e.hash).toBe(hashOf(e));
      expect(await l.head()).toEqual({ seq: 3, hash: c!.hash });
      const all = await l.select();
      expect(all).toEqual([a, b, c]);
      expect(await verifyLedger(l)).toEqual({ ok: true, events: 3, head: { seq: 3, hash: c!.hash } });
      expect((await l.select({ changes: ['CHG-2'] })).map((e) => e.seq)).toEqual([2]);
      expect((await l.select({ types: ['change.merged'] })).map((e) => e.seq)).toEqual([3]);
    });
  });

  it('hashes text outside ASCII the same way in the store and in verify', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const controls = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
      const [e] = await l.append([
        ev(1, {
          actor: `Zoë 🚀 "q" \\ ${controls} \u007f \u2028\u2029 \u00e9`,
          subject: { change: `CHG-"${controls}"`, incident: null, service: 'ser\\vice', environment: 'prød' },
          payload: { artifact: 'pkg:oci/café@sha256:ab', version: '\u2028 "quoted" \\ back' },
        }),
      ]);
      expect(e!.hash).toBe(hashOf(e!));
      expect((await l.select())[0]).toEqual(e);
      // The next append checks this one as the chain's end (in SQL, in PostgreSQL): the bodies must agree.
      const [f] = await l.append([ev(2)]);
      expect(f!.prevHash).toBe(e!.hash);
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 2 });
      // A group (chained in SQL by the group procedure in PostgreSQL) hashes the same bytes.
      const odd = ev(3, { actor: `Zoë 🚀 "q" \\ ${controls} \u2028`, payload: { note: 'café "x" \\ \u2029' } });
      const r = await l.appendUnits([{ events: [{ event: odd, key: 'k:odd' }] }, { events: [{ event: ev(4) }] }]);
      const stored = r.flatMap((u) => (u.ok ? u.outcomes : [])).map((o) => (o.duplicate ? undefined : o.event));
      for (const x of stored) expect(x!.hash).toBe(hashOf(x!));
      expect(await l.select()).toEqual([e, f, ...stored]);
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 4 });
    });
  });

  it('keeps the chain across processes: a reopened ledger continues it', async () => {
    const spec = await stores.fresh(kind);
    const first = await withLedger(spec, (l) => l.append([ev(1)]));
    const second = await withLedger(spec, (l) => l.append([ev(2)]));
    expect(second[0]!.seq).toBe(2);
    expect(second[0]!.prevHash).toBe(first[0]!.hash);
    const meta = await withLedger(spec, (l) => l.meta());
    expect(meta.ledger_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [
      'edited payload',
      3,
      'UPDATE ledger_events SET payload = $1 WHERE seq = 3',
      ['{"artifact":"sha256:evil"}'],
      /event #3 \(change\.deployed change CHG-3, id .*\) was edited/,
    ],
    [
      'edited time',
      2,
      "UPDATE ledger_events SET occurred_at = '2026-01-01T00:00:00.000Z' WHERE seq = 2",
      [],
      /event #2 .* was edited/,
    ],
    ['edited actor', 1, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 1", [], /event #1 .* was edited/],
    [
      'deleted in the middle',
      3,
      'DELETE FROM ledger_events WHERE seq = 3',
      [],
      /event #3 is missing \(deleted\): #2 is followed by #4/,
    ],
    ['deleted first', 1, 'DELETE FROM ledger_events WHERE seq = 1', [], /event #1 is missing \(deleted\)/],
    [
      'deleted last',
      5,
      'DELETE FROM ledger_events WHERE seq = 5',
      [],
      /event #5, the last in the chain, is missing \(deleted\)/,
    ],
    [
      'relinked',
      4,
      'UPDATE ledger_events SET prev_hash = hash WHERE seq = 4',
      [],
      /event #4 .* does not link to event #3/,
    ],
    [
      'added beyond the head',
      6,
      "INSERT INTO ledger_events SELECT seq + 1, 'extra', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = 5",
      [],
      /events #6–#6 lie beyond the head \(#5\): they were added outside rollwright/,
    ],
  ])('verify names the event: %s', async (_name, seq, text, params, message) => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) => l.append([1, 2, 3, 4, 5].map((i) => ev(i))));
    await rawSql(spec, text, params);
    const r = await withLedger(spec, (l) => verifyLedger(l));
    expect(r.ok).toBe(false);
    expect(r.broken?.seq).toBe(seq);
    expect(r.broken?.message).toMatch(message);
    // SQLite ledgers are checked by worker threads, range by range, when big: the same report.
    if (kind === 'sqlite')
      for (const workers of [2, 3, 5])
        expect(await withLedger(spec, (l) => verifyLedger(l, { workers, parallelFrom: 1 }))).toEqual(r);
  });

  it('verifies the same with worker threads, range by range (SQLite)', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) =>
      l.append(Array.from({ length: 40 }, (_, i) => ev(i, { actor: i % 3 ? 'a\\b "q"' : 'plain' }))),
    );
    const sequential = await withLedger(spec, (l) => verifyLedger(l, { workers: 1 }));
    expect(sequential).toMatchObject({ ok: true, events: 40 });
    for (const workers of [2, 4, 7])
      expect(await withLedger(spec, (l) => verifyLedger(l, { workers, parallelFrom: 1 }))).toEqual(sequential);
    if (spec.kind !== 'sqlite') return;
    // The workers really ran: all four ranges checked and linked, nothing left to walk.
    expect(await parallelScan(spec.path, 40, 4)).toEqual({ afterSeq: 40, prev: sequential.head.hash });
    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 25");
    // Ranges 1–10 and 11–20 hold; the walk resumes at 21 and finds #25.
    const head20 = (await rawSql(spec, 'SELECT hash FROM ledger_events WHERE seq = 20'))[0]!.hash;
    expect(await parallelScan(spec.path, 40, 4)).toEqual({ afterSeq: 20, prev: head20 });
  });

  it('a rewritten event with a recomputed hash is caught at the next link, naming both', async () => {
    const spec = await stores.fresh(kind);
    const events = await withLedger(spec, (l) => l.append([1, 2, 3, 4].map((i) => ev(i))));
    const forged = { ...events[1]!, actor: 'mallory' };
    const forgedHash = hashOf(forged);
    await rawSql(spec, 'UPDATE ledger_events SET actor = $1, hash = $2 WHERE seq = 2', ['mallory', forgedHash]);
    const r = await withLedger(spec, (l) => verifyLedger(l));
    expect(r.broken?.seq).toBe(3);
    expect(r.broken?.message).toMatch(/#2 was rewritten, or #3 was edited/);
  });

  it('checks the chain’s end under the write lock: an edit after the handle walked the chain is refused too', async () => {
    const spec = await stores.fresh(kind);
    // One handle: its first append walked the whole chain; each append checks the last event again.
    await withLedger(spec, async (l) => {
      await l.append([1, 2, 3].map((i) => ev(i)));
      await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 3");
      await expect(l.append([ev(4)])).rejects.toThrow(
        /event #3, the last in the chain, was edited; run `rollwright ledger verify`/,
      );
      await rawSql(spec, 'DELETE FROM ledger_events WHERE seq = 3');
      const err = await l.append([ev(4)]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChainBrokenError);
      expect((err as Error).message).toMatch(/event #3, the last in the chain, is missing/);
      // A row planted at the next sequence number meanwhile: a chain error naming the cause, not a crash.
      await rawSql(spec, 'UPDATE ledger_head SET seq = 2, hash = (SELECT hash FROM ledger_events WHERE seq = 2)');
      await rawSql(
        spec,
        "INSERT INTO ledger_events SELECT 3, 'planted', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = 2",
      );
      for (const batch of [[ev(4)], [ev(4), ev(5)]]) {
        const taken = await l.append(batch).catch((e: unknown) => e);
        expect(taken).toBeInstanceOf(ChainBrokenError);
        expect((taken as Error).message).toMatch(/the next sequence number is already taken by a row beyond the head/);
      }
      await rawSql(spec, "DELETE FROM ledger_events WHERE id = 'planted'");
    });
    expect((await rawSql(spec, 'SELECT seq FROM ledger_events ORDER BY seq')).map((r) => Number(r.seq))).toEqual([
      1, 2,
    ]);
  });

  it('verify rejects rows numbered 0 or below, naming them; no query reads them, nor rows beyond the head', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) => l.append([1, 2, 3].map((i) => ev(i))));
    const copy = (seq: number, id: string) =>
      rawSql(
        spec,
        `INSERT INTO ledger_events SELECT ${seq}, '${id}', 'evidence.attached', change_id, incident_id, service, environment, occurred_at, recorded_at, 'mallory', '{"item":"approval","ref":"forged"}', prev_hash, hash FROM ledger_events WHERE seq = 1`,
      );
    await copy(0, 'forged-0');
    const r = await withLedger(spec, (l) => verifyLedger(l));
    expect(r).toMatchObject({ ok: false, broken: { seq: 0, id: 'forged-0', reason: 'before-start' } });
    expect(r.broken?.message).toBe(
      "event #0 (evidence.attached, id forged-0) lies before the chain's first event (#1): it was added outside rollwright",
    );
    await copy(-7, 'forged-7');
    const two = await withLedger(spec, (l) => verifyLedger(l));
    expect(two.broken?.seq).toBe(-7);
    expect(two.broken?.message).toMatch(
      /^events #-7 \(evidence\.attached, id forged-7\), #0 .* lie before the chain's first event/,
    );
    if (kind === 'sqlite')
      expect(await withLedger(spec, (l) => verifyLedger(l, { workers: 2, parallelFrom: 1 }))).toEqual(two);
    await copy(9, 'forged-9');
    await withLedger(spec, async (l) => {
      expect((await l.select()).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await l.select({ types: ['evidence.attached'] })).length).toBe(0);
      expect(await l.first('evidence.attached', { change: 'CHG-1' })).toBeUndefined();
      expect(await l.last('evidence.attached', { change: 'CHG-1' })).toBeUndefined();
    });
  });

  it.each<[string, (spec: Parameters<typeof rawSql>[0]) => Promise<unknown>, RegExp]>([
    [
      'an event edited in the middle',
      (spec) => rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2"),
      /the ledger's chain is broken, so nothing is added to it: event #2 \(change\.deployed change CHG-2, id .*\) was edited/,
    ],
    [
      'an event deleted in the middle',
      (spec) => rawSql(spec, 'DELETE FROM ledger_events WHERE seq = 3'),
      /chain is broken, so nothing is added to it: event #3 is missing \(deleted\)/,
    ],
    [
      'a row at seq 0',
      (spec) =>
        rawSql(
          spec,
          "INSERT INTO ledger_events SELECT 0, 'forged', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, prev_hash, hash FROM ledger_events WHERE seq = 1",
        ),
      /chain is broken, so nothing is added to it: event #0 .* lies before the chain's first event/,
    ],
    [
      'a row right after the head',
      (spec) =>
        rawSql(
          spec,
          "INSERT INTO ledger_events SELECT 6, 'extra', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = 5",
        ),
      /chain is broken, so nothing is added to it: events #6–#6 lie beyond the head \(#5\)/,
    ],
    [
      'rows further beyond the head',
      (spec) =>
        rawSql(
          spec,
          "INSERT INTO ledger_events SELECT 9, 'extra', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = 5",
        ),
      /chain is broken, so nothing is added to it: events #6–#9 lie beyond the head \(#5\)/,
    ],
  ])('refuses to append or import onto a chain with %s, and writes nothing', async (_name, tamper, message) => {
    const spec = await stores.fresh(kind);
    const events = await withLedger(spec, (l) => l.append([1, 2, 3, 4, 5].map((i) => ev(i))));
    await tamper(spec);
    const rows = async () =>
      (await rawSql(spec, 'SELECT seq, hash FROM ledger_events ORDER BY seq')).map((r) => `${r.seq}:${r.hash}`);
    const before = await rows();
    const writes: Array<(l: Ledger) => Promise<unknown>> = [
      (l: Ledger) => l.append([ev(6)]),
      (l: Ledger) => l.append([ev(6), ev(7)]),
      (l: Ledger) => l.checkWritable(),
      (l: Ledger) => l.appendChained([{ ...events[4]!, seq: 6, id: 'imported', prevHash: events[4]!.hash }]),
    ];
    for (const write of writes) {
      const err = await withLedger(spec, write).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChainBrokenError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/nothing was recorded$/);
    }
    expect(await rows()).toEqual(before);
  });

  it('walks the chain once for verify() and the first write of a handle, even when they overlap', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) => l.append([1, 2, 3].map((i) => ev(i))));
    for (const overlap of [false, true])
      await withLedger(spec, async (l) => {
        const walks = vi.spyOn(l, 'rowsBeforeStart');
        const verified = l.verify();
        if (!overlap) expect(await verified).toMatchObject({ ok: true });
        await l.append([ev(overlap ? 5 : 4)]);
        expect(await verified).toMatchObject({ ok: true });
        expect(walks).toHaveBeenCalledTimes(1);
      });
    // A walk that finds the chain broken refuses the write, as the write's own walk would.
    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2");
    await withLedger(spec, async (l) => {
      expect(await l.verify()).toMatchObject({ ok: false });
      await expect(l.append([ev(6)])).rejects.toBeInstanceOf(ChainBrokenError);
    });
  });

  it('refuses a ledger from a newer schema version, untouched', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) => l.append([ev(1)]));
    await rawSql(spec, "INSERT INTO ledger_migrations (version, name, applied_at) VALUES (99, 'future', 'x')");
    const err = await Ledger.open(spec, { create: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewerSchemaError);
    expect((err as Error).message).toMatch(
      new RegExp(`schema version 99, newer than this rollwright knows \\(${SCHEMA_VERSION}\\): upgrade rollwright`),
    );
    expect((await rawSql(spec, 'SELECT count(*) AS n FROM ledger_events'))[0]!.n).toEqual(kind === 'sqlite' ? 1 : '1');
  });

  it('migrates a ledger created by an older version to the current one, keeping its events', async () => {
    const spec = await stores.fresh(kind);
    // A ledger at version 1 only: open it with the first migration alone.
    const { migrate } = await import('./migrations.js');
    const { Kysely, SqliteDialect, PostgresDialect } = await import('kysely');
    let db;
    if (spec.kind === 'sqlite') {
      mkdirSync(dirname(spec.path), { recursive: true });
      const { default: Database } = await import('better-sqlite3');
      db = new Kysely({ dialect: new SqliteDialect({ database: new Database(spec.path) }) });
    } else {
      const { default: pg } = await import('pg');
      db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: spec.url }) }) });
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(await migrate(db as any, kind, 'test', MIGRATIONS.slice(0, 1))).toBe(0);
    await db.destroy();
    const versions = async () =>
      (await rawSql(spec, 'SELECT version FROM ledger_migrations ORDER BY version')).map((r) => Number(r.version));
    expect(await versions()).toEqual([1]);
    await withLedger(spec, (l) => l.append([ev(1)]));
    expect(await versions()).toEqual(MIGRATIONS.map((m) => m.version));
  });
});

describe.each(stores.kinds)('%s group appends', (kind) => {
  const detect = (incident: string, i: number): NewEvent => ({
    type: 'incident.detected',
    subject: { change: null, incident, service: 'checkout', environment: 'prod' },
    occurredAt: new Date(Date.UTC(2026, 0, 5, 10, i)).toISOString(),
    actor: 'alertmanager',
    payload: {},
  });

  it('records each unit whole or not at all, delivery keys once, an incident detected once, in one chain', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const r = await l.appendUnits([
        {
          events: [
            { event: ev(1), key: 'k:1' },
            { event: ev(2), key: 'k:2' },
          ],
        },
        // k:1 again (earlier in the group): a duplicate of the event recorded first; k:3 is new.
        {
          events: [
            { event: ev(3), key: 'k:1' },
            { event: ev(4), key: 'k:3' },
          ],
        },
        { events: [{ event: detect('INC-1', 1), key: 'am:1' }] },
        // INC-1 detected again under another key: the whole unit records nothing, ev(5) included.
        {
          events: [
            { event: ev(5), key: 'k:5' },
            { event: detect('INC-1', 2), key: 'am:2' },
          ],
        },
        // A key no store takes: refused alone.
        { events: [{ event: ev(6), key: 'bad\u0000key' }] },
        { events: [{ event: ev(7) }, { event: ev(8), key: 'k:8' }, { event: ev(9), key: 'k:8' }] },
      ]);
      expect(r.map((u) => u.ok)).toEqual([true, true, true, false, false, true]);
      const seqs = (i: number) =>
        (r[i] as { outcomes: Array<{ duplicate: boolean; seq?: number; event?: { seq: number } }> }).outcomes.map(
          (o) => (o.duplicate ? `dup:${o.seq}` : o.event!.seq),
        );
      expect(seqs(0)).toEqual([1, 2]);
      expect(seqs(1)).toEqual(['dup:1', 3]);
      expect(seqs(2)).toEqual([4]);
      expect(seqs(5)).toEqual([5, 6, 'dup:6']);
      const refused = (r[3] as { error: unknown }).error;
      expect(refused).toBeInstanceOf(IncidentDetectedError);
      expect((refused as Error).message).toMatch(/incident INC-1 was already detected \(event #4 at /);
      expect((r[4] as { error: Error }).error).toBeInstanceOf(InputError);

      // A later group sees the keys and the detection of this one.
      const again = await l.appendUnits([
        { events: [{ event: ev(10), key: 'k:2' }] },
        { events: [{ event: detect('INC-1', 3), key: 'am:3' }] },
      ]);
      expect(again[0]).toEqual({ ok: true, outcomes: [{ duplicate: true, seq: 2 }] });
      expect(again[1]!.ok).toBe(false);
      expect(await l.delivered('k:3')).toBe(3);
      expect(await l.delivered('k:5')).toBeUndefined();
      const v = await verifyLedger(l);
      expect(v).toMatchObject({ ok: true, events: 6 });
      expect((await l.select()).map((e) => e.subject.change ?? e.subject.incident)).toEqual([
        'CHG-1',
        'CHG-2',
        'CHG-4',
        'INC-1',
        'CHG-7',
        'CHG-8',
      ]);
    });
  });

  it('a unit of one event (a single sender) has the same checks: delivery key, then detection', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const one = async (event: NewEvent, key?: string) => (await l.appendUnits([{ events: [{ event, key }] }]))[0]!;
      const seq = (u: UnitResult) => {
        if (!u.ok) throw u.error;
        const o = u.outcomes[0]!;
        return o.duplicate ? `dup:${o.seq}` : o.event.seq;
      };
      expect(seq(await one(detect('INC-1', 1), 'am:1'))).toBe(1);
      // The same delivery again: a duplicate (checked before the detection).
      expect(seq(await one(detect('INC-1', 1), 'am:1'))).toBe('dup:1');
      // The same incident under another key, or none: refused, naming the first detection.
      for (const key of ['am:2', undefined]) {
        const again = await one(detect('INC-1', 2), key);
        expect(again.ok).toBe(false);
        expect((again as { error: Error }).error).toBeInstanceOf(IncidentDetectedError);
        expect((again as { error: Error }).error.message).toMatch(
          /incident INC-1 was already detected \(event #1 at 2026-01-05T10:01:00\.000Z\)/,
        );
      }
      expect(seq(await one(detect('INC-2', 3)))).toBe(2);
      expect(seq(await one(ev(1), 'k:1'))).toBe(3);
      expect(seq(await one(ev(2), 'k:1'))).toBe('dup:3');
      expect(await l.delivered('am:1')).toBe(1);
      expect(await l.delivered('am:2')).toBeUndefined();
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 3 });
    });
  });

  it('a unit the store refuses fails alone: the others are appended one by one', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const [first] = await l.append([ev(1)]);
      // An event id already in the ledger: the store's unique constraint fails the group's transaction.
      const r = await l.appendUnits([
        { events: [{ event: ev(2), key: 'k:2' }] },
        { events: [{ event: ev(3), key: 'k:3' }, { event: { ...ev(4), id: first!.id } }] },
        { events: [{ event: ev(5) }] },
      ]);
      expect(r.map((u) => u.ok)).toEqual([true, false, true]);
      expect((await l.select()).map((e) => e.subject.change)).toEqual(['CHG-1', 'CHG-2', 'CHG-5']);
      expect(await l.delivered('k:3')).toBeUndefined();
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 3 });
    });
  });

  it('refuses every unit of a group on a chain whose last event was edited, and writes nothing', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, (l) => l.append([ev(1), ev(2)]));
    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2");
    const r = await withLedger(spec, (l) =>
      l.appendUnits([{ events: [{ event: ev(3), key: 'k:3' }] }, { events: [{ event: detect('INC-9', 1) }] }]),
    );
    for (const u of r) expect((u as { error: unknown }).error).toBeInstanceOf(ChainBrokenError);
    expect((await rawSql(spec, 'SELECT count(*) AS n FROM ledger_deliveries'))[0]!.n).toEqual(
      kind === 'sqlite' ? 0 : '0',
    );
  });

  it('the group appender writes the units of concurrent callers in one transaction', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const appender = new GroupAppender(l);
      const r = await Promise.all(
        Array.from({ length: 50 }, (_, i) => appender.append({ events: [{ event: ev(i), key: `k:${i % 40}` }] })),
      );
      await appender.idle();
      expect(r.every((u) => u.ok)).toBe(true);
      const all = await l.select();
      expect(all).toHaveLength(40);
      // One transaction: every event carries the same recording time.
      expect(new Set(all.map((e) => e.recordedAt)).size).toBe(1);
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 40 });
    });
  });

  it('with two groups written at once, concurrent callers still form one chain, each key once', async () => {
    const spec = await stores.fresh(kind);
    await withLedger(spec, async (l) => {
      const appender = new GroupAppender(l, 3, 2);
      // Groups of at most 3 events, two in flight: the later callers' units go into several groups
      // that overlap, and a key seen in one group is a duplicate in the others.
      const r = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          appender.append({
            events: [{ event: ev(i), key: `k:${i % 20}` }, ...(i % 7 ? [] : [{ event: ev(100 + i) }])],
          }),
        ),
      );
      await appender.idle();
      expect(r.every((u) => u.ok)).toBe(true);
      const outcomes = r.flatMap((u) => (u.ok ? u.outcomes : []));
      expect(outcomes.filter((o) => o.duplicate)).toHaveLength(10);
      const all = await l.select();
      expect(all).toHaveLength(20 + 5);
      expect(new Set(all.map((e) => e.recordedAt)).size).toBeGreaterThan(1);
      for (let k = 0; k < 20; k++) expect(await l.delivered(`k:${k}`)).toBeDefined();
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 25 });
    });
  });

  it.runIf(kind === 'sqlite')(
    'flushes a group itself and leaves every other write of the handle at synchronous=FULL',
    async () => {
      const spec = await stores.fresh(kind);
      await withLedger(spec, async (l) => {
        const sqlite = (l as unknown as { sqlite: { pragma(p: string, o: { simple: true }): unknown } }).sqlite;
        const r = await Promise.all(
          Array.from({ length: 5 }, (_, i) => l.appendUnits([{ events: [{ event: ev(i), key: `k:${i}` }] }])),
        );
        expect(r.flat().every((u) => u.ok)).toBe(true);
        // 2 = FULL: record, imports and the CLI's appends on this handle still flush in each commit.
        expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
        await l.append([ev(9)]);
        expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 6 });
      });
      // What a group answered is in the file for any other reader.
      expect(await withLedger(spec, async (l) => (await l.select()).length)).toBe(6);
    },
  );
});

describe('sqlite files that are not ledgers', () => {
  it('refuses a file that is not SQLite, and leaves it byte for byte as it was', async () => {
    const path = `${stores.dir()}/notes/ledger.db`;
    mkdirSync(dirname(path), { recursive: true });
    const text = 'this is not a database\n'.repeat(100);
    writeFileSync(path, text);
    const err = await Ledger.open({ kind: 'sqlite', path }, { create: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /ledger\.db: not a SQLite database \(file is not a database\); nothing was changed/,
    );
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(dirname(path))).toEqual(['ledger.db']);
  });

  it('refuses another application’s SQLite database', async () => {
    const path = `${stores.dir()}/other/app.db`;
    mkdirSync(dirname(path), { recursive: true });
    const { default: Database } = await import('better-sqlite3');
    const d = new Database(path);
    d.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    d.close();
    await expect(Ledger.open({ kind: 'sqlite', path }, { create: true })).rejects.toThrow(
      /a SQLite database, but not a rollwright ledger \(it holds users\); nothing was changed/,
    );
  });

  it('does not create a ledger for a read-only command', async () => {
    const path = `${stores.dir()}/absent/ledger.db`;
    await expect(Ledger.open({ kind: 'sqlite', path }, { create: false })).rejects.toThrow(/no ledger here/);
    expect(existsSync(dirname(path))).toBe(false);
  });
});
