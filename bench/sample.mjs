// The judged sample of real history: draw a fixed-seed, stratified sample of replayed commits to be
// judged by hand, and score a judged sample.
//
//   node bench/sample.mjs draw [REPLAY.jsonl ...] [--seed N] [--worse 9] [--fr 4] [--unread 2]
//                              [--exclude JUDGED.yaml ...] --out FILE.yaml
//   node bench/sample.mjs draw [REPLAY.jsonl ...] --same-as JUDGED.yaml --out FILE.yaml
//   node bench/sample.mjs commits FILE.yaml > commits.txt   (for bench/replay.mjs --commits)
//   node bench/sample.mjs score FILE.yaml [--json]
//
// draw: from each replay file (default: every first-parent replay in bench/.work/replay/), up to
// --worse commits classed worse than fully-reversible, --fr commits classed fully-reversible in which
// rollwright read at least one file, and --unread fully-reversible commits in which it read nothing
// (to catch files it should have read). Commits that produced no assessment are not drawn (the replay
// summary counts them). The file written holds the seed, the counts, every drawn commit with its
// findings, and empty verdicts to fill in:
//   findings[].verdict   tp | fp       (true positive only if a reviewer would agree it is real AND its class is right)
//   findings[].reason    why (for fp: what the real behaviour is)
//   findings[].cause     for fp: a short root-cause key, shared by findings with the same cause
//   misses[]             { what, file, class, cause }: risks of the change that no finding states
//   expected_class       the class the change really has
// --exclude leaves out the commits of earlier samples, so a fresh sample measures commits the
// rules were not fixed against; give it once per sample (or a comma-separated list).
// draw refuses to overwrite a file (judgements are work); pass --force to do it anyway.
// draw --same-as takes the commits of an earlier judged sample instead of drawing, with the findings
// of the replays given now, and carries each verdict over to the identical finding (same rule, file,
// line, object and message): after a fix, only new or changed findings need reading.
//
// score: finding precision (all findings, and at severity warning and above), class accuracy (exact,
// within one step, never under-stated), misses, and the commits that destroy data or are one-way but
// were classed fully-reversible.
import { existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { readReplay, outcome, CLASSES } from './replay-summary.mjs';
import { sampleOf } from './common.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPLAY_DIR = join(root, 'bench', '.work', 'replay');

function fail(msg) {
  process.stderr.write(`sample: ${msg}\n`);
  process.exit(2);
}

/** Default input: every first-parent replay in bench/.work/replay/ (by its .meta.json). */
function defaultReplays() {
  if (!existsSync(REPLAY_DIR)) fail(`no replays in ${REPLAY_DIR}: run bench/replay.mjs first`);
  return readdirSync(REPLAY_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .filter((f) => {
      const meta = join(REPLAY_DIR, f.replace(/\.jsonl$/, '.meta.json'));
      return !existsSync(meta) || JSON.parse(readFileSync(meta, 'utf8')).history === 'first-parent';
    })
    .sort()
    .map((f) => join(REPLAY_DIR, f));
}

/** Identity of a finding across two runs: same rule, place, object and words. */
const findingKey = (f) => JSON.stringify([f.rule, f.file, f.line, f.object, f.message]);

/**
 * The commits of an earlier judged sample, with the findings of the replays given now: verdicts
 * carry over to findings that are unchanged, new or changed findings are left to judge, and the
 * expected class and the misses are kept (re-check them: a fix may now report a miss).
 */
function redraw(opts, files, earlier) {
  const replays = new Map(files.map((f) => [readReplay(f).name, readReplay(f)]));
  let carried = 0;
  let open = 0;
  const commits = earlier.commits.map((c) => {
    const replay = replays.get(c.bundle);
    if (!replay) fail(`--same-as: no replay of ${c.bundle} among the inputs`);
    const r = replay.records.find((x) => x.commit === c.commit);
    if (!r || !r.class) fail(`--same-as: ${c.bundle} ${c.commit} has no assessment in its replay`);
    // Identical findings (the same object reported once per root configuration that calls a module)
    // can carry different verdicts: they are carried over in order, one judged finding to one new one.
    const judged = new Map();
    for (const f of c.findings) judged.set(findingKey(f), [...(judged.get(findingKey(f)) ?? []), f]);
    const findings = r.findings.map((f) => {
      const old = judged.get(findingKey(f))?.shift();
      if (old && old.verdict) {
        carried++;
        return { ...f, verdict: old.verdict, reason: old.reason, ...(old.cause ? { cause: old.cause } : {}) };
      }
      open++;
      return { ...f, verdict: null, reason: '' };
    });
    return { ...c, class: r.class, findings, previous_class: c.class };
  });
  const drawn = Object.fromEntries(
    [...replays.values()].map(({ name, meta }) => [
      name,
      { tip: meta?.tip ?? null, rollwright: meta?.rollwright ?? null },
    ]),
  );
  const doc = { seed: earlier.seed, same_as: opts.sameAs, per_history: earlier.per_history, drawn, commits };
  writeFileSync(opts.out, YAML.stringify(doc, { lineWidth: 0 }));
  process.stderr.write(
    `sample: the ${commits.length} commits of ${opts.sameAs} written to ${opts.out}: ${carried} verdicts carried over, ${open} findings to judge; re-check each commit's misses\n`,
  );
}

function draw(opts, files) {
  if (existsSync(opts.out) && !opts.force) fail(`${opts.out} exists (judgements are work): pass --force to replace it`);
  if (opts.sameAs) return redraw(opts, files, YAML.parse(readFileSync(opts.sameAs, 'utf8')));
  const commits = [];
  const counts = {};
  const excluded = new Set(
    opts.exclude.flatMap((f) => YAML.parse(readFileSync(f, 'utf8')).commits.map((c) => c.commit)),
  );
  files.forEach((file, k) => {
    const { name, records, meta } = readReplay(file);
    const assessed = records.filter((r) => r.class && outcome(r) !== 'timeout' && !excluded.has(r.commit));
    const strata = {
      worse: assessed.filter((r) => r.class !== 'fully-reversible'),
      'fully-reversible': assessed.filter((r) => r.class === 'fully-reversible' && (r.stats?.filesRead ?? 0) > 0),
      'fully-reversible-nothing-read': assessed.filter(
        (r) => r.class === 'fully-reversible' && (r.stats?.filesRead ?? 0) === 0,
      ),
    };
    const want = { worse: opts.worse, 'fully-reversible': opts.fr, 'fully-reversible-nothing-read': opts.unread };
    counts[name] = { tip: meta?.tip ?? null, rollwright: meta?.rollwright ?? null };
    // Each (history, stratum) gets its own stream derived from the seed, so adding a history or
    // changing one count does not reshuffle the others.
    Object.entries(strata).forEach(([stratum, pool], s) => {
      const got = sampleOf(pool, want[stratum], opts.seed * 1000 + k * 10 + s);
      counts[name][stratum] = { drawn: got.length, of: pool.length };
      for (const r of got)
        commits.push({
          bundle: name,
          commit: r.commit,
          parent: r.parent,
          subject: r.subject,
          stratum,
          class: r.class,
          expected_class: null,
          class_note: '',
          findings: r.findings.map((f) => ({ ...f, verdict: null, reason: '' })),
          misses: [],
        });
    });
  });
  const doc = {
    seed: opts.seed,
    per_history: { worse: opts.worse, 'fully-reversible': opts.fr, 'fully-reversible-nothing-read': opts.unread },
    ...(opts.exclude.length ? { excluded: { samples: opts.exclude, commits: excluded.size } } : {}),
    drawn: counts,
    commits,
  };
  writeFileSync(opts.out, YAML.stringify(doc, { lineWidth: 0 }));
  process.stderr.write(`sample: ${commits.length} commits (seed ${opts.seed}) written to ${opts.out}\n`);
}

const rank = (c) => CLASSES.indexOf(c);
const ratio = (a, b) => (b ? a / b : NaN);
const fmt = (a, b) => `${a}/${b} = ${b ? (a / b).toFixed(2) : 'n/a'}`;

/** Every figure of a judged sample. Throws on a verdict or class that is missing or unknown. */
export function score(doc) {
  const problems = [];
  const f = { all: { tp: 0, fp: 0 }, warn: { tp: 0, fp: 0 }, error: { tp: 0, fp: 0 } };
  const perRule = new Map();
  const causes = new Map();
  let exact = 0;
  let withinOne = 0;
  let notUnder = 0;
  let misses = 0;
  const underFR = [];
  const gateBlockers = { real: 0, all: 0 };
  const perCommit = [];
  for (const c of doc.commits) {
    const where = `${c.bundle} ${c.commit.slice(0, 12)}`;
    const own = { tp: 0, fp: 0 };
    if (rank(c.expected_class) < 0) problems.push(`${where}: expected_class "${c.expected_class}" is not a class`);
    for (const x of c.findings) {
      if (x.verdict !== 'tp' && x.verdict !== 'fp') {
        problems.push(`${where}: ${x.rule} at ${x.file}:${x.line} has verdict "${x.verdict}"`);
        continue;
      }
      f.all[x.verdict]++;
      if (x.severity !== 'info') {
        f.warn[x.verdict]++;
        own[x.verdict]++;
      }
      if (x.severity === 'error') f.error[x.verdict]++;
      const r = perRule.get(x.rule) ?? { tp: 0, fp: 0 };
      r[x.verdict]++;
      perRule.set(x.rule, r);
      if (x.verdict === 'fp') {
        const key = `${x.rule}: ${x.cause ?? '(no cause given)'}`;
        causes.set(key, (causes.get(key) ?? 0) + 1);
      }
    }
    if (own.tp + own.fp) perCommit.push(own.tp / (own.tp + own.fp));
    misses += (c.misses ?? []).length;
    if (rank(c.expected_class) >= 0) {
      const d = rank(c.class) - rank(c.expected_class);
      if (d === 0) exact++;
      if (Math.abs(d) <= 1) withinOne++;
      if (d >= 0) notUnder++;
      if (
        c.class === 'fully-reversible' &&
        ['forward-only', 'non-recoverable-without-restore'].includes(c.expected_class)
      )
        underFR.push(where);
    }
    if (c.class !== 'fully-reversible') {
      gateBlockers.all++;
      if (c.expected_class !== 'fully-reversible') gateBlockers.real++;
    }
  }
  if (problems.length) throw new Error(`the sample is not fully judged:\n${problems.join('\n')}`);
  const n = doc.commits.length;
  return {
    seed: doc.seed,
    commits: n,
    findings: f.all.tp + f.all.fp,
    precision: {
      all: { ...f.all, value: ratio(f.all.tp, f.all.tp + f.all.fp) },
      warningAndAbove: { ...f.warn, value: ratio(f.warn.tp, f.warn.tp + f.warn.fp) },
      error: { ...f.error, value: ratio(f.error.tp, f.error.tp + f.error.fp) },
      // Each commit with findings at warning or above weighs the same, so one commit with hundreds
      // of findings does not set the figure alone.
      warningAndAbovePerCommit: {
        commits: perCommit.length,
        value: ratio(
          perCommit.reduce((a, b) => a + b, 0),
          perCommit.length,
        ),
      },
    },
    classes: {
      exact: { n: exact, value: ratio(exact, n) },
      withinOneStep: { n: withinOne, value: ratio(withinOne, n) },
      neverUnderStated: { n: notUnder, value: ratio(notUnder, n) },
    },
    worseThanFullyReversible: gateBlockers,
    misses,
    dataDestroyingOrOneWayClassedFullyReversible: underFR,
    perRule: Object.fromEntries([...perRule.entries()].sort((a, b) => b[1].tp + b[1].fp - (a[1].tp + a[1].fp))),
    falsePositiveCauses: Object.fromEntries([...causes.entries()].sort((a, b) => b[1] - a[1])),
  };
}

function printScore(s) {
  const p = s.precision;
  const out = [
    `Sample: ${s.commits} commits (seed ${s.seed}), ${s.findings} findings, ${s.misses} missed risks.`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| finding precision, severity warning and above | ${fmt(p.warningAndAbove.tp, p.warningAndAbove.tp + p.warningAndAbove.fp)} |`,
    `| finding precision, severity warning and above, mean over the ${p.warningAndAbovePerCommit.commits} commits that have such findings | ${p.warningAndAbovePerCommit.value.toFixed(2)} |`,
    `| finding precision, severity error | ${fmt(p.error.tp, p.error.tp + p.error.fp)} |`,
    `| finding precision, all findings | ${fmt(p.all.tp, p.all.tp + p.all.fp)} |`,
    `| class exactly right | ${fmt(s.classes.exact.n, s.commits)} |`,
    `| class within one step | ${fmt(s.classes.withinOneStep.n, s.commits)} |`,
    `| class never under-stated | ${fmt(s.classes.neverUnderStated.n, s.commits)} |`,
    `| commits classed worse than fully-reversible that really are | ${fmt(s.worseThanFullyReversible.real, s.worseThanFullyReversible.all)} |`,
    `| missed risks | ${s.misses} |`,
    `| data-destroying or one-way commits classed fully-reversible | ${s.dataDestroyingOrOneWayClassedFullyReversible.length}${s.dataDestroyingOrOneWayClassedFullyReversible.length ? ` (${s.dataDestroyingOrOneWayClassedFullyReversible.join(', ')})` : ''} |`,
    '',
    '| rule | true positives | false positives | precision |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(s.perRule).map(
      ([r, v]) => `| \`${r}\` | ${v.tp} | ${v.fp} | ${(v.tp / (v.tp + v.fp)).toFixed(2)} |`,
    ),
    '',
    '| false positives by rule and cause | findings |',
    '| --- | ---: |',
    ...Object.entries(s.falsePositiveCauses).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ];
  process.stdout.write(out.join('\n'));
}

function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      seed: { type: 'string', default: '20261204' },
      worse: { type: 'string', default: '9' },
      fr: { type: 'string', default: '4' },
      unread: { type: 'string', default: '2' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'same-as': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const int = (k) => {
    const n = Number(values[k]);
    if (!Number.isInteger(n) || n < 0) fail(`--${k}: expected a non-negative integer, got "${values[k]}"`);
    return n;
  };
  if (cmd === 'draw') {
    if (!values.out) fail('draw: --out FILE.yaml is required');
    const files = positionals.length ? positionals : defaultReplays();
    draw(
      {
        seed: int('seed'),
        worse: int('worse'),
        fr: int('fr'),
        unread: int('unread'),
        out: values.out,
        force: values.force,
        sameAs: values['same-as'],
        // Repeatable and comma-separated: `--exclude a.yaml --exclude b.yaml` and `--exclude a.yaml,b.yaml`.
        exclude: (values.exclude ?? []).flatMap((v) => v.split(',')).filter(Boolean),
      },
      files,
    );
  } else if (cmd === 'commits') {
    // The commits of a sample, one per line: input for `bench/replay.mjs --commits FILE`.
    if (positionals.length !== 1) fail('commits: give one sample file');
    const doc = YAML.parse(readFileSync(positionals[0], 'utf8'));
    process.stdout.write(doc.commits.map((c) => `${c.commit} # ${c.bundle}`).join('\n') + '\n');
  } else if (cmd === 'score') {
    if (positionals.length !== 1) fail('score: give one judged sample file');
    let s;
    try {
      s = score(YAML.parse(readFileSync(positionals[0], 'utf8')));
    } catch (e) {
      fail(e.message);
    }
    if (values.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    else printScore(s);
  } else {
    process.stderr.write(
      'Usage: node bench/sample.mjs draw [REPLAY.jsonl ...] [--seed N] [--worse 9] [--fr 4] [--unread 2] [--exclude JUDGED.yaml ...] --out FILE.yaml [--force]\n' +
        '       node bench/sample.mjs draw [REPLAY.jsonl ...] --same-as JUDGED.yaml --out FILE.yaml [--force]\n' +
        "       node bench/sample.mjs commits FILE.yaml   (the sample's commits, for replay.mjs --commits)\n" +
        '       node bench/sample.mjs score FILE.yaml [--json]\n',
    );
    process.exit(cmd === undefined || cmd === '-h' || cmd === '--help' ? 0 : 2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
