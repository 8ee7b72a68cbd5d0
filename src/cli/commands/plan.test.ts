/**
 * `rollwright plan PLAN.json`: the in-process command and the whole process, bad input included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { CLI, cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { command } from './plan.js';

const run = (argv: string[]) => command.main(argv);

const FIXTURES = fileURLToPath(new URL('../../surfaces/terraform/fixtures/', import.meta.url));
const real = (f: string) => join(FIXTURES, 'real', f);
const hand = (f: string) => join(FIXTURES, 'hand-written', f);

const tmp = mkdtempSync(join(tmpdir(), 'rollwright-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

describe('rollwright plan (in process)', () => {
  it('classifies a real plan and passes the gate of a change with no error finding', async () => {
    const r = await run([real('replace-create-first.json'), '-o', 'json']);
    const a = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(0);
    expect(a).toMatchObject({
      schema: 'rollwright.assessment/v1',
      base: '1.11.4',
      head: 'plan',
      // create-before-destroy of a stateless resource: the old object goes in the same apply.
      class: 'fully-reversible',
      unassessed: [],
    });
    expect(a.stats.filesRead).toBe(1);
    expect(a.stats.bytesRead).toBe(readFileSync(real('replace-create-first.json')).length);
  });

  it('--fail-on and --env prod fail the gate', async () => {
    const f = await run([
      real('replace-create-first.json'),
      '--fail-on',
      'fully-reversible',
      '-o',
      'json',
    ]);
    expect(f.exitCode).toBe(1);
    expect(JSON.parse(f.stdout).gate.reasons).toEqual([
      'class fully-reversible is at or worse than --fail-on fully-reversible',
    ]);
    const e = await run([real('create-update.json'), '--env', 'prod', '-o', 'json']);
    expect(e.exitCode).toBe(1);
    expect(JSON.parse(e.stdout).gate.reasons[0]).toMatch(/^environment prod requires a change declaration/);
  });

  it('applies rule settings from --config', async () => {
    const cfg = file('rw.yaml', 'rules:\n  terraform/plan-resource-destroyed: off\n');
    const r = await run([hand('aws-db-delete.json'), '--config', cfg, '-o', 'json']);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      'terraform/plan-network-changed',
      'terraform/plan-output-removed',
    ]);
  });

  it("honours the config's ignore entries: an ignored finding is reported with its reason, out of the class and the gate", async () => {
    const plain = JSON.parse((await run([hand('aws-db-delete.json'), '-o', 'json'])).stdout);
    const destroyed = plain.findings.filter((f: { rule: string }) => f.rule === 'terraform/plan-resource-destroyed');
    expect(destroyed.length).toBeGreaterThan(0);
    const cfg = file(
      'rw-ignore.yaml',
      [
        'ignore:',
        '  - paths: ["**/aws-db-delete.json"]',
        '    rules: [terraform/plan-resource-destroyed]',
        '    reason: the snapshot is restored by the migration job',
        '  - paths: ["**"]',
        '    rules: [terraform/plan-resource-destroyd]',
        '    reason: a typo',
        '',
      ].join('\n'),
    );
    const r = await run([hand('aws-db-delete.json'), '--config', cfg, '-o', 'json', '--fail-on', plain.class]);
    const a = JSON.parse(r.stdout);
    const ignored = a.findings.filter((f: { rule: string }) => f.rule === 'terraform/plan-resource-destroyed');
    expect(ignored).toHaveLength(destroyed.length);
    for (const f of ignored)
      expect(f.suppression).toMatchObject({ kind: 'ignored', reason: 'the snapshot is restored by the migration job' });
    // The typo is reported where it is written, with a did-you-mean.
    const stale = a.findings.filter((f: { rule: string }) => f.rule === 'core/unused-suppression');
    expect(stale).toHaveLength(1);
    expect(stale[0].file).toBe(cfg);
    expect(stale[0].message).toContain('terraform/plan-resource-destroyed');
    // The destroyed database no longer sets the class, so --fail-on at the old class passes.
    expect(a.class).not.toBe(plain.class);
    expect(r.exitCode).toBe(0);
  });

  it('refuses a bad command line', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['a.json', 'b.json'])).rejects.toThrow(/one plan JSON at a time/);
    await expect(run(['a.json', '-o', 'yaml'])).rejects.toThrow(/--output/);
    await expect(run(['a.json', '--fail-on', 'bad'])).rejects.toThrow(/not a rollback class/);
    expect((await run(['--help'])).stdout).toContain('Usage: rollwright plan PLAN.json [flags]');
  });
});

