// `npm run bench:terraform`: the Terraform/OpenTofu surfaces, measured as whole processes.
//
// 1. Plan JSON: `rollwright plan PLAN.json -o json` on a generated plan with 20,000 resource changes
//    (about 60 MB, with planned_values, prior_state and configuration as Terraform writes them),
//    against the floor measured in the same run: one process that reads the file and JSON.parses it.
//    Targets (issue 5): under 0.7 s, at most 1.5x the floor, peak memory under 800 MB.
// 2. Configuration: `rollwright assess` on a change that adds 500 .tf files (about 4 KB each, in 50
//    module directories): the HCL parser's start-up and per-file cost, read from the CLI's own trace.
// 3. A change touching no .tf file (a script and a README) must not load the HCL parser at all:
//    checked in the process itself (a preload reports whether @cdktf/hcl2json was ever required).
//
// Runs are sequential and interleaved round by round (bench/measure.mjs); rounds disturbed by other
// processes are measured again. It exits 0 even when a target is missed (a measurement): MISS is printed.
//
// Usage: node bench/terraform.mjs [--runs 10] [--warmup 2] [--changes 20000] [--tf-files 500] [--cli PATH] [--json FILE]
import { snapshotCli } from './snapshot.mjs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureRounds, runOnce, RUN_ENV, summary } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const WORK = join(here, '.work', 'terraform');

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    changes: { type: 'string', default: '20000' },
    'tf-files': { type: 'string', default: '500' },
    cli: { type: 'string' },
    json: { type: 'string', default: join(here, '.work', 'terraform-latest.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(0, 16)
      .join('\n') + '\n',
  );
  process.exit(0);
}
const RUNS = Math.max(1, Number(opt.runs));
const WARMUP = Math.max(0, Number(opt.warmup));
const CHANGES = Math.max(1, Number(opt.changes));
const TF_FILES = Math.max(10, Number(opt['tf-files']));
const TARGETS = { planMs: 700, floorRatio: 1.5, peakMiB: 800 };

const log = (m) => process.stderr.write(`bench:terraform: ${m}\n`);
const SOURCE_HASH = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 8);

// ------------------------------------------------------------------------------------------------
// The plan corpus: deterministic, streamed to disk (never built in memory).

/** Most changes of a large plan are routine (a tag added everywhere); one in a hundred touches IAM, network or DNS. */
const TYPES = [
  ['aws_instance', 'update'],
  ['aws_instance', 'no-op'],
  ['aws_lambda_function', 'update'],
  ['aws_s3_bucket', 'no-op'],
  ['aws_ecs_service', 'update'],
  ['aws_cloudwatch_metric_alarm', 'no-op'],
  ['aws_sqs_queue', 'update'],
  ['aws_ecs_task_definition', 'no-op'],
];
const RARE = [
  ['aws_security_group_rule', 'update'],
  ['aws_iam_role_policy', 'update'],
  ['aws_route53_record', 'update'],
];
const typeOf = (i) => (i % 100 < RARE.length ? RARE[i % 100] : TYPES[i % TYPES.length]);

