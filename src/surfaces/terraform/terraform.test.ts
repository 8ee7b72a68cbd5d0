/**
 * The Terraform surface end to end: real git repositories (src/testing/git-fixture.ts), the lazy HCL
 * parser, credentials in module sources across every output, and plan findings merged into `assess`.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../testing/engine.js';
import { allRules, surfaces } from '../../registry.js';
import { render } from '../../reporters/index.js';
import { cleanEnv, CLI, cli, ensureBuilt, node } from '../../testing/cli.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { hclLoaded, hclStats } from './hcl.js';

const require = createRequire(import.meta.url);
const hclInCache = () => Object.keys(require.cache).some((k) => k.includes('@cdktf/hcl2json'));

const repos: GitFixture[] = [];
function repo(): GitFixture {
  const r = GitFixture.create('rollwright-terraform-');
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

const run = (r: GitFixture, extra: { plan?: string } = {}) =>
  assess({ repo: r.dir, base: 'HEAD^', head: 'HEAD', surfaces, rules: allRules(), ...extra });

const sg = (name: string) =>
  `resource "aws_security_group" "${name}" {\n  name   = "api"\n  vpc_id = aws_vpc.main.id\n}\n`;

describe('the HCL parser loads only for HCL', () => {
  // First in this file: nothing has loaded the parser yet in this process.
  it('a change to scripts, state files and manifests never loads it', async () => {
    const r = repo();
    r.commit('base', {
      'scripts/deploy.sh': '#!/bin/sh\nterraform apply\n',
      'apps/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    });
    r.commit('ops', {
      'scripts/deploy.sh': '#!/bin/sh\nterraform state rm aws_instance.old\nterraform apply\n',
      'apps/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n',
      'infra/terraform.tfstate': '{"version":4,"serial":1,"lineage":"x","resources":[]}',
    });
    const a = await run(r);
    expect(a.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['terraform/state-file-committed', 'terraform/state-operation']),
    );
    expect(hclLoaded()).toBe(false);
    expect(hclStats.loads).toBe(0);
    expect(hclInCache()).toBe(false);
  });

  it('a .tf change loads it once', async () => {
    const r = repo();
    r.commit('base', { 'main.tf': sg('api') });
    r.commit('change', { 'main.tf': sg('web') });
    await run(r);
    expect(hclLoaded()).toBe(true);
    expect(hclStats.loads).toBe(1);
    expect(hclInCache()).toBe(true);
  });
});

describe('only what the rules need is parsed', () => {
  const versions = (floor: string) =>
    `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= ${floor}"\n    }\n  }\n}\n`;
  const module = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`infra/r${i}.tf`, sg(`s${i}`)]));

  it('a change to settings only (versions.tf) parses that file, not the whole module directory', async () => {
    const r = repo();
    r.commit('base', { ...module, 'infra/versions.tf': versions('5.40') });
    r.commit('raise the floor', { 'infra/versions.tf': versions('5.60') });
    const before = hclStats.files;
    const a = await run(r);
    expect(hclStats.files - before).toBe(2);
    expect(a.findings.map((f) => `${f.rule}:${f.messageId}:${f.class}`)).toEqual([
      'terraform/provider-version-changed:floorChanged:fully-reversible',
    ]);
  });

  it('a change to a resource file reads the whole directory (a block may move between files)', async () => {
    const r = repo();
    r.commit('base', { ...module, 'infra/versions.tf': versions('5.40') });
    r.commit('rename', { 'infra/r0.tf': '', 'infra/r1.tf': `${sg('s1')}${sg('s0b')}` });
    const before = hclStats.files;
    const a = await run(r);
    expect(hclStats.files - before).toBeGreaterThanOrEqual(7);
    expect(a.findings.map((f) => f.rule)).toContain('terraform/moved-block-missing');
  });
});

describe('configuration changes in a real repository', () => {
  it('a PR moving aws_security_group.api into module.api_security without a moved block is reported with the block it needs', async () => {
    const r = repo();
    r.commit('network', {
      'infra/network/main.tf': `resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n${sg('api')}`,
    });
    r.commit('Move the API security group into a module', {
      'infra/network/main.tf': `resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\nmodule "api_security" {\n  source = "./modules/api-security"\n  vpc_id = aws_vpc.main.id\n}\n`,
      'infra/network/modules/api-security/main.tf': `variable "vpc_id" {}\n\nresource "aws_security_group" "this" {\n  name   = "api"\n  vpc_id = var.vpc_id\n}\n`,
    });
    const a = await run(r);
    const f = a.findings.filter((x) => x.rule === 'terraform/moved-block-missing');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      messageId: 'renamed',
      class: 'reversible-with-manual-repair',
      file: 'infra/network/modules/api-security/main.tf',
      line: 3,
      object: 'module.api_security.aws_security_group.this',
      data: { moved: 'moved { from = aws_security_group.api  to = module.api_security.aws_security_group.this }' },
    });
    expect(a.class).toBe('reversible-with-manual-repair');
  });

  it('the same PR with the moved block destroys nothing; its revert needs the reverse block', async () => {
    const r = repo();
    r.commit('network', { 'main.tf': sg('api') });
    r.commit('move', {
      'main.tf':
        'module "api_security" {\n  source = "./modules/api-security"\n}\n\nmoved {\n  from = aws_security_group.api\n  to   = module.api_security.aws_security_group.this\n}\n',
      'modules/api-security/main.tf': sg('this'),
    });
    const a = await run(r);
    expect(a.findings.filter((f) => f.surface === 'terraform').map((f) => `${f.rule}:${f.class}:${f.line}`)).toEqual([
      'terraform/moved-block-added:reversible-with-manual-repair:5',
    ]);
  });

  it('never prints credentials of a module source, in any format', async () => {
    const r = repo();
    r.commit('base', { 'main.tf': 'locals {}\n' });
    r.commit('add a module', {
      'main.tf':
        'module "vpc" {\n  source = "git::https://deploy:hunter2-token@git.example.com/acme/vpc.git?ref=main&sshkey=LS0tLS1CRUdJTiBPUEVOU1NI"\n}\n',
    });
    const a = await run(r);
    expect(a.findings.map((f) => f.messageId)).toEqual(['gitBranch']);
    for (const format of ['text', 'json', 'markdown', 'sarif'] as const) {
      const out = render(a, format, { color: false });
      expect(out, format).not.toContain('hunter2');
      expect(out, format).not.toContain('LS0tLS1CRUdJTiBPUEVOU1NI');
      if (format !== 'markdown')
        expect(out, format).toContain('git::https://***@git.example.com/acme/vpc.git?ref=main&sshkey=***');
      else expect(out).toContain('git.example.com/acme/vpc.git');
    }
  });
});

describe('assess --plan', () => {
  it('merges the plan’s findings before the class and the gate', async () => {
    const r = repo();
    r.commit('base', { 'infra/main.tf': 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n}\n' });
    r.commit('engine', { 'infra/main.tf': 'resource "aws_db_instance" "main" {\n  engine = "aurora-postgresql"\n}\n' });
    const plan = fileURLToPath(new URL('./fixtures/hand-written/aws-db-replace.json', import.meta.url));
    const without = await run(r);
    expect(without.class).toBe('fully-reversible');
    const a = await run(r, { plan });
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(a.findings.find((f) => f.object === 'aws_db_instance.main')).toMatchObject({
      rule: 'terraform/plan-resource-destroyed',
      file: plan,
      messageId: 'replacedDataDeleteFirst',
    });
    expect(a.gate.passed).toBe(false);
    expect(Object.keys(JSON.parse(render(a, 'json', { color: false })))).toEqual([
      'schema',
      'base',
      'head',
      'class',
      'unassessed',
      'findings',
      'declaration',
      'gate',
      'environments',
      'skipped',
      'stats',
    ]);
  });
});

describe('whole process', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 240_000);

  /** Runs the CLI with a preload that reports, at exit, whether the HCL parser module was ever required. */
  async function traced(r: GitFixture) {
    const preload = join(r.dir, '..', `${r.dir.split('/').pop()}-preload.cjs`);
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(`hcl2json loaded: ${Object.keys(require.cache).some((k) => k.includes('@cdktf/hcl2json'))}\\n`));\n",
    );
    return node('--require', [preload, CLI, 'assess', '--repo', r.dir, '-o', 'json'], {
      env: cleanEnv({ ROLLWRIGHT_TRACE: '1' }),
    });
  }

  it('a change touching no .tf file does not load @cdktf/hcl2json (module cache and trace)', async () => {
    const r = repo();
    r.commit('base', { 'ci/deploy.sh': 'terraform apply\n' });
    r.commit('ops', { 'ci/deploy.sh': 'terraform apply\nterraform state mv a.b a.c\n' });
    const p = await traced(r);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('hcl2json loaded: false');
    expect(p.stderr).not.toContain('HCL parser ready');
    const t = repo();
    t.commit('base', { 'main.tf': sg('a') });
    t.commit('tf', { 'main.tf': sg('b') });
    const q = await traced(t);
    expect(q.stderr).toContain('hcl2json loaded: true');
    expect(q.stderr).toMatch(/terraform: HCL parser ready in \d+\.\d ms/);
  });

  it('assess --plan with a plan that cannot be read is an input error (exit 2)', async () => {
    const r = repo();
    r.commit('base', { 'main.tf': 'locals {}\n' });
    r.commit('x', { 'main.tf': 'locals {\n}\n' });
    const bad = join(r.dir, 'bad.json');
    writeFileSync(bad, '{"format_version":"1.2","resource_changes":[{"address":"a.b"');
    const p = await cli(['assess', '--repo', r.dir, '--plan', bad]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('the JSON document is truncated: it ends at byte 60 inside resource_changes[0]');
  });
});
