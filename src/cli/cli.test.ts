/**
 * Whole-process tests of `node dist/cli.cjs`: exit codes, what goes to stdout and stderr, and how bad
 * input is reported. Each test builds its own git repository with the fixture (fixed dates).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../testing/git-fixture.js';
import { cleanEnv, cli, ensureBuilt } from '../testing/cli.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  mode: fast\n`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web@${DIGEST}
`;

interface JsonFinding {
  rule: string;
  surface: string;
  class: string;
  severity: string;
  message: string;
  messageId?: string;
  file: string;
  line: number;
  object: string | null;
}
interface JsonAssessment {
  schema: string;
  base: string;
  head: string;
  class: string;
  findings: JsonFinding[];
  declaration: Record<string, unknown> | null;
  gate: { passed: boolean; reasons: string[] };
}

const repos: GitFixture[] = [];
function fixture(): GitFixture {
  const r = GitFixture.create('rollwright-cli-');
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** A repository whose HEAD commit adds `files` on top of a commit with one ConfigMap. */
function repoWith(files: Record<string, string | Buffer>, message = 'change'): GitFixture {
  const repo = fixture();
  repo.commit('base', { 'apps/base.yaml': configMap('base') });
  repo.commit(message, files);
  return repo;
}

async function assessJson(repo: GitFixture, extra: string[] = []) {
  const r = await cli(['assess', '--repo', repo.dir, '-o', 'json', ...extra]);
  let json: JsonAssessment | undefined;
  try {
    json = JSON.parse(r.stdout) as JsonAssessment;
  } catch {
    /* asserted by the caller */
  }
  return { ...r, json: json! };
}

const brief = (fs: JsonFinding[]) => fs.map((f) => `${f.rule} ${f.file}:${f.line} ${f.class}`);

beforeAll(async () => {
  await ensureBuilt();
}, 240_000);

