import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDeployment } from '../../engine/decide/fixtures.js';
import { cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { registryAvailable, TestRegistry, type PushedImage } from '../../testing/registry.js';

interface Json {
  transition: string;
  rationale: Array<{ question: string; answer: string; source: string }>;
  runbook: Array<{ step: string; command: string | null }>;
  assumptions: string[];
  refused: Array<{ transition: string; reason: string; alternative: string }>;
}
const ARTIFACT_Q = 'Does the previous artifact still exist and verify?';
const artifactAnswer = (d: Json) => d.rationale.find((r) => r.question === ARTIFACT_Q);

describe.runIf(registryAvailable())('rollwright decide checks the previous artifact live (real registry)', () => {
  let reg: TestRegistry;
  let f: GitFixture;
  let gone: PushedImage;
  let kept: PushedImage;
  let goneBump: string;
  let keptBump: string;
  const tmp = mkdtempSync(join(tmpdir(), 'rollwright-decide-live-'));
  const env = cleanEnv({ HOME: tmp, DOCKER_CONFIG: join(tmp, 'docker'), XDG_CACHE_HOME: join(tmp, 'cache') });
  const decide = async (change: string, ...extra: string[]) => {
    const flags = extra.filter((x) => x !== 'ROLLWRIGHT_OFFLINE');
    const r = await cli(['decide', '--change', change, '--env', 'prod', '--no-record', '-o', 'json', ...flags], {
      cwd: f.dir,
      env: extra.includes('ROLLWRIGHT_OFFLINE') ? { ...env, ROLLWRIGHT_OFFLINE: '1' } : env,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Json;
  };

  beforeAll(async () => {
    await ensureBuilt();
    mkdirSync(join(tmp, 'docker'));
    writeFileSync(join(tmp, 'docker', 'config.json'), '{}');
    reg = await TestRegistry.start();
    gone = await reg.pushImage('acme/web', { tag: '1.0.0', seed: 'gone' });
    const next = await reg.pushImage('acme/web', { tag: '2.0.0', seed: 'next' });
    kept = await reg.pushImage('acme/web', { tag: '2.1.0', seed: 'kept' });
    await reg.attachSignature('acme/web', kept);
    const last = await reg.pushImage('acme/web', { tag: '2.2.0', seed: 'last' });
    f = GitFixture.create('rollwright-decide-live-repo-');
    f.commit('web 1.0.0', { 'apps/web.yaml': webDeployment(`${reg.host}/acme/web@${gone.digest}`) });
    goneBump = f.commit('web 2.0.0', { 'apps/web.yaml': webDeployment(`${reg.host}/acme/web@${next.digest}`) });
    f.commit('web 2.1.0', { 'apps/web.yaml': webDeployment(`${reg.host}/acme/web@${kept.digest}`) });
    keptBump = f.commit('web 2.2.0', { 'apps/web.yaml': webDeployment(`${reg.host}/acme/web@${last.digest}`) });
    // The registry garbage-collects the first release: its digest is deleted.
    expect(await reg.deleteManifest('acme/web', gone.digest)).toBe(202);
  });
  afterAll(async () => {
    await reg?.stop();
    f?.cleanup?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the previous digest deleted from the registry: rollback refused, "previous artifact missing" sourced live, rollforward', async () => {
    const d = await decide(goneBump);
    expect(d.transition).toBe('rollforward');
    const a = artifactAnswer(d)!;
    expect(a.source).toBe('live');
    expect(a.answer).toContain(`no: previous artifact missing: ${reg.host}/acme/web@${gone.digest}`);
    expect(d.refused).toContainEqual(expect.objectContaining({ transition: 'rollback', alternative: 'rollforward' }));
    expect(d.refused.map((r) => r.reason).join('\n')).toContain('previous artifact missing');
    expect(d.assumptions.join('\n')).not.toContain('artifact-available');
    const text = await cli(['decide', '--change', goneBump, '--env', 'prod', '--no-record'], { cwd: f.dir, env });
    expect(text.stdout).toMatch(/\[live\s*\] Does the previous artifact still exist and verify\?/);
  });

  it('the previous digest present and signed: rollback, the signature reported, the runbook checks it with rollwright check-targets', async () => {
    const d = await decide(keptBump);
    expect(d.transition).toBe('rollback');
    const a = artifactAnswer(d)!;
    expect(a).toMatchObject({ source: 'live' });
    expect(a.answer).toContain(`yes: ${reg.host}/acme/web@${kept.digest} exists, signed (`);
    expect(a.answer).toContain('via cosign-tag');
    const commands = d.runbook.map((s) => s.command).filter((c): c is string => c !== null);
    expect(commands.some((c) => c.startsWith('docker manifest inspect'))).toBe(false);
    const check = commands.find((c) => c.startsWith('rollwright check-targets'));
    expect(check).toBe(`rollwright check-targets --change ${keptBump}`);
    // The runbook's command runs, and passes, in the repository.
    const ran = await cli(check!.split(' ').slice(1), { cwd: f.dir, env });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(kept.digest);
    // The missing one's check fails, as the runbook says.
    expect((await cli(['check-targets', '--change', `${goneBump}~1..${goneBump}`], { cwd: f.dir, env })).code).toBe(1);
  });

  it('--offline (and ROLLWRIGHT_OFFLINE=1): nothing contacted, the answer is unknown and the assumption listed', async () => {
    for (const d of [await decide(goneBump, '--offline'), await decide(goneBump, 'ROLLWRIGHT_OFFLINE')]) {
      const a = artifactAnswer(d)!;
      expect(a.source).toBe('assumed');
      expect(a.answer).toContain('live check: unknown (offline: nothing contacted)');
      expect(d.assumptions.some((s) => s.startsWith('assumed artifact-available=yes'))).toBe(true);
    }
  });
});
