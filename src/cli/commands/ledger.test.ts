/** `rollwright ledger verify|export|import` as whole processes, against both stores. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerEnv, recordAll, run } from '../../testing/ledger/cli-env.js';
import { EXAMPLE_EVIDENCE, EXAMPLE_UNTIL_VERIFIED } from '../../testing/ledger/example.js';
import { rawSql } from '../../testing/ledger/raw.js';
import { testStores } from '../../testing/ledger/stores.js';
import { cli, ensureBuilt } from '../../testing/cli.js';

const stores = testStores();
const STEPS = [...EXAMPLE_UNTIL_VERIFIED, ...EXAMPLE_EVIDENCE];
beforeAll(async () => {
  await ensureBuilt();
});

describe.each(stores.kinds)('%s: rollwright ledger', (kind) => {
  it('verify: ok over an intact chain (exit 0), text and json', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, STEPS);
    const r = await run(spec, ['ledger', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ledger ok: 10 events in one chain, head #10 \([0-9a-f]{12}\) in /);
    const j = await run(spec, ['ledger', 'verify', '-o', 'json']);
    const doc = JSON.parse(j.stdout);
    expect(doc).toMatchObject({
      schema: 'rollwright.ledger-verify/v1',
      ok: true,
      events: 10,
      broken: null,
      head: { seq: 10 },
    });
    expect(doc.ledger).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each<[string, (seq: number) => string, RegExp]>([
    [
      'edited',
      (seq) => `UPDATE ledger_events SET payload = '{"item":"approval","ref":"forged"}' WHERE seq = ${seq}`,
      /event #(\d+) \(.*\) was edited: its content does not match its hash/,
    ],
    [
      'deleted',
      (seq) => `DELETE FROM ledger_events WHERE seq = ${seq}`,
      /event #(\d+)(, the last in the chain,)? is missing \(deleted\)/,
    ],
  ])('verify: any one %s event fails (exit 1) and is named', async (_what, tamper, message) => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, STEPS);
    for (const seq of [1, 5, 10]) {
      const copy = await stores.fresh(kind);
      // Same events in a fresh store, then tamper with one of them.
      const exported = await run(spec, ['ledger', 'export']);
      const file = join(stores.dir(), `export-${kind}-${seq}-${Date.now()}.jsonl`);
      writeFileSync(file, exported.stdout);
      expect((await run(copy, ['ledger', 'import', file])).code).toBe(0);
      await rawSql(copy, tamper(seq));
      const r = await run(copy, ['ledger', 'verify']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(message);
      expect(Number(message.exec(r.stdout)![1])).toBe(seq);
      expect(r.stdout).toMatch(/^ledger verify FAILED in /);
    }
  });

  it('export: JSON lines with hashes and CDEvents; --since gives a verifiable segment; -o cdevents', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, STEPS);
    const r = await run(spec, ['ledger', 'export', '-o', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines.map((l) => l.cdevent.context.type)).toEqual([
      'dev.cdeventsx.rollwright-change.declared.0.1.0',
      'dev.cdevents.service.deployed.0.2.0',
      'dev.cdevents.incident.detected.0.2.0',
      'dev.cdeventsx.rollwright-decision.made.0.1.0',
      'dev.cdevents.service.rolledback.0.2.0',
      'dev.cdeventsx.rollwright-recovery.verified.0.1.0',
      'dev.cdeventsx.rollwright-evidence.attached.0.1.0',
      'dev.cdeventsx.rollwright-evidence.attached.0.1.0',
      'dev.cdeventsx.rollwright-evidence.attached.0.1.0',
      'dev.cdeventsx.rollwright-postmortem.action.0.1.0',
    ]);
    expect(lines[1].prevHash).toBe(lines[0].hash);
    const cd = await run(spec, ['ledger', 'export', '-o', 'cdevents']);
    const first = JSON.parse(cd.stdout.split('\n')[1]!);
    expect(first.context).toMatchObject({ version: '0.4.1', type: 'dev.cdevents.service.deployed.0.2.0' });
    expect(first.subject.content).toEqual({ environment: { id: 'prod' }, artifactId: `sha256:${'b'.repeat(64)}` });
    // Every event was recorded just now: a --since in the past exports all, one in the future nothing.
    expect(
      (await run(spec, ['ledger', 'export', '--since', '2020-01-01T00:00:00Z'])).stdout.trim().split('\n'),
    ).toHaveLength(10);
    expect((await run(spec, ['ledger', 'export', '--since', '2999-01-01T00:00:00Z'])).stdout).toBe('');
    const bad = await run(spec, ['ledger', 'export', '--since', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since: "soon" is not an ISO 8601 time/);
  });

  it('import: a verified export into an empty store; a tampered file is refused with its line, and nothing is created', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, STEPS);
    const text = (await run(spec, ['ledger', 'export'])).stdout;
    const dir = join(stores.dir(), `import-${kind}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'good.jsonl'), text);
    writeFileSync(join(dir, 'bad.jsonl'), text.replaceAll('CAB-7781', 'CAB-0000'));
    const target = { kind: 'sqlite' as const, path: join(dir, 'new', 'ledger.db') };
    const bad = await run(target, ['ledger', 'import', join(dir, 'bad.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /bad\.jsonl:7: event #7 \(evidence\.attached incident INC-2026-0042, id .*\) was edited: its content does not match its hash; nothing was imported/,
    );
    expect(existsSync(join(dir, 'new'))).toBe(false);
    const other = await stores.fresh(kind);
    const good = await run(other, ['ledger', 'import', join(dir, 'good.jsonl')]);
    expect(good.stderr).toBe('');
    expect(good.stdout).toMatch(/^imported 10 events \(#1–#10\), 0 already present; head #10 /);
    // The same events, hash for hash (the CDEvents differ only in their source: the ledger's id).
    const native = (t: string) =>
      t
        .trim()
        .split('\n')
        .map((l) => ({ ...JSON.parse(l), cdevent: undefined }));
    expect(native((await run(other, ['ledger', 'export'])).stdout)).toEqual(native(text));
    expect((await run(other, ['ledger', 'verify'])).code).toBe(0);
    const again = await run(other, ['ledger', 'import', join(dir, 'good.jsonl')]);
    expect(again.stdout).toMatch(/^imported 0 events, 10 already present; head #10 /);
  });
});

describe('rollwright ledger: usage', () => {
  it('needs a subcommand and an existing ledger', async () => {
    const missing = join(stores.dir(), 'absent.db');
    const cases: Array<[string[], RegExp]> = [
      [['ledger'], /^rollwright: ledger needs a subcommand: verify, checkpoint, export or import/],
      [['ledger', 'rewrite'], /^rollwright: unknown ledger subcommand "rewrite": verify, checkpoint, export or import/],
      [['ledger', 'import'], /^rollwright: ledger import needs one FILE/],
      [
        ['ledger', 'verify', '--store', `sqlite:${missing}`],
        /^rollwright: .*absent\.db: no ledger here: record an event first, or choose one with --store/,
      ],
      [
        ['ledger', 'verify', '--since', '2026-01-01T00:00:00Z', '--store', `sqlite:${missing}`],
        /^rollwright: ledger verify does not take --since/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { env: ledgerEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(missing)).toBe(false);
    const help = await cli(['ledger', '--help'], { env: ledgerEnv() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rollwright ledger verify/);
  });
});
