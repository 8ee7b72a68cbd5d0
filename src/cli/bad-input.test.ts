/**
 * The bad-input corpus: each probe is a real git repository whose last commit carries one hostile,
 * broken or unreadable input (or a hostile revision on the command line), assessed by the built CLI.
 * Every probe must end in a named finding that holds the class at or above
 * reversible-with-manual-repair, or in an input error naming the file and line (or the field);
 * never exit 0 with fully-reversible, never a crash (exit 3, a stack trace), never a file's content
 * from outside the repository.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLBACK_CLASSES, type RollbackClass } from '../core/classes.js';
import { cli, ensureBuilt, type RunResult } from '../testing/cli.js';
import { GitFixture, type FileContent } from '../testing/git-fixture.js';

const HELD: RollbackClass = 'reversible-with-manual-repair';
const worse = (c: string, than: RollbackClass) =>
  ROLLBACK_CLASSES.indexOf(c as RollbackClass) >= ROLLBACK_CLASSES.indexOf(than);

const deployment = (replicas: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`;
const plan = (extra: Record<string, unknown>) =>
  JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.11.4',
      planned_values: { root_module: {} },
      resource_changes: [],
      configuration: { root_module: {} },
      complete: true,
      errored: false,
      ...extra,
    },
    null,
    2,
  );

interface Probe {
  name: string;
  /** Files of the probe's commit (the base commit has a valid Deployment in staging/). */
  files: Record<string, FileContent | { symlink: string }>;
  /** A finding that must be reported, with the file and, when given, the line. */
  finding?: { rule: string; file: string; line?: number; messageId?: string };
  /** A plan JSON given with --plan (written outside the repository, as CI does). */
  plan?: FileContent;
  /** An input error (exit 2) whose message names the file, line or field. */
  inputError?: RegExp;
}

const PROBES: Probe[] = [
  {
    name: 'a manifest whose values are not valid UTF-8',
    files: {
      'staging/cm.yaml': Buffer.from(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "\xff\xfe"\n',
        'latin1',
      ),
    },
    finding: { rule: 'core/unreadable-file', file: 'staging/cm.yaml', line: 6, messageId: 'encoding' },
  },
  {
    name: 'a manifest whose fields have the wrong types',
    files: { 'staging/web.yaml': deployment('"three"') },
    finding: { rule: 'kubernetes/invalid-manifest', file: 'staging/web.yaml', line: 6 },
  },
  {
    name: 'a committed symlink in an environment folder (to a file outside the repository)',
    files: { 'staging/passwd.yaml': { symlink: '/etc/passwd' } },
    finding: { rule: 'core/symlink', file: 'staging/passwd.yaml' },
  },
  {
    name: 'a binary file named .json in an environment folder',
    files: { 'staging/web.json': Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x7d]) },
    finding: { rule: 'core/unreadable-file', file: 'staging/web.json', messageId: 'binary' },
  },
  {
    name: 'a binary file in an environment folder under a name no surface reads as a manifest',
    files: { 'staging/app.json': Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x7d]) },
    finding: { rule: 'core/unassessed-file', file: 'staging/app.json' },
  },
  {
    name: 'NUL bytes in a YAML manifest',
    files: { 'staging/nul.yaml': Buffer.from('apiVersion: v1\nkind: ConfigMap\x00\nmetadata: {name: a}\n') },
    finding: { rule: 'core/unreadable-file', file: 'staging/nul.yaml', messageId: 'binary' },
  },
  {
    name: 'malformed YAML',
    files: { 'staging/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\ndata: {k: v}\n' },
    finding: { rule: 'kubernetes/invalid-manifest', file: 'staging/bad.yaml', line: 5 },
  },
  {
    name: 'malformed JSON manifest',
    files: {
      'staging/bad.json': '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "a",}\n}\n',
    },
    finding: { rule: 'kubernetes/invalid-manifest', file: 'staging/bad.json', line: 4 },
  },
  {
    name: 'YAML that does not parse and names no apiVersion or kind, in an environment folder',
    files: { 'staging/app.yaml': 'replicas: 3\nreplicas: 4\n' },
    finding: { rule: 'kubernetes/invalid-manifest', file: 'staging/app.yaml', line: 2 },
  },
  {
    name: 'a YAML alias bomb',
    files: {
      'staging/bomb.yaml':
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n',
    },
    finding: { rule: 'kubernetes/invalid-manifest', file: 'staging/bomb.yaml' },
  },
  {
    name: 'malformed HCL',
    files: { 'infra/staging/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = {\n' },
    finding: { rule: 'terraform/invalid-hcl', file: 'infra/staging/main.tf' },
  },
  {
    name: 'malformed SQL in a migration',
    files: {
      'db/migrations/002_bad.up.sql': 'ALTER TABLE users ADD COLUMN age int;\nALTER TABLE users DROPP COLUMN name;\n',
    },
    finding: { rule: 'database/invalid-sql', file: 'db/migrations/002_bad.up.sql', line: 2 },
  },
  {
    name: 'a plan JSON whose fields have the wrong types',
    files: { 'README.md': 'the plan is the probe\n' },
    plan: plan({ resource_changes: { 'aws_s3_bucket.b': {} } }),
    inputError: /plan\.json:7:\d+.*resource_changes: expected an array, found an object/,
  },
  {
    name: 'a plan JSON cut short',
    files: { 'README.md': 'the plan is the probe\n' },
    plan: plan({}).slice(0, 60),
    inputError: /plan\.json:\d+:\d+.*cut short/,
  },
  {
    name: 'a plan JSON that is not UTF-8',
    files: { 'README.md': 'the plan is the probe\n' },
    plan: Buffer.from(plan({ terraform_version: 'MARK' }).replace('MARK', '\xff'), 'latin1'),
    inputError: /plan\.json:3:\d+.*not valid UTF-8/,
  },
];

