// The labelled accuracy corpus: cases under accuracy/cases/<surface>/<slug>.yaml, each a before and an
// after tree with the class and the rules the real systems imply. This module loads and checks the
// cases, builds each one as a real git repository of two commits (one `git fast-import` stream),
// assesses base..head (or checks the revert of head) through the library it is given, scores the
// results and compares them with the stored baseline. Plain ESM, so that `npm run accuracy` needs no
// TypeScript: bench/accuracy.mjs passes the built library, bench/accuracy.test.ts the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';
import { GIT_ENV } from '../common.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CASES_DIR = join(ROOT, 'accuracy/cases');
export const BASELINE_FILE = join(ROOT, 'accuracy/baseline.json');

/** The classes from best to worst (src/core/classes.ts; the test fails if the two lists drift apart). */
export const CLASSES = [
  'fully-reversible',
  'reversible-with-compatibility-window',
  'reversible-with-manual-repair',
  'forward-only',
  'compensatable',
  'non-recoverable-without-restore',
];
const RANK = Object.fromEntries(CLASSES.map((c, i) => [c, i]));

/** The corpus' folders: one per surface (Terraform configuration and plan JSON apart), and reverts. */
export const SURFACES = [
  'kubernetes',
  'kustomize',
  'helm',
  'argocd',
  'flux',
  'rollouts',
  'crd',
  'controllers',
  'secrets',
  'policy',
  'flags',
  'terraform',
  'terraform-plan',
  'database',
  'revert',
];

/** Tools a case may need on PATH; a case whose tool is missing is skipped (and said so), never failed. */
const TOOLS = ['kubectl', 'helm', 'terraform'];

