/**
 * `rollwright ledger checkpoint` and `ledger verify --checkpoints/--witness` as whole processes,
 * against both stores, with real git repositories as witnesses. The attacks are the ones a writer with
 * database access can make: rewrite events and recompute every hash after them (the chain verifies
 * again), truncate, delete or re-sign the checkpoints.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoreSpec } from '../../ledger/store-spec.js';
import { cli, ensureBuilt } from '../../testing/cli.js';
import { ledgerEnv, recordAll, storeFlag } from '../../testing/ledger/cli-env.js';
import { EXAMPLE_EVIDENCE, EXAMPLE_UNTIL_VERIFIED } from '../../testing/ledger/example.js';
import { rawSql, rechain } from '../../testing/ledger/raw.js';
import { testStores } from '../../testing/ledger/stores.js';

const stores = testStores();
beforeAll(async () => {
  await ensureBuilt();
});

interface Keys {
  key: string;
  pub: string;
  pem: string;
  mallory: string;
}

function scratch(kind: string, what: string): { dir: string; keys: Keys; witnessRepo: string } {
  const dir = join(stores.dir(), `${what}-${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  const pair = generateKeyPairSync('ed25519');
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(join(dir, 'key.pem'), pem);
  writeFileSync(join(dir, 'key.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(
    join(dir, 'mallory.pem'),
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  const witnessRepo = join(dir, 'audit');
  execFileSync('git', ['init', '-q', witnessRepo]);
  return {
    dir,
    keys: { key: join(dir, 'key.pem'), pub: join(dir, 'key.pub'), pem, mallory: join(dir, 'mallory.pem') },
    witnessRepo,
  };
}

function rw(spec: StoreSpec, args: string[], env: Record<string, string> = {}) {
  return cli([...args, '--store', storeFlag(spec)], { env: ledgerEnv(env) });
}

describe.each(stores.kinds)('%s: rollwright ledger checkpoint', (kind) => {
  it('signs the head, stores it, and appends it to a file and a git note; verify checks all three', async () => {
    const spec = await stores.fresh(kind);
    const { dir, keys, witnessRepo } = scratch(kind, 'cp');
    const file = join(dir, 'witness', 'checkpoints.jsonl');
    const git = `git:${witnessRepo}`;
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);

    const first = await rw(spec, ['ledger', 'checkpoint', '--key', keys.key, '--witness', file, '--witness', git]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^checkpoint #6 \(hash [0-9a-f]{12}\) of ledger [0-9a-f-]{36} signed \d{4}-\d\d-\d\dT[\d:.]+Z by keyid [0-9a-f]{16}… in .*\n {2}witness .*checkpoints\.jsonl: appended\n {2}witness git:.*audit#refs\/notes\/rollwright-checkpoints: appended\n$/,
    );
    // The same head signed again by the same key: nothing new anywhere.
    const again = await rw(spec, ['ledger', 'checkpoint', '--key', keys.key, '--witness', file, '--witness', git]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^already checkpointed: #6 /);
    expect(again.stdout).toContain('checkpoints.jsonl: already holds it');
    expect(again.stdout).toContain('rollwright-checkpoints: already holds it');

    // The key from the environment: the PEM in ROLLWRIGHT_SIGNING_KEY, or named with env:NAME.
    await recordAll(spec, EXAMPLE_EVIDENCE.slice(0, 2));
    const fromEnv = await rw(spec, ['ledger', 'checkpoint', '--witness', file, '--witness', git, '-o', 'json'], {
      ROLLWRIGHT_SIGNING_KEY: keys.pem,
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const doc = JSON.parse(fromEnv.stdout);
    expect(doc).toMatchObject({
      schema: 'rollwright.ledger-checkpoint/v1',
      added: true,
      checkpoint: { schema: 'rollwright.checkpoint/v1', seq: 8 },
      witnesses: [{ result: 'appended' }, { result: 'appended' }],
    });
    expect(doc.checkpoint.envelope.payloadType).toBe('application/vnd.rollwright.checkpoint+json');
    expect(JSON.parse(Buffer.from(doc.checkpoint.envelope.payload, 'base64').toString())).toEqual({
      schema: 'rollwright.checkpoint/v1',
      ledger: doc.checkpoint.ledger,
      seq: 8,
      hash: doc.checkpoint.hash,
      time: doc.checkpoint.time,
    });
    await recordAll(spec, EXAMPLE_EVIDENCE.slice(2, 3));
    const named = await rw(spec, ['ledger', 'checkpoint', '--key', 'env:AUDIT_KEY', '--witness', file], {
      AUDIT_KEY: keys.pem.replace(/\n/g, '\\n'),
    });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/^checkpoint #9 /);
    expect(named.stdout + named.stderr).not.toContain('PRIVATE KEY');

    // Three checkpoints in the file, two in the git note (one commit each on the notes ref).
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
    const notesLog = execFileSync(
      'git',
      ['-C', witnessRepo, 'log', '--format=%s', 'refs/notes/rollwright-checkpoints'],
      {
        encoding: 'utf8',
      },
    );
    expect(notesLog.trim().split('\n')).toHaveLength(2);

    const plain = await rw(spec, ['ledger', 'verify', '--checkpoints']);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toMatch(
      /^ledger ok: 9 events in one chain, head #9 .*\n {2}checkpoints in the store: 3 checkpoints, all hold; the latest, #9 signed .*; signatures consistent, not checked against a trusted key \(pass --key PUB\)\n$/,
    );
    const all = await rw(spec, ['ledger', 'verify', '--key', keys.pub, '--witness', file, '--witness', git]);
    expect(all.code, all.stdout).toBe(0);
    expect(all.stdout.split('\n').slice(1, 4)).toEqual([
      expect.stringMatching(
        /^ {2}checkpoints in the store: 3 checkpoints, all hold; the latest, #9 .*; signed by a key given$/,
      ),
      expect.stringMatching(/^ {2}witness .*checkpoints\.jsonl: 3 checkpoints, all hold; the latest, #9 /),
      expect.stringMatching(/^ {2}witness git:.*: 2 checkpoints, all hold; the latest, #8 /),
    ]);
    const json = JSON.parse((await rw(spec, ['ledger', 'verify', '--checkpoints', '-o', 'json'])).stdout);
    expect(json).toMatchObject({
      ok: true,
      checkpoints: [{ source: 'store', ok: true, checked: 3, lastGood: { seq: 9 } }],
    });
    // Plain verify is unchanged.
    const bare = JSON.parse((await rw(spec, ['ledger', 'verify', '-o', 'json'])).stdout);
    expect(bare.checkpoints).toBeUndefined();
  });

  it('a rewrite before the last checkpoint, with every hash recomputed, is detected and its place named', async () => {
    const spec = await stores.fresh(kind);
    const { keys } = scratch(kind, 'rewrite');
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(0, 2));
    expect((await rw(spec, ['ledger', 'checkpoint', '--key', keys.key])).code).toBe(0);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(2));
    expect((await rw(spec, ['ledger', 'checkpoint', '--key', keys.key])).code).toBe(0);
    // The decision (#4) becomes a rollforward; #4–#6 and the head are recomputed.
    await rechain(spec, 4, (e) => {
      e.payload = { ...e.payload, transition: 'rollforward' };
    });
    const chainOnly = await rw(spec, ['ledger', 'verify']);
    expect(chainOnly.code, chainOnly.stdout).toBe(0);
    const r = await rw(spec, ['ledger', 'verify', '--checkpoints', '--key', keys.pub]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ledger verify FAILED in .*: checkpoint #6 \(signed .*, keyid [0-9a-f]{16}…\) signed hash [0-9a-f]{12}…, but event #6 now has [0-9a-f]{12}…: rewrite detected at or before #6 \(after #2, the last checkpoint that still matches\)\n {2}the chain itself links up \(6 events, head #6\)/,
    );
    expect(r.stdout).toMatch(/checkpoints in the store: 2 checkpoints checked, 1 problem:/);
    const json = JSON.parse((await rw(spec, ['ledger', 'verify', '--checkpoints', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ ok: false, broken: null, checkpoints: [{ ok: false, lastGood: { seq: 2 } }] });
    expect(json.checkpoints[0].checks.map((c: { position: string }) => c.position)).toEqual(['ok', 'rewritten']);
    // A rewritten chain is not signed over.
    const refused = await rw(spec, ['ledger', 'checkpoint', '--key', keys.key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the chain does not match its checkpoints, so its head is not signed: checkpoint #6 /,
    );
  });

  it('a truncation behind a checkpoint is detected', async () => {
    const spec = await stores.fresh(kind);
    const { keys } = scratch(kind, 'trunc');
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    expect((await rw(spec, ['ledger', 'checkpoint', '--key', keys.key])).code).toBe(0);
    // Events #5 and #6 removed and the head moved back: the chain that remains verifies.
    await rawSql(spec, 'DELETE FROM ledger_events WHERE seq > 4');
    await rawSql(
      spec,
      'UPDATE ledger_head SET seq = 4, hash = (SELECT hash FROM ledger_events WHERE seq = 4) WHERE id = 1',
    );
    expect((await rw(spec, ['ledger', 'verify'])).code).toBe(0);
    const r = await rw(spec, ['ledger', 'verify', '--checkpoints']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /checkpoint #6 \(signed .*\) lies beyond the head \(#4\): events after #4 were removed \(the chain was truncated or replaced\)/,
    );
  });

  it('a store rewritten whole, its checkpoints deleted or re-signed, is caught by the external witnesses', async () => {
    const spec = await stores.fresh(kind);
    const { dir, keys, witnessRepo } = scratch(kind, 'whole');
    const file = join(dir, 'checkpoints.jsonl');
    const git = `git:${witnessRepo}#refs/notes/audit`;
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    const cp = await rw(spec, ['ledger', 'checkpoint', '--key', keys.key, '--witness', file, '--witness', git]);
    expect(cp.code, cp.stderr).toBe(0);
    await rechain(spec, 3, (e) => {
      e.actor = 'someone-else';
    });

    // 1. The checkpoints deleted: the store alone has nothing to say.
    await rawSql(spec, 'DELETE FROM ledger_checkpoints');
    const alone = await rw(spec, ['ledger', 'verify', '--checkpoints', '--key', keys.pub]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/checkpoints in the store: none \(nothing anchors this chain yet/);
    for (const w of [file, git]) {
      const r = await rw(spec, ['ledger', 'verify', '--witness', w, '--key', keys.pub]);
      expect(r.code, w).toBe(1);
      expect(r.stdout).toMatch(/rewrite detected at or before #6/);
      expect(r.stdout).toMatch(
        /checkpoint #6 .* is in the witness but not in the store's checkpoints: they were deleted or replaced/,
      );
    }

    // 2. Re-signed with the writer's own key: consistent, but not the team's key, and not the witness's.
    const resigned = await rw(spec, ['ledger', 'checkpoint', '--key', keys.mallory]);
    expect(resigned.code, resigned.stderr).toBe(0);
    expect((await rw(spec, ['ledger', 'verify', '--checkpoints'])).code).toBe(0);
    const trusted = await rw(spec, ['ledger', 'verify', '--checkpoints', '--key', keys.pub]);
    expect(trusted.code).toBe(1);
    expect(trusted.stdout).toMatch(
      /checkpoint #6 .*: signed by a key that is not one of those given \(--key\): it cannot vouch for the chain/,
    );
    const witnessed = await rw(spec, ['ledger', 'verify', '--witness', git]);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toMatch(
      /witness git:.*#refs\/notes\/audit: 1 checkpoint checked, 2 problems:\n {4}- checkpoint #6 .*rewrite detected at or before #6\n {4}- checkpoint #6 .* is in the witness but not in the store's checkpoints/,
    );

    // 3. The ledger's id replaced as well: the witness holds nothing of "this" ledger, which fails too.
    await rawSql(spec, "UPDATE ledger_meta SET value = '00000000-0000-4000-8000-000000000000' WHERE key = 'ledger_id'");
    const renamed = await rw(spec, ['ledger', 'verify', '--witness', file]);
    expect(renamed.code).toBe(1);
    expect(renamed.stdout).toMatch(
      /the witness holds no checkpoint of ledger 00000000-0000-4000-8000-000000000000 \(it holds 1 of other ledgers: was the ledger's id replaced\?\)/,
    );
  });

  it('a forged or garbled witness line fails, naming its line; a broken chain is not signed', async () => {
    const spec = await stores.fresh(kind);
    const { dir, keys } = scratch(kind, 'forged');
    const file = join(dir, 'w.jsonl');
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    expect((await rw(spec, ['ledger', 'checkpoint', '--key', keys.key, '--witness', file])).code).toBe(0);
    const line = JSON.parse(readFileSync(file, 'utf8').trim());
    // The readable hash changed: refused as not matching the signed payload.
    writeFileSync(file, JSON.stringify({ ...line, hash: 'f'.repeat(64) }) + '\nnot json\n');
    const r = await rw(spec, ['ledger', 'verify', '--witness', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:1: not a signed checkpoint: its hash`);
    expect(r.stdout).toContain(`${file}:2: not a JSON line`);
    // The payload replaced: the signature no longer verifies.
    const payload = JSON.parse(Buffer.from(line.envelope.payload, 'base64').toString());
    const forgedPayload = { ...payload, hash: 'e'.repeat(64) };
    writeFileSync(
      file,
      JSON.stringify({
        ...line,
        hash: forgedPayload.hash,
        envelope: { ...line.envelope, payload: Buffer.from(JSON.stringify(forgedPayload)).toString('base64') },
      }) + '\n',
    );
    const forged = await rw(spec, ['ledger', 'verify', '--witness', file]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(
      /checkpoint #6 .*: the signature does not verify: the checkpoint was forged or altered/,
    );

    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2");
    const broken = await rw(spec, ['ledger', 'checkpoint', '--key', keys.key]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/the ledger does not verify, so its head is not signed: event #2 .* was edited/);
  });
});

describe('rollwright ledger checkpoint: usage', () => {
  it('needs a key and a ledger with events; refuses bad witnesses', async () => {
    const spec = await stores.fresh('sqlite');
    const { dir, keys } = scratch('sqlite', 'usage');
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(0, 1));
    const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
      [
        ['ledger', 'checkpoint'],
        {},
        2,
        /ledger checkpoint needs a signing key: --key FILE, --key env:NAME, or ROLLWRIGHT_SIGNING_KEY/,
      ],
      [['ledger', 'checkpoint', '--key', 'env:NOPE'], {}, 2, /--key env:NOPE: the variable is not set/],
      [['ledger', 'checkpoint', '--key', keys.pub], {}, 2, /not a private key in PEM form/],
      [['ledger', 'checkpoint', '--key', keys.key, '--key', keys.key], {}, 2, /signs with one --key/],
      [
        ['ledger', 'checkpoint', '--key', keys.key, '--witness', `git:${dir}`],
        {},
        2,
        /the witness is not a git repository/,
      ],
      [['ledger', 'checkpoint', '--key', keys.key, '--witness', `git:${dir}#..bad`], {}, 2, /is not a notes ref/],
      [
        ['ledger', 'verify', '--witness', join(dir, 'absent.jsonl')],
        {},
        2,
        /absent\.jsonl: cannot read the witness: ENOENT/,
      ],
      [['ledger', 'export', '--checkpoints'], {}, 2, /ledger export does not take --checkpoints/],
      [['ledger', 'checkpoint', '--since', '2026-01-01T00:00:00Z', '--key', keys.key], {}, 2, /does not take --since/],
    ];
    for (const [args, env, code, message] of cases) {
      const r = await rw(spec, args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    expect(Number((await rawSql(spec, 'SELECT count(*) AS n FROM ledger_checkpoints'))[0]!.n)).toBe(0);
    const empty = await stores.fresh('sqlite');
    await recordAll(empty, EXAMPLE_UNTIL_VERIFIED.slice(0, 1));
    await rawSql(empty, 'DELETE FROM ledger_events');
    await rawSql(empty, `UPDATE ledger_head SET seq = 0, hash = '${'0'.repeat(64)}'`);
    const none = await rw(empty, ['ledger', 'checkpoint', '--key', keys.key]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/the ledger has no events: there is no head to sign/);
  });
});
