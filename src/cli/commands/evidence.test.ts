/** `rollwright evidence show|attest|verify` as whole processes, against both stores. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerEnv, recordAll, run, storeFlag } from '../../testing/ledger/cli-env.js';
import {
  CHANGE,
  EXAMPLE_EVIDENCE,
  EXAMPLE_UNTIL_VERIFIED,
  INCIDENT,
  OWED_AFTER_VERIFIED,
} from '../../testing/ledger/example.js';
import { rawSql } from '../../testing/ledger/raw.js';
import { testStores } from '../../testing/ledger/stores.js';
import { cli, ensureBuilt } from '../../testing/cli.js';

const stores = testStores();
beforeAll(async () => {
  await ensureBuilt();
});

function keys(dir: string): { key: string; pub: string; otherPub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').publicKey;
  const key = join(dir, 'key.pem');
  const pub = join(dir, 'key.pub');
  const otherPub = join(dir, 'other.pub');
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(otherPub, other.export({ type: 'spki', format: 'pem' }));
  return { key, pub, otherPub };
}

describe.each(stores.kinds)('%s: rollwright evidence', (kind) => {
  it('show: the timeline and the items present with who recorded each, and what is still owed', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    const r = await run(spec, ['evidence', 'show', INCIDENT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Incident ${INCIDENT} · service checkout · env prod · change ${CHANGE}

Timeline
  2026-01-05 08:30:00Z  #1  change.declared    dev-alice     rollbackClass=reversible-with-compatibility-window rollbackMethod=revert-image-digest-and-disable-new-feature-flag rollbackWindow=48h
  2026-01-05 09:00:00Z  #2  change.deployed    argocd        artifact=sha256:${'b'.repeat(64)} version=2.14.0
  2026-01-05 09:04:00Z  #3  incident.detected  alertmanager  severity=critical
  2026-01-05 09:10:00Z  #4  decision.made      sre-bob       transition=rollback
  2026-01-05 09:22:00Z  #5  recovery.executed  sre-bob       transition=rollback commit=9f3c2a1 artifact=sha256:${'a'.repeat(64)}
  2026-01-05 09:30:00Z  #6  recovery.verified  sre-bob       result=passed checks=error-rate < 1%,login-success-rate > 99.5%

Evidence: 5 of 9 required items present; still owed: approval, policy-result, drift-check, postmortem-action
  present  change-id          ${CHANGE}                                     by alertmanager at 2026-01-05 09:04:00Z (#3 incident.detected)
  present  rollback-commit    9f3c2a1                                           by sre-bob at 2026-01-05 09:22:00Z (#5 recovery.executed)
  present  artifact-digest    sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…  by sre-bob at 2026-01-05 09:22:00Z (#5 recovery.executed)
  OWED     approval           required, not recorded yet
  OWED     policy-result      required, not recorded yet
  present  sync-log           https://argocd.example/applications/checkout?re…  by sre-bob at 2026-01-05 09:22:00Z (#5 recovery.executed)
  present  health-metrics     https://grafana.example/d/checkout?from=0900&to…  by sre-bob at 2026-01-05 09:30:00Z (#6 recovery.verified)
  OWED     drift-check        required, not recorded yet
  OWED     postmortem-action  required, not recorded yet
`);
    const j = JSON.parse((await run(spec, ['evidence', 'show', INCIDENT, '-o', 'json'])).stdout);
    expect(j).toMatchObject({
      schema: 'rollwright.evidence/v1',
      id: INCIDENT,
      kind: 'incident',
      change: CHANGE,
      owed: OWED_AFTER_VERIFIED,
      complete: false,
    });
    const md = (await run(spec, ['evidence', 'show', INCIDENT, '-o', 'markdown'])).stdout;
    expect(md).toContain('| `approval` | **owed** |  |  |  |');
    expect(md).toContain('| `rollback-commit` | present | `9f3c2a1` | sre-bob | 2026-01-05 09:22:00Z |');
    // Once the evidence is attached, nothing is owed.
    await recordAll(spec, EXAMPLE_EVIDENCE);
    const done = JSON.parse((await run(spec, ['evidence', 'show', INCIDENT, '-o', 'json'])).stdout);
    expect(done).toMatchObject({ owed: [], complete: true, completedAt: '2026-01-05T15:30:00.000Z' });
    // A change id shows the change's evidence.
    const change = JSON.parse((await run(spec, ['evidence', 'show', CHANGE, '-o', 'json'])).stdout);
    expect(change).toMatchObject({ kind: 'change', id: CHANGE, service: 'checkout', environment: 'prod' });
    const none = await run(spec, ['evidence', 'show', 'INC-404']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^rollwright: no incident or change "INC-404" in the ledger/);
  });

  it('show: the required items come from the environment’s configuration', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    const repo = join(stores.dir(), `cfg-${kind}-${Date.now()}`);
    mkdirSync(repo, { recursive: true });
    writeFileSync(
      join(repo, '.rollwright.yaml'),
      'environments:\n  prod:\n    paths: ["clusters/prod/**"]\n    evidence: [change-id, rollback-commit, approval]\n',
    );
    const j = JSON.parse((await run(spec, ['evidence', 'show', INCIDENT, '-o', 'json', '--repo', repo])).stdout);
    expect(j.owed).toEqual(['approval']);
    writeFileSync(join(repo, 'bad.yaml'), 'environments:\n  prod:\n    evidence: [selfie]\n');
    const bad = await run(spec, ['evidence', 'show', INCIDENT, '--config', join(repo, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml: environments\.prod\.evidence\.0: /);
  });

  it('attest and verify: an in-toto statement, signed with Ed25519 in DSSE; tampering with the signature or the ledger fails', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, [...EXAMPLE_UNTIL_VERIFIED, ...EXAMPLE_EVIDENCE]);
    const dir = join(stores.dir(), `keys-${kind}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const k = keys(dir);

    const plain = await run(spec, ['evidence', 'attest', INCIDENT]);
    expect(plain.code).toBe(0);
    const st = JSON.parse(plain.stdout);
    expect(st._type).toBe('https://in-toto.io/Statement/v1');
    expect(st.predicateType).toBe('https://rollwright.dev/attestation/evidence/v1');
    expect(st.predicate).toMatchObject({ id: INCIDENT, kind: 'incident', complete: true, owed: [] });
    expect(st.predicate.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(st.subject[0].digest.sha256).toBe(st.predicate.events[9].hash);
    writeFileSync(join(dir, 'statement.json'), plain.stdout);

    const signed = await run(spec, ['evidence', 'attest', INCIDENT, '--key', k.key]);
    expect(signed.code).toBe(0);
    const env = JSON.parse(signed.stdout);
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    expect(JSON.parse(Buffer.from(env.payload, 'base64').toString())).toEqual(st);
    const file = join(dir, 'attestation.json');
    writeFileSync(file, signed.stdout);

    const ok = await run(spec, ['evidence', 'verify', file, '--pub', k.pub]);
    expect(ok.stdout).toMatch(
      /^signature: valid \(Ed25519, keyid [0-9a-f]{16}…\)\nstatement: incident INC-2026-0042, 10 events, evidence complete\nledger: the 10 attested events are in .* unchanged\nverified\n$/,
    );
    expect(ok.code).toBe(0);

    const wrongKey = await run(spec, ['evidence', 'verify', file, '--pub', k.otherPub]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(
      /^signature: INVALID: no signature verifies with .*other\.pub\n[\s\S]*verification FAILED\n$/,
    );

    const forged = {
      ...env,
      payload: Buffer.from(
        JSON.stringify({ ...st, predicate: { ...st.predicate, owed: [], complete: true, id: 'INC-other' } }),
      ).toString('base64'),
    };
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    expect((await run(spec, ['evidence', 'verify', join(dir, 'forged.json'), '--pub', k.pub])).code).toBe(1);

    const noPub = await run(spec, ['evidence', 'verify', file]);
    expect(noPub.code).toBe(2);
    expect(noPub.stderr).toMatch(/is a signed DSSE envelope: pass --pub KEY to check its signature/);

    const unsigned = await run(spec, ['evidence', 'verify', join(dir, 'statement.json')]);
    expect(unsigned.code).toBe(0);
    expect(unsigned.stdout).toMatch(/^signature: none \(an unsigned statement\)/);

    // Tamper with an attested event in the ledger: verification fails and names it; attest refuses.
    await rawSql(spec, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 4");
    const changed = await run(spec, ['evidence', 'verify', file, '--pub', k.pub]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(
      /ledger: BROKEN: event #4 \(decision\.made incident INC-2026-0042, id .*\) was edited/,
    );
    const refused = await run(spec, ['evidence', 'attest', INCIDENT]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the ledger does not verify, so its evidence cannot be attested: event #4 .* was edited/,
    );
    await rawSql(spec, 'DELETE FROM ledger_events WHERE seq = 4');
    const deleted = await run(spec, ['evidence', 'verify', file, '--pub', k.pub]);
    expect(deleted.stdout).toMatch(/ledger: CHANGED: attested event #4 is not in .* as attested/);
  });

  it('a row forged at seq 0 (a fake approval): verify, show, attest and evidence verify all refuse it', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED);
    const dir = join(stores.dir(), `forged-${kind}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const k = keys(dir);
    const before = await run(spec, ['evidence', 'attest', INCIDENT, '--key', k.key]);
    expect(before.code, before.stderr).toBe(0);
    writeFileSync(join(dir, 'before.json'), before.stdout);
    // An approval inserted below the chain, copying a real row's hashes.
    await rawSql(
      spec,
      `INSERT INTO ledger_events SELECT 0, 'forged-approval', 'evidence.attached', change_id, '${INCIDENT}', service, environment, occurred_at, recorded_at, 'cab-chair', '{"item":"approval","ref":"https://tickets.example/CAB-forged"}', prev_hash, hash FROM ledger_events WHERE seq = 1`,
    );
    const verify = await run(spec, ['ledger', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      /^ledger verify FAILED in .*: event #0 \(evidence\.attached, id forged-approval\) lies before the chain's first event \(#1\): it was added outside rollwright\n/,
    );
    const json = JSON.parse((await run(spec, ['ledger', 'verify', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ ok: false, broken: { seq: 0, reason: 'before-start', id: 'forged-approval' } });

    for (const args of [
      ['evidence', 'show', INCIDENT],
      ['evidence', 'show', INCIDENT, '-o', 'json'],
      ['evidence', 'attest', INCIDENT, '--key', k.key],
    ]) {
      const r = await run(spec, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('CAB-forged');
      expect(r.stderr).toMatch(/the ledger does not verify, so its evidence cannot be (shown|attested): event #0 /);
    }
    const checked = await run(spec, ['evidence', 'verify', join(dir, 'before.json'), '--pub', k.pub]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/ledger: BROKEN: event #0 .* lies before the chain's first event/);
    expect(checked.stdout).toMatch(/verification FAILED\n$/);
    // The export holds the chain only, so a copy made from it verifies without the forged row.
    const exported = await run(spec, ['ledger', 'export']);
    expect(exported.stdout).not.toContain('forged-approval');
  });
});

describe('rollwright evidence: usage', () => {
  it('refuses bad keys and missing arguments', async () => {
    const dir = join(stores.dir(), 'usage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'rsa.pem'),
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const spec = { kind: 'sqlite' as const, path: join(dir, 'l.db') };
    await recordAll(spec, EXAMPLE_UNTIL_VERIFIED.slice(0, 3));
    const cases: Array<[string[], RegExp]> = [
      [['evidence'], /evidence needs a subcommand: show, attest or verify/],
      [['evidence', 'show'], /evidence show needs one ID/],
      [
        ['evidence', 'attest', INCIDENT, '--key', join(dir, 'rsa.pem'), '--store', storeFlag(spec)],
        /rsa\.pem: an rsa key: rollwright signs with Ed25519 keys/,
      ],
      [
        ['evidence', 'attest', INCIDENT, '--key', join(dir, 'missing.pem'), '--store', storeFlag(spec)],
        /missing\.pem: cannot read the file: ENOENT/,
      ],
      [['evidence', 'show', INCIDENT, '--pub', 'x'], /evidence show does not take --pub/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { env: ledgerEnv() });
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    }
  });
});
