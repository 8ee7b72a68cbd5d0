#!/usr/bin/env node
// `npm run accuracy`: every case of the labelled corpus (accuracy/cases/) through the built library in
// this one process, the figures (class accuracy exact and lenient, per-rule precision and recall), the
// failing cases with why, and the comparison with accuracy/baseline.json. Exit 1 when a figure or a
// case regressed against the baseline (improvements are listed, and pass), 2 on a bad case or option.
// The cases run without network (a closed loopback proxy), so a remote base never renders.
//
//   npm run accuracy                          # figures, failing cases, comparison with the baseline
//   npm run accuracy -- --update-baseline     # store the current figures and case verdicts as the baseline
//   npm run accuracy -- --findings            # each failing case's findings too
//   npm run accuracy -- --case 'database/*'   # only the cases whose id matches (no baseline comparison)
//   npm run accuracy -- --json                # the score as JSON on stdout
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BASELINE_FILE,
  improvements,
  loadCases,
  newCases,
  readBaseline,
  regressions,
  report,
  ROOT,
  runCases,
  score,
  writeBaseline,
} from './accuracy/corpus.mjs';

const USAGE = `usage: node bench/accuracy.mjs [--update-baseline] [--findings] [--json] [--case GLOB] [--jobs N]`;

function parseArgs(argv) {
  const o = { update: false, findings: false, json: false, case: undefined, jobs: 4 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--update-baseline') o.update = true;
    else if (a === '--findings') o.findings = true;
    else if (a === '--json') o.json = true;
    else if (a === '--case') o.case = argv[++i];
    else if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else {
      process.stderr.write(`accuracy: unknown option ${a}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  if (o.case === '' || (argv.includes('--case') && o.case === undefined)) {
    process.stderr.write(`accuracy: --case needs a pattern\n`);
    process.exit(2);
  }
  if (!Number.isInteger(o.jobs) || o.jobs < 1) {
    process.stderr.write(`accuracy: --jobs needs a positive integer\n`);
    process.exit(2);
  }
  if (o.update && o.case) {
    process.stderr.write(`accuracy: --update-baseline runs the whole corpus; drop --case\n`);
    process.exit(2);
  }
  return o;
}

/** `*` matches within a path segment, `**` across them. */
function globRe(glob) {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\0')
    .replace(/\*/g, '[^/]*')
    .replace(/\0/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

const opts = parseArgs(process.argv.slice(2));
const dist = join(ROOT, 'dist/index.mjs');
if (!existsSync(dist)) {
  process.stderr.write('accuracy: dist/index.mjs is missing: run `npm run build` first (npm run accuracy does)\n');
  process.exit(2);
}
const lib = await import(pathToFileURL(dist).href);

let cases;
try {
  cases = loadCases();
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
if (opts.case) {
  const re = globRe(opts.case);
  cases = cases.filter((c) => re.test(c.id));
  if (cases.length === 0) {
    process.stderr.write(`accuracy: no case matches ${JSON.stringify(opts.case)}\n`);
    process.exit(2);
  }
}

const t0 = performance.now();
const tty = process.stderr.isTTY;
let done = 0;
const results = await runCases(lib, cases, {
  concurrency: opts.jobs,
  onResult: () => {
    done++;
    if (tty) process.stderr.write(`\raccuracy: ${done}/${cases.length}`);
  },
});
if (tty) process.stderr.write('\r\x1b[K');
const seconds = (performance.now() - t0) / 1000;
const s = score(cases, results);
const registered = new Set(lib.allRules().map((r) => `${r.surface}/${r.id}`));

if (opts.json) process.stdout.write(JSON.stringify({ ...s, seconds }, null, 2) + '\n');
else {
  process.stdout.write(report(cases, results, s, { findings: opts.findings, registered }));
  process.stdout.write(`\n  ${cases.length} cases in ${seconds.toFixed(1)} s\n`);
}

if (opts.update) {
  writeBaseline(s);
  process.stderr.write(`accuracy: baseline written to ${BASELINE_FILE.slice(ROOT.length + 1)}\n`);
  process.exit(0);
}
if (opts.case) process.exit(0);
const baseline = readBaseline();
if (!baseline) {
  process.stderr.write('accuracy: no baseline yet (accuracy/baseline.json): write one with --update-baseline\n');
  process.exit(1);
}
const worse = regressions(s, baseline);
const better = improvements(s, baseline);
const fresh = newCases(s, baseline);
if (fresh.length)
  process.stderr.write(
    `accuracy: ${fresh.length} case(s) not in the baseline yet (run with --update-baseline): ${fresh.join(', ')}\n`,
  );
if (better.length)
  process.stderr.write(
    `accuracy: ${better.length} improvement(s) over the baseline:\n  ${better.join('\n  ')}\n` +
      (worse.length
        ? ''
        : 'accuracy: lock them in: npm run accuracy -- --update-baseline, and commit accuracy/baseline.json with the fix\n'),
  );
if (worse.length) {
  process.stderr.write(`accuracy: ${worse.length} regression(s) against the baseline:\n  ${worse.join('\n  ')}\n`);
  process.exit(1);
}
process.stderr.write('accuracy: no figure and no case below the baseline\n');