describe('rollwright assess: bad manifests are findings, not crashes', () => {
  it('malformed YAML: invalid-manifest at file:line, held conservative, exit 1', async () => {
    const repo = repoWith({
      'apps/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  list: [1, 2\n',
    });
    const { code, json, stderr } = await assessJson(repo);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(brief(json.findings)).toEqual([
      'kubernetes/invalid-manifest apps/bad.yaml:6 non-recoverable-without-restore',
    ]);
    expect(json.findings[0]).toMatchObject({ severity: 'error', messageId: 'yaml' });
    expect(json.findings[0]!.message).toMatch(/^YAML does not parse: /);
    expect(json.class).toBe('non-recoverable-without-restore');
    expect(json.gate.passed).toBe(false);
    expect(json.gate.reasons).toContain(
      '1 finding that no declaration can accept: kubernetes/invalid-manifest at apps/bad.yaml:6',
    );

    const text = await cli(['assess', '--repo', repo.dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('apps/bad.yaml');
    expect(text.stdout).toContain('kubernetes/invalid-manifest');
  });

  it('a document that is a list or a scalar is named as such with its line', async () => {
    const repo = repoWith({
      'apps/mixed.yaml': `${configMap('ok')}---\n- just\n- a list\n---\nplain scalar\n`,
    });
    const { code, json } = await assessJson(repo);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.rule, f.line, f.messageId, f.message])).toEqual([
      ['kubernetes/invalid-manifest', 9, 'notObject', 'document is a list, not a Kubernetes object'],
      ['kubernetes/invalid-manifest', 12, 'notObject', 'document is a string, not a Kubernetes object'],
    ]);
    expect(json.class).toBe('non-recoverable-without-restore');
  });

  it('duplicate keys are an error at the line of the duplicate', async () => {
    const repo = repoWith({
      'apps/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata: {}\n',
    });
    const { code, json } = await assessJson(repo);
    expect(code).toBe(1);
    expect(brief(json.findings)).toEqual([
      'kubernetes/invalid-manifest apps/dup.yaml:5 non-recoverable-without-restore',
    ]);
    expect(json.findings[0]!.message).toMatch(/duplicated mapping key/);
  });

  it('YAML anchors used as a bomb (billion laughs) are refused, quickly, without expanding', async () => {
    const lines = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: lol}',
      'data:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`  ${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const repo = repoWith({ 'apps/lol.yaml': lines.join('\n') + '\n' });
    const { code, json, stdout } = await assessJson(repo);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.rule, f.file, f.class])).toEqual([
      ['kubernetes/invalid-manifest', 'apps/lol.yaml', 'non-recoverable-without-restore'],
    ]);
    expect(json.findings[0]!.message).toMatch(/alias/);
    expect(stdout.length).toBeLessThan(20_000);
  });

  it('a 50 MB manifest is reported as unreadable, not parsed, and fast', async () => {
    const big = `${configMap('huge')}  blob: |\n${'    0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n'.repeat(800_000)}`;
    expect(big.length).toBeGreaterThan(50 * 1024 * 1024);
    const repo = repoWith({ 'apps/huge.yaml': big });
    const { code, json } = await assessJson(repo);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.rule, f.file, f.line, f.class, f.messageId])).toEqual([
      ['core/unreadable-file', 'apps/huge.yaml', 1, 'non-recoverable-without-restore', 'tooLarge'],
    ]);
    expect(json.findings[0]!.message).toBe(
      `apps/huge.yaml is ${big.length} bytes, over the 8388608-byte limit: not parsed, so its effect on rollback is unknown`,
    );
    expect((json as unknown as { stats: { bytesRead: number } }).stats.bytesRead).toBe(0);
  });

  it('a binary file with a .yaml extension is reported as unreadable', async () => {
    const repo = repoWith({
      'apps/logo.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    });
    const { code, json } = await assessJson(repo);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.rule, f.file, f.line, f.messageId, f.message])).toEqual([
      [
        'core/unreadable-file',
        'apps/logo.yaml',
        1,
        'binary',
        'apps/logo.yaml is binary: rollwright did not parse it, so its effect on rollback is unknown',
      ],
    ]);
  });

  it('never prints a Secret value, in any format', async () => {
    const secret = 'hunter2-Zq8rT4vW';
    const encoded = Buffer.from(secret).toString('base64');
    const repo = repoWith({
      'clusters/staging/db-secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\nstringData:\n  password: ${secret}\ndata:\n  token: ${encoded}\n`,
      // A broken document in the same file: its error must not echo the source either.
      'clusters/staging/broken-secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n  password: "${secret}\n`,
    });
    for (const format of ['text', 'json', 'markdown', 'sarif']) {
      const r = await cli(['assess', '--repo', repo.dir, '-o', format]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout).not.toContain(secret);
      expect(r.stdout).not.toContain(encoded);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it('reports a plaintext Secret committed to Git, naming keys only', async () => {
    const secret = 'hunter2-Zq8rT4vW';
    const repo = repoWith({
      'clusters/staging/db-secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\nstringData:\n  password: ${secret}\n`,
    });
    const { json, stdout } = await assessJson(repo);
    const f = json.findings.filter((x) => x.rule === 'kubernetes/plaintext-secret');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'clusters/staging/db-secret.yaml', object: '/Secret/shop/db' });
    expect(stdout).not.toContain(secret);
  });
});