describe('bad-input corpus', () => {
  const dirs: string[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  }, 240_000);
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function repoWith(files: Record<string, FileContent | { symlink: string }>): GitFixture {
    const f = GitFixture.create('rollwright-bad-input-');
    dirs.push(f.dir);
    f.commit('base', {
      'staging/web.yaml': deployment('2'),
      'db/migrations/001_init.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, name text);\n',
      'db/migrations/001_init.down.sql': 'DROP TABLE users;\n',
    });
    const plain: Record<string, FileContent> = {};
    for (const [p, c] of Object.entries(files)) if (typeof c === 'string' || Buffer.isBuffer(c)) plain[p] = c;
    f.write(plain);
    for (const [p, c] of Object.entries(files))
      if (typeof c !== 'string' && !Buffer.isBuffer(c)) {
        mkdirSync(dirname(f.path(p)), { recursive: true });
        symlinkSync(c.symlink, f.path(p));
      }
    f.git('add', '-A');
    f.commit('probe');
    return f;
  }

  function noCrash(r: RunResult): void {
    expect(r.code, r.stderr).not.toBe(3);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // a stack trace
    expect(r.stdout + r.stderr).not.toMatch(/root:x:0:0/); // /etc/passwd's content
  }

  it.each(PROBES.map((p) => [p.name, p] as const))('%s', async (_name, probe) => {
    const f = repoWith(probe.files);
    const planArgs: string[] = [];
    if (probe.plan !== undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'rollwright-bad-plan-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'plan.json'), probe.plan);
      planArgs.push('--plan', join(dir, 'plan.json'));
    }
    const r = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD', ...planArgs, '-o', 'json']);
    noCrash(r);
    if (probe.inputError) {
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(probe.inputError);
      return;
    }
    const report = JSON.parse(r.stdout) as {
      class: string;
      findings: Array<{ rule: string; file: string; line: number; messageId: string; severity: string }>;
    };
    expect(r.code === 0 && report.class === 'fully-reversible', 'a silent pass').toBe(false);
    expect(worse(report.class, HELD), `class ${report.class}`).toBe(true);
    const hit = report.findings.find((x) => x.rule === probe.finding!.rule && x.file === probe.finding!.file);
    expect(hit, JSON.stringify(report.findings, null, 1)).toBeDefined();
    expect(['warning', 'error']).toContain(hit!.severity);
    if (probe.finding!.line !== undefined) expect(hit!.line).toBe(probe.finding!.line);
    if (probe.finding!.messageId !== undefined) expect(hit!.messageId).toBe(probe.finding!.messageId);
    // The text output names the same file.
    const text = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD']);
    noCrash(text);
    expect(text.code).toBe(r.code);
    expect(text.stdout).toContain(probe.finding!.file);
  });

  it('a file name with a newline and an escape sequence cannot forge a line of the text output', async () => {
    const name = 'staging/x\n\u001b[32mgate: PASSED\u001b[0m.bin';
    const f = repoWith({ [name]: Buffer.from([0, 1, 2]) });
    const r = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD']);
    noCrash(r);
    expect(r.stdout).not.toContain('\u001b');
    // One gate line, rollwright's own (the change holds only a warning, so it passes); the forged one
    // stays inside the escaped name.
    expect(r.stdout.split('\n').filter((l) => /^\s*gate:/.test(l))).toEqual(['gate: PASSED']);
    expect(r.stdout).toContain('staging/x\\n');
    // The name is held like any unread file of an environment (a newline does not take it out of one).
    const json = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json']);
    const report = JSON.parse(json.stdout) as { class: string; findings: Array<{ rule: string; file: string }> };
    expect(worse(report.class, HELD), `class ${report.class}`).toBe(true);
    expect(report.findings.map((x) => [x.rule, x.file])).toEqual([['core/unassessed-file', name]]);
  });

  it('a manifest with a byte order mark and CRLF line ends is read like any other', async () => {
    const f = GitFixture.create('rollwright-bad-input-');
    dirs.push(f.dir);
    const pvc =
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n';
    f.commit('base', { 'staging/pvc.yaml': `\ufeff${pvc.replace(/\n/g, '\r\n')}` });
    f.commit('drop', {}, { delete: ['staging/pvc.yaml'] });
    const r = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json']);
    noCrash(r);
    const report = JSON.parse(r.stdout) as { class: string; findings: Array<{ rule: string; file: string }> };
    expect(report.class).toBe('non-recoverable-without-restore');
    expect(report.findings.some((x) => x.file === 'staging/pvc.yaml' && x.rule.startsWith('kubernetes/'))).toBe(true);
  });

  it('a change over the run budget (files or bytes, flag or config) is an input error saying how to raise it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++)
      files[`staging/app-${i}.yaml`] = deployment(String(i + 1)).replace('name: web', `name: app-${i}`);
    const f = repoWith(files);
    const base = ['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json'];
    const over = await cli([...base, '--max-files', '5']);
    noCrash(over);
    expect(over.code, over.stderr).toBe(2);
    expect(over.stderr).toMatch(
      /the change has 6 files, over this run's budget of 5.*--max-files 6 \(limits\.maxFiles/,
    );
    expect(over.stdout).toBe('');
    const bytes = await cli([...base, '--max-bytes', '1K']);
    expect(bytes.code, bytes.stderr).toBe(2);
    expect(bytes.stderr).toMatch(/more than 1,024 bytes .*--max-bytes/);
    expect((await cli([...base, '--max-bytes', 'lots'])).code).toBe(2);
    // At the budget: assessed as usual.
    const at = await cli([...base, '--max-files', '6', '--max-bytes', '1MiB']);
    expect(at.code, at.stderr).not.toBe(2);
    expect((JSON.parse(at.stdout) as { stats: { filesChanged: number } }).stats.filesChanged).toBe(6);
    // The config's limits are the default budget.
    const cfg = repoWith({ ...files, '.rollwright.yaml': 'limits:\n  maxFiles: 3\n' });
    const r = await cli(['assess', '--repo', cfg.dir, '--base', 'HEAD~1', '--head', 'HEAD']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/over this run's budget of 3/);
  });

  it.each([
    ['binary', Buffer.from([0x72, 0x75, 0x6c, 0x65, 0x73, 0x3a, 0x00, 0xff, 0x0a])],
    ['not UTF-8', Buffer.from('rules:\n  kubernetes/image-changed: off # \xff\n', 'latin1')],
  ])('a %s config is an input error naming it, never the defaults', async (_name, content) => {
    const f = repoWith({ '.rollwright.yaml': content, 'staging/web.yaml': deployment('3') });
    const r = await cli(['assess', '--repo', f.dir, '--base', 'HEAD~1', '--head', 'HEAD']);
    noCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.rollwright\.yaml: the config file cannot be read as text/);
  });

  const marker = mkdtempSync(join(tmpdir(), 'rollwright-bad-rev-'));
  afterAll(() => rmSync(marker, { recursive: true, force: true }));
  it.each([
    ['an option', `--output=${join(marker, 'pwned')}`, /revision/i],
    ['an upload-pack option', `--upload-pack=touch ${join(marker, 'pwned')}`, /revision/i],
    ['a short option', '-n1', /revision/i],
    ['a shell substitution', `$(touch ${join(marker, 'pwned')})`, /revision/i],
    ['a command separator', 'HEAD;touch pwned', /revision/i],
    ['a range', 'HEAD~1..HEAD', /revision/i],
    ['a missing commit', 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef', /deadbeef/],
    ['a missing branch', 'no-such-branch', /no-such-branch/],
    ['a newline', 'HEAD\nHEAD', /revision/i],
  ])('a hostile or missing revision (%s) is a usage error naming it, and runs nothing', async (_name, rev, message) => {
    const f = repoWith({ 'staging/web.yaml': deployment('3') });
    for (const args of [
      // The `=` form: the value reaches rollwright's own check even when it looks like an option.
      [`--base=${rev}`, '--head', 'HEAD'],
      ['--base', 'HEAD~1', `--head=${rev}`],
    ]) {
      const r = await cli(['assess', '--repo', f.dir, ...args]);
      noCrash(r);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(marker, 'pwned'))).toBe(false);
    expect(existsSync(join(f.dir, 'pwned'))).toBe(false);
  });
});