const CASE_KEYS = new Set([
  'title',
  'rationale',
  'source',
  'mode',
  'config',
  'message',
  'before',
  'after',
  'plan',
  'requires',
  'expect',
]);
const EXPECT_KEYS = new Set(['class', 'rules', 'info']);
const RULE_RE = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** Reads every case under `dir` (sorted by id) and checks its shape; throws naming every bad case. */
export function loadCases(dir = CASES_DIR) {
  const files = walk(dir).filter((f) => /\.ya?ml$/.test(f));
  const cases = [];
  const problems = [];
  for (const file of files) {
    const rel = relative(dir, file).split(sep).join('/');
    const id = rel.replace(/\.ya?ml$/, '');
    let doc;
    try {
      doc = loadYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${rel}: does not parse: ${e.message.split('\n')[0]}`);
      continue;
    }
    const p = checkCase(id, doc);
    if (p.length) problems.push(...p.map((m) => `${rel}: ${m}`));
    else cases.push(normalise(id, doc, file));
  }
  if (problems.length) throw new Error(`accuracy corpus: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  if (cases.length === 0) throw new Error(`accuracy corpus: no case under ${dir}`);
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** What is wrong with a case document (empty when nothing). */
export function checkCase(id, doc) {
  const out = [];
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['a case is a mapping'];
  const surface = id.split('/')[0];
  if (!SURFACES.includes(surface) || !id.includes('/'))
    out.push(`a case lives in accuracy/cases/<surface>/, one of ${SURFACES.join(', ')}`);
  for (const k of Object.keys(doc)) if (!CASE_KEYS.has(k)) out.push(`unknown key ${JSON.stringify(k)}`);
  for (const k of ['title', 'rationale', 'source'])
    if (typeof doc[k] !== 'string' || !doc[k].trim()) out.push(`${k}: a non-empty string is required`);
  if (typeof doc.rationale === 'string' && doc.rationale.includes('\n'))
    out.push('rationale: one line (the real behaviour, in a sentence)');
  if (typeof doc.source === 'string' && !/^https:\/\/\S+$/.test(doc.source.trim()))
    out.push('source: the URL of the documentation or source that shows the behaviour');
  if (doc.mode !== undefined && doc.mode !== 'assess' && doc.mode !== 'revert')
    out.push('mode: assess (default) or revert');
  if ((doc.mode === 'revert') !== (surface === 'revert'))
    out.push('mode: revert cases live in accuracy/cases/revert/, and only they');
  if (doc.config !== undefined && typeof doc.config !== 'string') out.push('config: the text of .rollwright.yaml');
  if (doc.message !== undefined && typeof doc.message !== 'string') out.push('message: the head commit message');
  for (const side of ['before', 'after']) {
    const t = doc[side];
    if (t === undefined) continue;
    if (!t || typeof t !== 'object' || Array.isArray(t)) {
      out.push(`${side}: a mapping of path to file text`);
      continue;
    }
    for (const [path, text] of Object.entries(t)) {
      if (!safePath(path)) out.push(`${side}: ${JSON.stringify(path)} is not a relative path inside the repository`);
      if (!(typeof text === 'string' || (side === 'after' && text === null)))
        out.push(`${side}: ${JSON.stringify(path)}: the file's text (or null in after, to delete it)`);
      if (side === 'after' && text === null && !(doc.before && path in doc.before))
        out.push(`after: ${JSON.stringify(path)} is deleted but not in before`);
    }
  }
  if (doc.before === undefined && doc.after === undefined) out.push('before and after: at least one file');
  if (doc.plan !== undefined && (typeof doc.plan !== 'object' || doc.plan === null) && typeof doc.plan !== 'string')
    out.push('plan: a Terraform plan JSON (as YAML or a JSON string)');
  if (doc.requires !== undefined && (!Array.isArray(doc.requires) || doc.requires.some((t) => !TOOLS.includes(t))))
    out.push(`requires: a list of ${TOOLS.join(', ')}`);
  const e = doc.expect;
  if (!e || typeof e !== 'object') out.push('expect: { class, rules[, info] } is required');
  else {
    for (const k of Object.keys(e)) if (!EXPECT_KEYS.has(k)) out.push(`expect: unknown key ${JSON.stringify(k)}`);
    if (!CLASSES.includes(e.class)) out.push(`expect.class: one of ${CLASSES.join(', ')}`);
    for (const k of ['rules', 'info']) {
      if (k === 'rules' && e.rules === undefined) out.push('expect.rules: required (an empty list when none)');
      if (e[k] === undefined) continue;
      if (!Array.isArray(e[k]) || e[k].some((r) => typeof r !== 'string' || !RULE_RE.test(r)))
        out.push(`expect.${k}: a list of rule ids (surface/id)`);
      else if (new Set(e[k]).size !== e[k].length) out.push(`expect.${k}: a rule is listed twice`);
    }
    if (Array.isArray(e.rules) && Array.isArray(e.info) && e.info.some((r) => e.rules.includes(r)))
      out.push('expect: a rule is either expected at warning and above (rules) or at info (info), not both');
  }
  return out;
}

function safePath(p) {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s && s !== '.' && s !== '..' && s !== '.git');
}

function normalise(id, doc, file) {
  return {
    id,
    file,
    surface: id.split('/')[0],
    title: doc.title.trim(),
    rationale: doc.rationale.trim(),
    source: doc.source.trim(),
    mode: doc.mode ?? 'assess',
    config: doc.config,
    message: doc.message,
    before: doc.before ?? {},
    after: doc.after ?? {},
    plan:
      doc.plan === undefined ? undefined : typeof doc.plan === 'string' ? doc.plan : JSON.stringify(doc.plan, null, 2),
    requires: doc.requires ?? [],
    expect: { class: doc.expect.class, rules: [...doc.expect.rules].sort(), info: [...(doc.expect.info ?? [])].sort() },
  };
}

// ---------------------------------------------------------------------------------------------------
// Building the cases: real git repositories, two commits per case (base: before; head: before with
// after applied). The cases assessed as a change share one repository built by a single
// `git fast-import` (each case's commits on refs/cases/<id>/, no common history: assess reads only
// base..head and the trees of those two commits); a revert case gets a repository of its own, since
// a revert applies onto HEAD.

const DATE = 1767603600; // 2026-01-05 09:00 UTC; each head is one hour later

/** The head tree: before with after's files written over it, and after's null entries deleted. */
export function headTree(c) {
  const tree = { ...c.before };
  for (const [p, t] of Object.entries(c.after)) {
    if (t === null) delete tree[p];
    else tree[p] = t;
  }
  return tree;
}

const GIT = { ...GIT_ENV, GIT_AUTHOR_NAME: 'Accuracy', GIT_AUTHOR_EMAIL: 'accuracy@rollwright.invalid' };

function git(dir, args, input) {
  return execFileSync('git', ['-C', dir, ...args], {
    env: GIT,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** The fast-import stream of cases' two commits each, on `ref(c)`; marks 2i+1 (base) and 2i+2 (head). */
function importStream(cases, ref) {
  const chunks = [];
  const push = (s) => chunks.push(Buffer.from(s, 'utf8'));
  const data = (text) => {
    const b = Buffer.from(text, 'utf8');
    push(`data ${b.length}\n`);
    chunks.push(b);
    push('\n');
  };
  cases.forEach((c, i) => {
    const before = { ...c.before };
    if (c.config !== undefined) before['.rollwright.yaml'] = c.config;
    const changed = Object.entries(c.after).filter(([, t]) => t !== null);
    const deleted = Object.entries(c.after)
      .filter(([, t]) => t === null)
      .map(([p]) => p);
    const msg = c.message ?? c.title;
    const commit = (mark, message, date, files, deletes, parent) => {
      push(`commit ${ref(c)}\nmark :${mark}\n`);
      push(`author Accuracy <accuracy@rollwright.invalid> ${date} +0000\n`);
      push(`committer Accuracy <accuracy@rollwright.invalid> ${date} +0000\n`);
      data(message.endsWith('\n') ? message : `${message}\n`);
      if (parent) push(`from :${parent}\n`);
      for (const p of deletes) push(`D ${p}\n`);
      for (const [p, t] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
        push(`M 100644 inline ${p}\n`);
        data(t);
      }
      push('\n');
    };
    commit(2 * i + 1, 'base', DATE, Object.entries(before), [], undefined);
    commit(2 * i + 2, msg, DATE + 3600, changed, deleted, 2 * i + 1);
  });
  return Buffer.concat(chunks);
}

/**
 * Builds `cases` into one new repository under `root`: returns { dir, revs: Map(id -> { base, head }) }.
 * With `own`, the cases' head is the repository's branch `main` (one case per repository).
 */
function buildRepo(root, cases, { own = false } = {}) {
  const dir = mkdtempSync(join(root, 'repo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  const marks = join(root, `${dir.slice(root.length + 1)}.marks`);
  const ref = own ? () => 'refs/heads/main' : (c) => `refs/cases/${c.id}`;
  git(dir, ['fast-import', '--quiet', '--date-format=raw', `--export-marks=${marks}`], importStream(cases, ref));
  const byMark = new Map(
    readFileSync(marks, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .map(([m, sha]) => [Number(m.slice(1)), sha]),
  );
  const revs = new Map(cases.map((c, i) => [c.id, { base: byMark.get(2 * i + 1), head: byMark.get(2 * i + 2) }]));
  return { dir, revs };
}

/** Every case built: { root, forCase(id) -> { dir, base, head, plan? }, cleanup() }. */
export function buildCases(cases) {
  const root = mkdtempSync(join(tmpdir(), 'rollwright-accuracy-'));
  const built = new Map();
  const shared = cases.filter((c) => c.mode !== 'revert');
  if (shared.length) {
    const { dir, revs } = buildRepo(root, shared);
    for (const c of shared) built.set(c.id, { dir, ...revs.get(c.id) });
  }
  for (const c of cases.filter((x) => x.mode === 'revert')) {
    const { dir, revs } = buildRepo(root, [c], { own: true });
    built.set(c.id, { dir, ...revs.get(c.id) });
  }
  cases.forEach((c, i) => {
    if (c.plan === undefined) return;
    const plan = join(root, `plan-${i}.json`);
    writeFileSync(plan, c.plan);
    built.get(c.id).plan = plan;
  });
  return {
    root,
    forCase: (id) => built.get(id),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

const toolCache = new Map();
/** Whether a tool is on PATH (asked once per process). */
export function hasTool(name) {
  if (!toolCache.has(name)) {
    let ok = false;
    for (const d of (process.env.PATH ?? '').split(':').filter(Boolean)) {
      try {
        if (statSync(join(d, name)).isFile()) {
          ok = true;
          break;
        }
      } catch {
        /* not here */
      }
    }
    toolCache.set(name, ok);
  }
  return toolCache.get(name);
}

/**
 * Runs one built case through the library `lib` ({ assess, checkRevert, surfaces, allRules }) and
 * returns { id, skipped?, error?, class, findings: [{ rule, severity, class, file, line, message }], ms }.
 */
export async function runCase(lib, c, built) {
  const missing = c.requires.filter((t) => !hasTool(t));
  if (missing.length) return { id: c.id, skipped: `needs ${missing.join(', ')} on PATH` };
  const t0 = performance.now();
  try {
    let assessment;
    if (c.mode === 'revert') {
      const { report } = await lib.checkRevert({
        repo: built.dir,
        spec: built.head,
        surfaces: lib.surfaces,
        rules: lib.allRules(),
      });
      assessment = report.assessment;
      if (!assessment)
        return {
          id: c.id,
          error: `the revert was not assessed: ${report.reasons.join('; ')}`,
          ms: performance.now() - t0,
        };
    } else {
      assessment = await lib.assess({
        repo: built.dir,
        base: built.base,
        head: built.head,
        surfaces: lib.surfaces,
        rules: lib.allRules(),
        ...(built.plan ? { plan: built.plan } : {}),
      });
    }
    return {
      id: c.id,
      class: assessment.class,
      findings: assessment.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        class: f.class,
        file: f.file,
        line: f.line,
        message: f.message,
      })),
      ms: performance.now() - t0,
    };
  } catch (e) {
    return { id: c.id, error: `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`, ms: performance.now() - t0 };
  }
}

/**
 * The proxy every HTTP(S) client the cases start goes through while they run: a closed port on the
 * loopback, so that a remote base (`kubectl kustomize` fetching a URL or a git repository, both of
 * which honour HTTPS_PROXY) fails the same way with or without network, and the figures do not depend
 * on the machine (or on what a remote branch holds today).
 */
export const OFFLINE_PROXY = 'http://127.0.0.1:9';
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
const NO_PROXY_VARS = ['NO_PROXY', 'no_proxy'];

/** Sets the offline proxy in this process' environment (children inherit it); returns the restore. */
function goOffline() {
  const saved = Object.fromEntries([...PROXY_VARS, ...NO_PROXY_VARS].map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) process.env[k] = OFFLINE_PROXY;
  for (const k of NO_PROXY_VARS) delete process.env[k];
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Builds and runs every case, `concurrency` at a time, without network (see OFFLINE_PROXY); results in
 * the cases' order.
 */
export async function runCases(lib, cases, { concurrency = 4, onResult } = {}) {
  const repos = buildCases(cases.filter((c) => c.requires.every(hasTool)));
  const restore = goOffline();
  try {
    const results = new Array(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await runCase(lib, cases[i], repos.forCase(cases[i].id));
        onResult?.(cases[i], results[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
    return results;
  } finally {
    restore();
    repos.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------
// Scoring.

const WARN = new Set(['warning', 'error']);

/**
 * Judges one case's result against its expectation:
 *  - class: 'exact', 'lenient' (exactly one step more conservative), 'over' (more than one step
 *    worse), 'under' (better than expected: the dangerous kind), or 'error'/'skipped';
 *  - per rule: tp, fp (fired at warning and above, not expected there), fn (expected, not fired at
 *    the level it was expected at).
 * A case passes when its class is exact and it has no fp and no fn.
 */
export function judge(c, r) {
  if (r.skipped)
    return {
      id: c.id,
      status: 'skipped',
      reason: r.skipped,
      pass: false,
      classVerdict: 'skipped',
      tp: [],
      fp: [],
      fn: [],
    };
  if (r.error)
    return {
      id: c.id,
      status: 'error',
      reason: r.error,
      pass: false,
      classVerdict: 'error',
      tp: [],
      fp: [],
      fn: [...c.expect.rules, ...c.expect.info],
    };
  const warn = new Set(r.findings.filter((f) => WARN.has(f.severity)).map((f) => f.rule));
  const any = new Set(r.findings.map((f) => f.rule));
  const tp = [];
  const fp = [];
  const fn = [];
  for (const rule of c.expect.rules) (warn.has(rule) ? tp : fn).push(rule);
  for (const rule of c.expect.info) {
    if (warn.has(rule)) continue; // counted as a false positive below: fired above the level expected
    (any.has(rule) ? tp : fn).push(rule);
  }
  for (const rule of [...warn].sort()) if (!c.expect.rules.includes(rule)) fp.push(rule);
  const d = RANK[r.class] - RANK[c.expect.class];
  const classVerdict = d === 0 ? 'exact' : d === 1 ? 'lenient' : d > 1 ? 'over' : 'under';
  return {
    id: c.id,
    status: 'ran',
    pass: d === 0 && fp.length === 0 && fn.length === 0,
    classVerdict,
    expected: c.expect.class,
    actual: r.class,
    tp,
    fp,
    fn,
  };
}

const ratio = (n, d) => (d === 0 ? null : n / d);

/** The corpus' figures from the judged cases. */
export function score(cases, results) {
  const judged = cases.map((c, i) => judge(c, results[i]));
  const counted = judged.filter((j) => j.status !== 'skipped');
  const n = counted.length;
  const exact = counted.filter((j) => j.classVerdict === 'exact').length;
  const lenient = counted.filter((j) => j.classVerdict === 'exact' || j.classVerdict === 'lenient').length;
  const under = counted.filter((j) => j.classVerdict === 'under').length;
  const passed = counted.filter((j) => j.pass).length;
  const rules = {};
  const bump = (rule, k) => {
    rules[rule] ??= { tp: 0, fp: 0, fn: 0 };
    rules[rule][k]++;
  };
  for (const j of counted) {
    for (const r of j.tp) bump(r, 'tp');
    for (const r of j.fp) bump(r, 'fp');
    for (const r of j.fn) bump(r, 'fn');
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const v of Object.values(rules)) {
    v.precision = ratio(v.tp, v.tp + v.fp);
    v.recall = ratio(v.tp, v.tp + v.fn);
    tp += v.tp;
    fp += v.fp;
    fn += v.fn;
  }
  const perSurface = {};
  for (const [i, j] of judged.entries()) {
    const s = cases[i].surface;
    perSurface[s] ??= { cases: 0, exact: 0, lenient: 0, passed: 0, skipped: 0 };
    const p = perSurface[s];
    p.cases++;
    if (j.status === 'skipped') p.skipped++;
    if (j.classVerdict === 'exact') p.exact++;
    if (j.classVerdict === 'exact' || j.classVerdict === 'lenient') p.lenient++;
    if (j.pass) p.passed++;
  }
  return {
    figures: {
      cases: n,
      skipped: judged.length - n,
      errors: counted.filter((j) => j.status === 'error').length,
      passed,
      exact: ratio(exact, n),
      lenient: ratio(lenient, n),
      underStated: under,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
    },
    counts: { exact, lenient, tp, fp, fn },
    rules: Object.fromEntries(Object.entries(rules).sort(([a], [b]) => (a < b ? -1 : 1))),
    perSurface,
    judged,
  };
}

// ---------------------------------------------------------------------------------------------------
// The baseline: the figures, each rule's precision and recall, and each case's verdict.

/** A figure as the comparison lines print it. */
const fmt = (x) =>
  x === null || x === undefined ? 'n/a' : typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(4) : String(x);

const CLASS_ORDER = { under: 0, error: 0, over: 1, lenient: 2, exact: 3 };
const EPS = 1e-9;

/** The baseline document of a score (what `--update-baseline` writes). */
export function toBaseline(s) {
  const round = (x) => (x === null ? null : Math.round(x * 1e4) / 1e4);
  return {
    schema: 'rollwright.accuracy-baseline/v1',
    note: 'Written by `npm run accuracy -- --update-baseline`. CI fails when a figure drops below this or a case that passed fails.',
    figures: Object.fromEntries(
      Object.entries(s.figures).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? round(v) : v]),
    ),
    rules: Object.fromEntries(
      Object.entries(s.rules).map(([r, v]) => [
        r,
        { precision: round(v.precision), recall: round(v.recall), tp: v.tp, fp: v.fp, fn: v.fn },
      ]),
    ),
    cases: Object.fromEntries(
      s.judged.filter((j) => j.status !== 'skipped').map((j) => [j.id, { pass: j.pass, class: j.classVerdict }]),
    ),
  };
}

/**
 * What got worse since the baseline: a figure below it (more under-stated classes counts as worse),
 * a rule's precision or recall below it, a case that passed and no longer does, a case whose class
 * verdict fell (exact to lenient, lenient to wrong), a case of the baseline no longer in the corpus.
 * Skipped cases are compared with nothing. Returns a list of lines (empty when nothing regressed).
 */
export function regressions(s, baseline) {
  const out = [];
  const f = s.figures;
  const b = baseline.figures ?? {};
  for (const k of ['exact', 'lenient', 'precision', 'recall']) {
    if (typeof b[k] === 'number' && (f[k] === null || f[k] < b[k] - 5e-5))
      out.push(`figure ${k}: ${fmt(f[k])} < baseline ${fmt(b[k])}`);
  }
  if (typeof b.underStated === 'number' && f.underStated > b.underStated)
    out.push(`figure underStated: ${f.underStated} cases classed better than expected > baseline ${b.underStated}`);
  if (typeof b.passed === 'number' && f.passed < b.passed)
    out.push(`figure passed: ${f.passed} < baseline ${b.passed}`);
  for (const [rule, v] of Object.entries(baseline.rules ?? {})) {
    const now = s.rules[rule];
    for (const k of ['precision', 'recall']) {
      if (typeof v[k] !== 'number') continue;
      const x = now?.[k];
      if (x === undefined || x === null) continue; // the rule no longer has any expectation or finding
      if (x < v[k] - 5e-5) out.push(`rule ${rule} ${k}: ${fmt(x)} < baseline ${fmt(v[k])}`);
    }
  }
  const byId = new Map(s.judged.map((j) => [j.id, j]));
  for (const [id, v] of Object.entries(baseline.cases ?? {})) {
    const j = byId.get(id);
    if (!j) {
      out.push(`case ${id}: in the baseline but no longer in the corpus`);
      continue;
    }
    if (j.status === 'skipped') continue;
    if (v.pass && !j.pass) out.push(`case ${id}: passed in the baseline, now fails (${whyFailed(j)})`);
    else if ((CLASS_ORDER[j.classVerdict] ?? 0) < (CLASS_ORDER[v.class] ?? 0) - EPS)
      out.push(`case ${id}: class was ${v.class}, now ${j.classVerdict} (${whyFailed(j)})`);
  }
  return out;
}

/**
 * What got better since the baseline (the mirror of `regressions`): a figure above it, a rule's
 * precision or recall above it, a case that failed and now passes, a case whose class verdict rose.
 * Not a failure: the lines say what `--update-baseline` would lock in, so that a later change cannot
 * quietly give the gain back.
 */
export function improvements(s, baseline) {
  const out = [];
  const f = s.figures;
  const b = baseline.figures ?? {};
  for (const k of ['exact', 'lenient', 'precision', 'recall']) {
    if (typeof b[k] === 'number' && typeof f[k] === 'number' && f[k] > b[k] + 5e-5)
      out.push(`figure ${k}: ${fmt(f[k])} > baseline ${fmt(b[k])}`);
  }
  if (typeof b.underStated === 'number' && f.underStated < b.underStated)
    out.push(`figure underStated: ${f.underStated} < baseline ${b.underStated}`);
  if (typeof b.passed === 'number' && f.passed > b.passed) out.push(`figure passed: ${f.passed} > baseline ${b.passed}`);
  for (const [rule, now] of Object.entries(s.rules)) {
    const v = baseline.rules?.[rule];
    for (const k of ['precision', 'recall']) {
      const x = now[k];
      if (typeof x !== 'number') continue;
      if (typeof v?.[k] !== 'number') {
        if (v) out.push(`rule ${rule} ${k}: ${fmt(x)} (none in the baseline)`);
        continue;
      }
      if (x > v[k] + 5e-5) out.push(`rule ${rule} ${k}: ${fmt(x)} > baseline ${fmt(v[k])}`);
    }
  }
  for (const j of s.judged) {
    const v = baseline.cases?.[j.id];
    if (!v || j.status === 'skipped') continue;
    if (!v.pass && j.pass) out.push(`case ${j.id}: failed in the baseline, now passes`);
    else if ((CLASS_ORDER[j.classVerdict] ?? 0) > (CLASS_ORDER[v.class] ?? 0) + EPS)
      out.push(`case ${j.id}: class was ${v.class}, now ${j.classVerdict}`);
  }
  return out;
}

/** Cases of the corpus the baseline does not know yet (not regressions: the baseline is to be updated). */
export function newCases(s, baseline) {
  return s.judged.filter((j) => j.status !== 'skipped' && !(j.id in (baseline.cases ?? {}))).map((j) => j.id);
}

/** One line on why a case did not pass. */
export function whyFailed(j) {
  if (j.status === 'error') return `error: ${j.reason}`;
  if (j.status === 'skipped') return `skipped: ${j.reason}`;
  const parts = [];
  if (j.classVerdict !== 'exact')
    parts.push(
      `class ${j.actual}, expected ${j.expected} (${j.classVerdict === 'lenient' ? 'one step more conservative' : j.classVerdict === 'under' ? 'UNDER-STATED' : 'over-stated'})`,
    );
  if (j.fn.length) parts.push(`missing ${j.fn.join(', ')}`);
  if (j.fp.length) parts.push(`unexpected ${j.fp.join(', ')}`);
  return parts.join('; ') || 'passed';
}

export function readBaseline(file = BASELINE_FILE) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw new Error(`${file}: ${e.message}`);
  }
}

export function writeBaseline(s, file = BASELINE_FILE) {
  writeFileSync(file, JSON.stringify(toBaseline(s), null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------------
// The report.

const pct = (x) => (x === null || x === undefined ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);

/** The failing cases' groups in the report, the dangerous first. */
const FAILING_GROUPS = [
  ['error', 'errored (the case could not be assessed)'],
  ['under', 'class UNDER-STATED (better than the real behaviour)'],
  ['over', 'class over-stated (more than one step worse)'],
  ['lenient', 'class one step more conservative'],
  ['exact', 'class exact, rules wrong (missing: expected and not fired; unexpected: fired at warning and above)'],
];

/**
 * The text report: the figures, a per-surface table, the per-rule table (worst first), and every
 * case that did not pass with why; `findings` adds each failing case's findings.
 */
export function report(cases, results, s, { findings = false, registered } = {}) {
  const L = [];
  const f = s.figures;
  L.push(
    `rollwright accuracy: ${f.cases} cases${f.skipped ? ` (${f.skipped} skipped)` : ''}, ${f.passed} passed, ${f.errors} errors`,
  );
  L.push('');
  L.push(`  class exact     ${pct(f.exact)}  (${s.counts.exact}/${f.cases})`);
  L.push(
    `  class lenient   ${pct(f.lenient)}  (${s.counts.lenient}/${f.cases}: exact, or exactly one step more conservative)`,
  );
  L.push(`  under-stated    ${String(f.underStated).padStart(6)}  (cases classed better than the real behaviour)`);
  L.push(
    `  rule precision  ${pct(f.precision)}  (${s.counts.tp} expected and fired / ${s.counts.tp + s.counts.fp} fired: expected ones, and any at warning and above)`,
  );
  L.push(
    `  rule recall     ${pct(f.recall)}  (${s.counts.tp} expected and fired / ${s.counts.tp + s.counts.fn} expected)`,
  );
  L.push('');
  L.push('  surface          cases  exact  lenient  passed');
  for (const [name, p] of Object.entries(s.perSurface)) {
    L.push(
      `  ${name.padEnd(16)} ${String(p.cases).padStart(5)}  ${String(p.exact).padStart(5)}  ${String(p.lenient).padStart(7)}  ${String(p.passed).padStart(6)}${p.skipped ? `  (${p.skipped} skipped)` : ''}`,
    );
  }
  L.push('');
  L.push('  rule                                            tp   fp   fn  precision  recall');
  const rows = Object.entries(s.rules).sort(([ra, a], [rb, b]) => {
    const wa = Math.min(a.precision ?? 1, a.recall ?? 1);
    const wb = Math.min(b.precision ?? 1, b.recall ?? 1);
    return wa - wb || b.fp + b.fn - (a.fp + a.fn) || (ra < rb ? -1 : 1);
  });
  for (const [rule, v] of rows) {
    const unknown = registered && !registered.has(rule) ? '  (no such rule yet)' : '';
    L.push(
      `  ${rule.padEnd(46)} ${String(v.tp).padStart(4)} ${String(v.fp).padStart(4)} ${String(v.fn).padStart(4)}  ${pct(v.precision).padStart(9)}  ${pct(v.recall)}${unknown}`,
    );
  }
  const failing = s.judged.filter((j) => !j.pass && j.status !== 'skipped');
  if (failing.length) {
    L.push('');
    L.push(`  failing cases (${failing.length}):`);
  }
  for (const [verdict, heading] of FAILING_GROUPS) {
    const group = failing.filter((j) => j.classVerdict === verdict);
    if (!group.length) continue;
    L.push('');
    L.push(`  ${heading} (${group.length}):`);
    for (const j of group) {
      const c = cases.find((x) => x.id === j.id);
      L.push(`  - ${j.id}: ${whyFailed(j)}`);
      if (findings) {
        const r = results.find((x) => x.id === j.id);
        for (const x of r?.findings ?? [])
          L.push(`      ${x.severity.padEnd(7)} ${x.rule} [${x.class}] ${x.file}:${x.line} ${x.message}`);
        if (c)
          L.push(
            `      expected: ${c.expect.class}; rules ${c.expect.rules.join(', ') || '(none)'}${c.expect.info.length ? `; info ${c.expect.info.join(', ')}` : ''}`,
          );
      }
    }
  }
  const skipped = s.judged.filter((j) => j.status === 'skipped');
  if (skipped.length) {
    L.push('');
    for (const j of skipped) L.push(`  skipped ${j.id}: ${j.reason}`);
  }
  return L.join('\n') + '\n';
}