describe('rollwright assess: bad command lines and repositories exit 2', () => {
  let repo: GitFixture;
  let cwd: string;
  beforeAll(() => {
    repo = GitFixture.create('rollwright-cli-refs-');
    repo.commit('one', { 'apps/a.yaml': configMap('a') });
    repo.commit('two', { 'apps/b.yaml': configMap('b') });
    cwd = mkdtempSync(join(tmpdir(), 'rollwright-cwd-'));
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  });

  const badRefs: Array<[string[], RegExp]> = [
    [['--base=--output=x'], /^rollwright: --base: invalid revision "--output=x": a revision cannot start with '-'$/m],
    [['--head=--output=x'], /^rollwright: --head: invalid revision "--output=x"/m],
    [['--base', '$(reboot)'], /^rollwright: --base: invalid revision "\$\(reboot\)": only letters, digits/m],
    [['--head', '$(touch canary)'], /^rollwright: --head: invalid revision "\$\(touch canary\)"/m],
    [['--base', '$(touch canary)'], /^rollwright: --base: invalid revision "\$\(touch canary\)"/m],
    [['--base', '`touch canary`'], /--base: invalid revision/],
    [['--base', 'HEAD..x'], /^rollwright: --base: invalid revision "HEAD\.\.x": give --base and --head, not a range$/m],
    [['--head', 'HEAD;touch canary'], /--head: invalid revision/],
    [['--base', '--output=x'], /Option '--base' argument is ambiguous/],
  ];
  it.each(badRefs)('refuses %j before any git process sees it', async (args, message) => {
    const r = await cli(['assess', '--repo', repo.dir, ...args], { cwd, env: cleanEnv({ ROLLWRIGHT_TRACE: '1' }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    const gitLines = r.stderr.split('\n').filter((l) => l.startsWith('rollwright: git '));
    const bad = args[args.length - 1]!.replace(/^--(base|head)=/, '');
    for (const l of gitLines) expect(l).not.toContain(bad);
    expect(existsSync(join(cwd, 'canary'))).toBe(false);
    expect(existsSync(join(repo.dir, 'canary'))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a --repo that does not exist', async () => {
    const r = await cli(['assess', '--repo', '/nonexistent/rollwright/repo']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rollwright: --repo: the directory "\/nonexistent\/rollwright\/repo" does not exist$/m);
  });

  it('a directory that is not a repository', async () => {
    const r = await cli(['assess', '--repo', cwd]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rollwright: ${cwd} is not a git repository\n`);
  });

  it('an unknown revision', async () => {
    const r = await cli(['assess', '--repo', repo.dir, '--base', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--base: unknown revision "no-such-branch" in ${repo.dir}`);
  });

  it('a base that is not an ancestor of head names the merge base', async () => {
    const r0 = fixture();
    const root = r0.commit('root', { 'apps/a.yaml': configMap('a') });
    r0.branch('feature');
    const feature = r0.commit('feature', { 'apps/f.yaml': configMap('f') });
    r0.switch('main');
    const main = r0.commit('main', { 'apps/m.yaml': configMap('m') });
    const r = await cli(['assess', '--repo', r0.dir, '--base', 'feature', '--head', 'main']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rollwright: --base feature (${feature.slice(0, 12)}) is not an ancestor of --head main (${main.slice(0, 12)}); ` +
        `their merge base is ${root.slice(0, 12)}: pass --base ${root} to assess what head adds\n`,
    );
  });

  it.each([
    [['frobnicate'], /^rollwright: unknown command "frobnicate"/],
    [['assess', '--frobnicate'], /^rollwright: Unknown option '--frobnicate'/],
    [['assess', '-o', 'yaml'], /^rollwright: --output: "yaml" is not one of text, json, markdown, comment, sarif, codequality/],
    [['assess', '--fail-on', 'mostly-fine'], /^rollwright: --fail-on: "mostly-fine" is not a rollback class/],
    [['assess', '--worktree', '--head', 'HEAD'], /^rollwright: --worktree and --head cannot be used together/],
    [['assess', 'extra-positional'], /^rollwright: /],
    [[], /Usage: rollwright <command>/],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await cli(args, { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(message);
    if (args.length) expect(r.stdout).toBe('');
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await cli(['assess', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rollwright assess/);
    expect(help.stderr).toBe('');
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('rollwright assess: output contract', () => {
  let repo: GitFixture;
  beforeAll(() => {
    repo = GitFixture.create('rollwright-cli-out-');
    repo.commit('base', {
      'clusters/prod/shop/web.yaml': deployment,
      'clusters/prod/shop/cfg.yaml': configMap('cfg'),
    });
    repo.commit('drop cfg', {}, { delete: ['clusters/prod/shop/cfg.yaml'] });
  });
  afterAll(() => repo.cleanup());

  it('-o json has the contract keys with their types', async () => {
    const { code, json, stdout, stderr } = await assessJson(repo);
    expect(stderr).toBe('');
    expect(code).toBe(1); // prod without a declaration
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['schema', 'base', 'head', 'class', 'findings', 'declaration', 'gate']),
    );
    expect(json.schema).toBe('rollwright.assessment/v1');
    expect(json.base).toBe(repo.rev('HEAD^'));
    expect(json.head).toBe(repo.rev('HEAD'));
    expect(json.class).toBe('fully-reversible');
    expect(json.declaration).toBeNull();
    expect(json.gate).toEqual({
      passed: false,
      reasons: [expect.stringMatching(/^environment prod requires a change declaration/)],
    });
    expect(Object.keys(json.gate).sort()).toEqual(['passed', 'reasons']);
    expect(json.findings.length).toBeGreaterThan(0);
    const cfg = json.findings.find(
      (f) => f.object === '/ConfigMap/shop/cfg' && f.rule === 'kubernetes/stateless-object-deleted',
    );
    expect(cfg).toMatchObject({
      rule: 'kubernetes/stateless-object-deleted',
      surface: 'kubernetes',
      class: 'fully-reversible',
      severity: 'info',
      file: 'clusters/prod/shop/cfg.yaml',
      line: 1,
    });
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['rule', 'surface', 'class', 'severity', 'message', 'file', 'line', 'object']),
      );
      expect(typeof f.rule).toBe('string');
      expect(f.rule.startsWith(`${f.surface}/`)).toBe(true);
      expect(['info', 'warning', 'error']).toContain(f.severity);
      expect(Number.isInteger(f.line) && f.line >= 1).toBe(true);
      expect(f.object === null || typeof f.object === 'string').toBe(true);
    }
  });

  it('-o json is byte-stable across runs', async () => {
    const a = await cli(['assess', '--repo', repo.dir, '-o', 'json']);
    const b = await cli(['assess', '--repo', repo.dir, '-o', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exit 0 when the gate passes', async () => {
    const r0 = fixture();
    r0.commit('base', { 'clusters/staging/cfg.yaml': configMap('cfg') });
    r0.commit('drop', {}, { delete: ['clusters/staging/cfg.yaml'] });
    const r = await cli(['assess', '--repo', r0.dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const failOn = await cli(['assess', '--repo', r0.dir, '--fail-on', 'fully-reversible']);
    expect(failOn.code).toBe(1);
  });

  it('stdout carries only the report; diagnostics go to stderr', async () => {
    const r = await cli(['assess', '--repo', repo.dir, '-o', 'json'], { env: cleanEnv({ ROLLWRIGHT_TRACE: '1' }) });
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toMatch(/^rollwright: git /m);
    expect(r.stdout).not.toMatch(/rollwright: git/);
  });

  it('colour only when forced, and never with NO_COLOR', async () => {
    const ESC = '\u001b[';
    const plain = await cli(['assess', '--repo', repo.dir]);
    expect(plain.stdout).not.toContain(ESC);
    const forced = await cli(['assess', '--repo', repo.dir], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stdout).toContain(ESC);
    const noColor = await cli(['assess', '--repo', repo.dir], { env: cleanEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) });
    expect(noColor.stdout).not.toContain(ESC);
    // The same report, without the escapes.
    expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(noColor.stdout);
    const json = await cli(['assess', '--repo', repo.dir, '-o', 'json'], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(json.stdout).not.toContain(ESC);
  });
});