function values(type, i, variant) {
  return {
    id: `${type}-${i}`,
    arn: `arn:aws:service:eu-west-1:123456789012:${type}/${i}`,
    name: `${type.replace(/_/g, '-')}-${i}`,
    tags: { team: `team-${i % 40}`, env: 'prod', service: `svc-${i % 300}`, cost_center: `cc-${i % 17}` },
    tags_all: {
      team: `team-${i % 40}`,
      env: 'prod',
      service: `svc-${i % 300}`,
      cost_center: `cc-${i % 17}`,
      managed_by: 'terraform',
    },
    subnet_ids: [`subnet-${(i * 7) % 997}`, `subnet-${(i * 11) % 991}`],
    settings: { size: variant ? 'large' : 'medium', retries: 3, timeout_seconds: 30 + (i % 60) },
    user_data: `#!/bin/bash\nset -euo pipefail\n/opt/app/bin/start --port ${8000 + (i % 100)} --config /etc/app/config-${i % 50}.json\n`,
    // An IAM policy document on the policy type only (a JSON string with escaped quotes, as Terraform writes it).
    ...(type === 'aws_iam_role_policy'
      ? {
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${i % 100}/*` }],
          }),
        }
      : {}),
  };
}

function address(i) {
  if (i < HUBS) return `aws_vpc.hub${i}`;
  return `${kind(i)[0]}.r${i}`;
}

/** The type and the planned actions of resource i: a hub replaced, a database replaced and a bucket deleted per thousand. */
function kind(i) {
  if (i < HUBS) return ['aws_vpc', i === 7 ? ['delete', 'create'] : ['no-op']];
  if (i % 1000 === 0) return ['aws_db_instance', ['delete', 'create']];
  if (i % 1000 === 2) return ['aws_s3_bucket', ['delete']];
  if (i % 997 === 3) return ['aws_instance', ['create', 'delete']];
  return [typeOf(i)[0], [typeOf(i)[1]]];
}

/** The first HUBS resources are shared (a VPC each): every other resource refers to one hub and to the leader of its group of ten. */
const HUBS = 20;
const hubOf = (i) => i % HUBS;
const leaderOf = (i) => (i < HUBS || i % 10 === 0 ? undefined : i - (i % 10) < HUBS ? undefined : i - (i % 10));
const configAddressOf = (i) => address(i).replace(/^module\.[^.]+\./, '');

/** Writes the plan: planned_values, resource_changes, prior_state (with depends_on) and configuration. */
function writePlan(path, n) {
  return new Promise((resolveDone, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    let buf = '';
    const w = (s) => {
      buf += s;
      if (buf.length > 1 << 20) {
        out.write(buf);
        buf = '';
      }
    };
    w('{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[');
    for (let i = 0; i < n; i++) {
      const [type] = kind(i);
      w(
        `${i ? ',' : ''}${JSON.stringify({ address: address(i), mode: 'managed', type, name: address(i).split('.').pop(), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: values(type, i, 1), sensitive_values: { tags: {} } })}`,
      );
    }
    w(']}},"resource_changes":[');
    for (let i = 0; i < n; i++) {
      const [type, actions] = kind(i);
      const a = address(i);
      const rc = {
        address: a,
        ...(a.startsWith('module.') ? { module_address: a.split('.').slice(0, 2).join('.') } : {}),
        mode: 'managed',
        type,
        name: a.split('.').pop(),
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions,
          before: values(type, i, 0),
          after: actions.includes('delete') && actions.length === 1 ? null : values(type, i, 1),
          after_unknown: {},
          before_sensitive: { tags: {}, tags_all: {} },
          after_sensitive: { tags: {}, tags_all: {} },
          ...(actions.length === 2 ? { replace_paths: [['name']] } : {}),
        },
        ...(actions.length === 2 ? { action_reason: 'replace_because_cannot_update' } : {}),
      };
      w(`${i ? ',' : ''}${JSON.stringify(rc)}`);
    }
    w('],"prior_state":{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[');
    for (let i = 0; i < n; i++) {
      const [type] = kind(i);
      const deps =
        i < HUBS ? [] : [address(hubOf(i)), ...(leaderOf(i) !== undefined ? [configAddressOf(leaderOf(i))] : [])];
      w(
        `${i ? ',' : ''}${JSON.stringify({ address: address(i).replace(/^module\.[^.]+\./, ''), mode: 'managed', type, name: address(i).split('.').pop(), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: values(type, i, 0), sensitive_values: {}, depends_on: deps })}`,
      );
    }
    w(
      ']}}},"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{"resources":[',
    );
    for (let i = 0; i < n; i++) {
      const [type] = kind(i);
      const refs =
        i < HUBS
          ? []
          : [
              `${address(hubOf(i))}.id`,
              address(hubOf(i)),
              ...(leaderOf(i) !== undefined
                ? [`${configAddressOf(leaderOf(i))}.id`, configAddressOf(leaderOf(i))]
                : []),
            ];
      w(
        `${i ? ',' : ''}${JSON.stringify({ address: configAddressOf(i), mode: 'managed', type, name: configAddressOf(i).split('.').pop(), provider_config_key: 'aws', expressions: { name: { constant_value: `r${i}` }, subnet_ids: { references: refs } }, schema_version: 0 })}`,
      );
    }
    w(']}},"timestamp":"2026-03-02T09:00:00Z","applyable":true,"complete":true,"errored":false}\n');
    out.end(buf, () => resolveDone());
  });
}

async function ensurePlan() {
  mkdirSync(WORK, { recursive: true });
  const path = join(WORK, `plan-${CHANGES}-${SOURCE_HASH}.json`);
  // Corpora of earlier versions of this script are removed: each is tens of megabytes.
  for (const f of readdirSync(WORK))
    if (/^(plan-\d+-|tf-repo-\d+-)/.test(f) && !f.includes(SOURCE_HASH))
      rmSync(join(WORK, f), { recursive: true, force: true });
  if (!existsSync(path)) {
    log(`writing a plan with ${CHANGES.toLocaleString('en-US')} resource changes to ${relative(root, path)}`);
    await writePlan(`${path}.tmp`, CHANGES);
    execFileSync('mv', [`${path}.tmp`, path]);
  }
  return path;
}

// ------------------------------------------------------------------------------------------------
// The configuration corpus: a git repository whose head adds TF_FILES .tf files; a second head
// changes only a script and the README.

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@rollwright.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@rollwright.invalid',
  GIT_AUTHOR_DATE: '@1767600000 +0000',
  GIT_COMMITTER_DATE: '@1767600000 +0000',
};
const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { env: GIT_ENV, encoding: 'utf8' }).trim();

/** About 4 KB of realistic HCL: a few resources with tags, lifecycle, a module call, locals. */
function tfFile(i) {
  const parts = [
    `# file ${i}: generated for the benchmark\nlocals {\n  name_${i} = "svc-${i}"\n  tags_${i} = {\n    team    = "team-${i % 40}"\n    service = "svc-${i}"\n    env     = "prod"\n  }\n}\n`,
  ];
  for (let k = 0; k < 6; k++)
    parts.push(`
resource "aws_security_group_rule" "r${i}_${k}" {
  type              = "ingress"
  from_port         = ${1000 + k}
  to_port           = ${1000 + k}
  protocol          = "tcp"
  cidr_blocks       = ["10.${i % 250}.${k}.0/24"]
  security_group_id = aws_security_group.sg${i}.id
  description       = "rule \${local.name_${i}} ${k}: allows the service port from its subnet"
}
`);
  parts.push(`
resource "aws_security_group" "sg${i}" {
  name_prefix = "\${local.name_${i}}-"
  vpc_id      = var.vpc_id
  tags        = local.tags_${i}

  lifecycle {
    create_before_destroy = true
  }
}

module "queue_${i}" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "4.2.1"
  name    = "svc-${i}-jobs"
  tags    = local.tags_${i}
}
`);
  return parts.join('');
}

function ensureTfRepo() {
  const dir = join(WORK, `tf-repo-${TF_FILES}-${SOURCE_HASH}`);
  const heads = join(dir, '.bench-heads.json');
  if (existsSync(heads)) return { dir, ...JSON.parse(readFileSync(heads, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# infra\n');
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\nterraform apply\n');
  for (let d = 0; d < TF_FILES / 10; d++) {
    mkdirSync(join(dir, 'stacks', `s${d}`), { recursive: true });
    writeFileSync(join(dir, 'stacks', `s${d}`, 'variables.tf'), 'variable "vpc_id" {\n  type = string\n}\n');
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  for (let i = 0; i < TF_FILES; i++)
    writeFileSync(join(dir, 'stacks', `s${Math.floor(i / 10)}`, `f${i}.tf`), tfFile(i));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `add ${TF_FILES} .tf files`);
  const tf = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', base);
  writeFileSync(join(dir, 'README.md'), '# infra\n\nNotes.\n');
  writeFileSync(join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\nterraform apply -auto-approve\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'docs and script');
  const notf = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  const bytes = Array.from({ length: TF_FILES }, (_, i) => Buffer.byteLength(tfFile(i))).reduce((a, b) => a + b, 0);
  writeFileSync(heads, JSON.stringify({ base, tf, notf, bytes }));
  return { dir, base, tf, notf, bytes };
}

// ------------------------------------------------------------------------------------------------

function cliUnderTest() {
  if (opt.cli) return resolve(opt.cli);
  const dist = join(root, 'dist', 'cli.cjs');
  if (!existsSync(dist)) throw new Error(`${dist} does not exist: run \`npm run bench:terraform\` (it builds first)`);
  return snapshotCli(join(WORK, 'dist'));
}

/** A preload that reports, at exit, the peak RSS and whether the HCL parser module was required. */
function preload() {
  const p = join(WORK, 'probe.cjs');
  writeFileSync(
    p,
    "process.on('exit', () => process.stderr.write(`probe: maxrss_kib=${process.resourceUsage().maxRSS} hcl2json=${Object.keys(require.cache).some((k) => k.includes('@cdktf/hcl2json'))}\\n`));\n",
  );
  return p;
}

const probe = (stderr) => {
  const m = /probe: maxrss_kib=(\d+) hcl2json=(true|false)/.exec(stderr);
  return m ? { peakMiB: Number(m[1]) / 1024, hcl: m[2] === 'true' } : { peakMiB: NaN, hcl: undefined };
};

async function main() {
  const cli = cliUnderTest();
  const node = process.execPath;
  const pre = preload();
  const plan = await ensurePlan();
  const planBytes = statSync(plan).size;
  const repo = ensureTfRepo();
  const floorCode = `const s=require('fs').readFileSync(${JSON.stringify(plan)},'utf8');const p=JSON.parse(s);if(!Array.isArray(p.resource_changes))process.exit(1)`;

  const cases = [
    {
      id: 'floor',
      label: `floor: read + JSON.parse (${(planBytes / 2 ** 20).toFixed(1)} MiB)`,
      argv: [node, '-r', pre, '-e', floorCode],
    },
    {
      id: 'plan',
      label: `rollwright plan, ${CHANGES.toLocaleString('en-US')} changes`,
      argv: [node, '-r', pre, cli, 'plan', plan, '-o', 'json'],
    },
    {
      id: 'tf',
      label: `assess, ${TF_FILES} .tf files added`,
      argv: [node, '-r', pre, cli, 'assess', '--repo', repo.dir, '--base', repo.base, '--head', repo.tf, '-o', 'json'],
    },
    {
      id: 'notf',
      label: 'assess, no .tf file (a script, a README)',
      argv: [
        node,
        '-r',
        pre,
        cli,
        'assess',
        '--repo',
        repo.dir,
        '--base',
        repo.base,
        '--head',
        repo.notf,
        '-o',
        'json',
      ],
    },
  ];
  const ok = (c, r) => !r.error && !r.signal && (c.id === 'floor' ? r.status === 0 : r.status === 0 || r.status === 1);

  // Sanity: one run each, and what the runs reported.
  const checks = {};
  for (const c of cases) {
    const r = runOnce(c.argv, RUN_ENV);
    if (!ok(c, r)) throw new Error(`${c.label}: exit ${r.status ?? r.signal}\n${r.stderr.slice(0, 2000)}`);
    const check = { ...probe(r.stderr) };
    if (c.id !== 'floor') {
      const a = JSON.parse(r.stdout.toString('utf8'));
      Object.assign(check, { exitCode: r.status, class: a.class, findings: a.findings.length });
    }
    const ready = /terraform: HCL parser ready in ([\d.]+) ms/.exec(r.stderr);
    const parsed = /terraform: (\d+) HCL files parsed in ([\d.]+) ms/.exec(r.stderr);
    if (ready) check.hclStartMs = Number(ready[1]);
    if (parsed) Object.assign(check, { hclFiles: Number(parsed[1]), hclParseMs: Number(parsed[2]) });
    checks[c.id] = check;
  }

  const times = Object.fromEntries(cases.map((c) => [c.id, []]));
  const peaks = Object.fromEntries(cases.map((c) => [c.id, []]));
  const hclStart = [];
  const hclPerFile = [];
  const la0 = loadavg();
  const rounds = measureRounds(cases, {
    runs: RUNS,
    warmup: WARMUP,
    log,
    onResult(c, r) {
      if (!ok(c, r)) return;
      times[c.id].push(r.ms);
      peaks[c.id].push(probe(r.stderr).peakMiB);
      if (c.id === 'tf') {
        const ready = /HCL parser ready in ([\d.]+) ms/.exec(r.stderr);
        const parsed = /(\d+) HCL files parsed in ([\d.]+) ms/.exec(r.stderr);
        if (ready) hclStart.push(Number(ready[1]));
        if (parsed) hclPerFile.push(Number(parsed[2]) / Number(parsed[1]));
      }
    },
  });

  const st = Object.fromEntries(cases.map((c) => [c.id, summary(times[c.id])]));
  const peak = Object.fromEntries(cases.map((c) => [c.id, Math.max(...peaks[c.id])]));
  const ratio = st.plan.median / st.floor.median;
  const tfFilesParsed = checks.tf.hclFiles ?? 0;
  const result = {
    date: new Date().toISOString(),
    command: `node bench/terraform.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadavgBefore: la0,
      loadavgAfter: loadavg(),
      roundsDiscarded: rounds.discarded,
      roundsKeptDisturbed: rounds.keptDisturbed,
    },
    plan: { file: relative(root, plan), bytes: planBytes, changes: CHANGES },
    tfRepo: { files: TF_FILES, bytes: repo.bytes, parsedFiles: tfFilesParsed },
    targets: TARGETS,
    rows: cases.map((c) => ({
      id: c.id,
      label: c.label,
      medianMs: st[c.id].median,
      p90Ms: st[c.id].p90,
      runs: st[c.id].n,
      peakMiB: peak[c.id],
    })),
    planVsFloor: ratio,
    hcl: {
      startMsMedian: summary(hclStart).median,
      perFileMsMedian: summary(hclPerFile).median,
      notLoadedWithoutTf: checks.notf.hcl === false && checks.notf.hclStartMs === undefined,
    },
    checks,
    pass: {
      planTime: st.plan.median < TARGETS.planMs,
      floorRatio: ratio <= TARGETS.floorRatio,
      peakMemory: peak.plan < TARGETS.peakMiB,
      noHclWithoutTf: checks.notf.hcl === false,
    },
  };
  mkdirSync(dirname(resolve(opt.json)), { recursive: true });
  writeFileSync(resolve(opt.json), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(report(result) + '\n');
  log(`results written to ${relative(process.cwd(), resolve(opt.json)) || opt.json}`);
}

const ms = (x) => (Number.isNaN(x) || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));

function report(r) {
  const out = [];
  const e = r.environment;
  out.push(
    `rollwright Terraform benchmark — ${e.node}, ${e.cores} × ${e.cpu}; load ${e.loadavgBefore.map((x) => x.toFixed(2)).join(' ')}`,
  );
  out.push(
    `plan: ${r.plan.changes.toLocaleString('en-US')} resource changes, ${(r.plan.bytes / 2 ** 20).toFixed(1)} MiB; configuration: ${r.tfRepo.files} .tf files, ${(r.tfRepo.bytes / 1024).toFixed(0)} KiB`,
  );
  out.push('');
  const w = Math.max(...r.rows.map((x) => x.label.length));
  out.push(`${'scenario'.padEnd(w)}  median ms  p90 ms  peak MiB`);
  for (const x of r.rows)
    out.push(
      `${x.label.padEnd(w)}  ${ms(x.medianMs).padStart(9)}  ${ms(x.p90Ms).padStart(6)}  ${x.peakMiB.toFixed(0).padStart(8)}`,
    );
  out.push('');
  const plan = r.rows.find((x) => x.id === 'plan');
  out.push(
    `plan: ${ms(plan.medianMs)} ms (< ${r.targets.planMs} ms ${r.pass.planTime ? 'PASS' : 'MISS'}), ${r.planVsFloor.toFixed(2)}× the floor (≤ ${r.targets.floorRatio}× ${r.pass.floorRatio ? 'PASS' : 'MISS'}), peak ${plan.peakMiB.toFixed(0)} MiB (< ${r.targets.peakMiB} MiB ${r.pass.peakMemory ? 'PASS' : 'MISS'})`,
  );
  out.push(
    `HCL parser: start-up ${ms(r.hcl.startMsMedian)} ms (import + WebAssembly), ${ms(r.hcl.perFileMsMedian)} ms per file (${r.tfRepo.parsedFiles} files, about ${(r.tfRepo.bytes / r.tfRepo.files / 1024).toFixed(1)} KiB each)`,
  );
  out.push(`a change with no .tf file: HCL parser ${r.pass.noHclWithoutTf ? 'not loaded (PASS)' : 'LOADED (MISS)'}`);
  if (e.roundsDiscarded)
    out.push(`${e.roundsDiscarded} round(s) measured again: other processes used the machine during them.`);
  if (e.roundsKeptDisturbed)
    out.push(
      `WARNING: ${e.roundsKeptDisturbed} kept rounds ran while other processes used the machine: rerun on a quiet machine.`,
    );
  return out.join('\n');
}

main().catch((e) => {
  process.stderr.write(`bench:terraform: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