describe('rollwright plan (whole process)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 240_000);

  it('reports the replacement of a terraform_data resource and its order (real plan)', async () => {
    const r = await cli(['plan', real('replace-delete-first.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('rollwright assessment 1.11.4..plan');
    expect(r.stdout).toContain(
      'terraform_data.db is replaced, delete then create because triggers_replace changed, which cannot be updated in place: the old object is gone before the new one exists; replacing it also re-creates 1 dependent (terraform_data.app)',
    );
  });

  it('reports a deleted aws_db_instance as non-recoverable and names the dependents; exit 1 without a declaration', async () => {
    const r = await cli(['plan', hand('aws-db-delete.json'), '-o', 'json']);
    expect(r.code).toBe(1);
    const a = JSON.parse(r.stdout);
    expect(a.class).toBe('non-recoverable-without-restore');
    const db = a.findings.find((f: { object: string }) => f.object === 'aws_db_instance.main');
    expect(db).toMatchObject({ class: 'non-recoverable-without-restore', severity: 'error', messageId: 'deletedData' });
    expect(db.message).toContain(
      '(aws_cloudwatch_metric_alarm.db_cpu, aws_route53_record.db, aws_ssm_parameter.database_url)',
    );
    expect(db.data.dependents).toBe(3);
    expect(r.stdout).not.toContain('not-the-real-one');
  });

  it('renders markdown and SARIF', async () => {
    const md = await cli(['plan', hand('provider-mix.json'), '-o', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('terraform/plan-iam-changed');
    const sarif = await cli(['plan', hand('provider-mix.json'), '-o', 'sarif']);
    const doc = JSON.parse(sarif.stdout);
    expect(doc.runs[0].results.length).toBe(19);
  });

  it('reads standard input with -', () => {
    const r = spawnSync(process.execPath, [CLI, 'plan', '-', '-o', 'json'], {
      input: readFileSync(real('tainted.json')),
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.findings[0]).toMatchObject({ file: '(stdin)', messageId: 'replacedDeleteFirst' });
  });

  it.each([
    [
      'another format version',
      '{"format_version":"2.0","resource_changes":[]}',
      /plan format_version "2\.0" is not supported: rollwright reads format 1\.x/,
    ],
    [
      'a truncated plan, with the byte where it stops',
      '{"format_version":"1.2","resource_changes":[{"address":"a',
      /truncated: it ends at byte 57 inside resource_changes\[0\]/,
    ],
    [
      'invalid JSON',
      '{"format_version":"1.2","resource_changes":[}',
      /:1:45: the plan is not valid JSON: expected a value, found '}' at byte 44 \(in resource_changes\[0\]\)/,
    ],
    [
      'a state instead of a plan',
      '{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}',
      /this is the JSON of a state/,
    ],
    ['a state JSON without format_version', '{"values":{"root_module":{}}}', /this is the JSON of a state/],
    ['not a plan', '{"hello":"world"}', /not a plan JSON: it has no format_version/],
    ['an empty file', '', /the input is empty/],
    [
      'a binary plan file',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]),
      /this is a binary plan file \(a zip archive\)/,
    ],
    ['UTF-16 from a PowerShell redirect', Buffer.from('\ufeff{"format_version":"1.2"}', 'utf16le'), /UTF-16/],
  ])('%s is an input error (exit 2)', async (_name, content, message) => {
    const p = file(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const r = await cli(['plan', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a missing file is an input error', async () => {
    const r = await cli(['plan', join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.json: cannot read the plan: ENOENT');
  });

  it('a large plan is streamed: 20,000 resource changes in one process', async () => {
    const p = join(tmp, 'large.json');
    const change = (i: number) =>
      JSON.stringify({
        address: `aws_instance.web[${i}]`,
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        index: i,
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: i % 1000 === 0 ? ['delete'] : ['update'],
          before: { id: `i-${i}`, tags: { n: String(i) } },
          after: { id: `i-${i}` },
          after_unknown: {},
          before_sensitive: {},
          after_sensitive: {},
        },
      });
    const parts = ['{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":['];
    for (let i = 0; i < 20_000; i++) parts.push(`${i ? ',' : ''}${change(i)}`);
    parts.push('],"configuration":{"root_module":{}},"errored":false,"complete":true}');
    writeFileSync(p, parts.join(''));
    const r = await cli(['plan', p, '-o', 'json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.findings).toHaveLength(20);
    expect(a.findings.every((f: { messageId: string }) => f.messageId === 'deleted')).toBe(true);
  });
});
