/**
 * `rollwright init` on the bundled example's repository (built by examples/build-history.mjs into a
 * temporary folder): it refuses to overwrite, writes a config with the schema line, `assess` then
 * uses that config, and a typo in it gets a did-you-mean naming the line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleRepo } from '../../../examples/build-history.mjs';
import { cli, ensureBuilt } from '../../testing/cli.js';
import { fixtureGitEnv } from '../../testing/git-fixture.js';
import { environmentsOf } from '../init.js';

let dir = '';
const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: fixtureGitEnv(), encoding: 'utf8' });

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rollwright-init-'));
  buildExampleRepo(dir);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rollwright init on the example repository', () => {
  it('refuses to overwrite the existing config without --force', async () => {
    const r = await cli(['init', '--repo', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.rollwright.yaml: the config exists: pass --force to overwrite it');
  });

  it('writes a config that assess then uses; a typo in it gets a did-you-mean', async () => {
    const r = await cli(['init', '--repo', dir, '--force']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, '.rollwright.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://unpkg.com/@rollwright/cli/schema/config.schema.json',
    );
    expect(text).toContain(
      '  prod:\n    paths: ["clusters/prod/**", "infra/terraform/prod/**", "platform/inventory/overlays/prod/**"]\n    requireDeclaration: true\n',
    );
    expect(text).toContain('  queries: ["db/queries/*.sql"]');
    expect(r.stdout).toContain('Flux objects: 1');
    expect(r.stdout).toContain('Terraform/OpenTofu files: 5');
    git('add', '.rollwright.yaml');
    git('commit', '-qm', 'rollwright init');

    // The example's own config leaves the inventory's prod overlay out of prod; init's puts it in,
    // so a change there is a prod change and needs a declaration.
    const kustomization = join(dir, 'platform/inventory/overlays/prod/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8') + '# reviewed\n');
    git('commit', '-qam', 'touch the prod overlay');
    const a = await cli(['assess', '--repo', dir, '-o', 'json']);
    const assessment = JSON.parse(a.stdout);
    expect(assessment.environments).toEqual(['prod']);
    expect(assessment.gate.reasons.join('\n')).toMatch(/environment prod requires a change declaration/);

    writeFileSync(join(dir, '.rollwright.yaml'), text.replace('\nenvironments:', '\nenviroments:'));
    git('commit', '-qam', 'typo');
    const typo = await cli(['assess', '--repo', dir]);
    expect(typo.code).toBe(2);
    const line = text.split('\n').indexOf('environments:') + 1;
    expect(typo.stderr).toContain(
      `.rollwright.yaml:${line}: enviroments: unknown key "enviroments": did you mean "environments"?`,
    );
  }, 120_000);
});

describe('environmentsOf', () => {
  it.each([
    [['clusters/prod/shop/web.yaml', 'clusters/staging/web.yaml'], ['prod: clusters/prod/**', 'staging: clusters/staging/**']],
    [['apps/web/overlays/production/k.yaml', 'apps/web/overlays/dev/k.yaml'], ['production: apps/web/overlays/production/**', 'dev: apps/web/overlays/dev/**']],
    [['envs/eu-west/main.tf', 'envs/prod/main.tf'], ['prod: envs/prod/**', 'eu-west: envs/eu-west/**']],
    [['clusters/prod/staging-tools/a.yaml'], ['prod: clusters/prod/**']],
    [['apps/web/deploy.yaml', 'docs/README.md'], []],
  ])('%j', (files, want) => {
    expect(environmentsOf(files).map((e) => `${e.name}: ${e.paths.join(', ')}`)).toEqual(want);
  });
});
