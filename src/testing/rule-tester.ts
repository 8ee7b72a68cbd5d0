/**
 * Case tables for rules, in the spirit of ESLint's RuleTester: `valid` cases must yield no finding of
 * the rule, `invalid` cases exactly the listed findings. Cases run through the surface's real
 * `assess` path (parse, pair, run) with every other rule turned off. Imported by tests only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChangeSet, ChangedFile, RepoReader } from '../core/change.js';
import type { RollbackClass } from '../core/classes.js';
import type { Finding } from '../core/finding.js';
import { ruleKey, type AnyRule } from '../core/rule.js';
import type { Surface } from '../core/surface.js';
import { matchAny } from '../core/glob.js';
import { assessChangeSet } from '../engine/assess.js';
import { ConfigSchema } from '../core/config-schema.js';
import { renderRulePage, rulePagePath, type RuleExample } from '../reporters/rules-doc.js';

type Files = string | Record<string, string>;

export interface RuleCase {
  name: string;
  /** Files at base; a string is the file `manifests.yaml`. */
  before?: Files;
  /** Files at head. */
  after?: Files;
  /** Unchanged files present at both revisions (found by repository-wide lookups). */
  unchanged?: Record<string, string>;
  /** `.rollwright.yaml` content as an object. */
  config?: Record<string, unknown>;
  /** Files git reports renamed: the head path of each, to its base path (both in before/after). */
  renamed?: Record<string, string>;
}

export interface ExpectedFinding {
  messageId: string;
  class?: RollbackClass;
  severity?: Finding['severity'];
  line?: number;
  file?: string;
  object?: string;
  /** A substring the message must contain. */
  message?: string | RegExp;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

export function ruleTable(surface: Surface, rule: AnyRule, table: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  const key = ruleKey(rule);
  // The page comes from the rule's own test file (`<id>.test.ts` beside it) when it has one, whatever
  // other files hold tables of the same rule; else from the first table registered.
  const own = `/surfaces/${rule.surface}/rules/${rule.id}.test.ts`;
  const caller = (new Error().stack ?? '').split('\n').find((l) => /\.test\.ts/.test(l)) ?? '';
  const pageHere = caller.includes(own) || !existsSync(fileURLToPath(new URL(`..${own}`, import.meta.url)));
  const first = pageHere && !paged.has(key);
  if (pageHere) paged.add(key);
  describe(key, () => {
    // The rule's page shows the first valid and the first invalid case of its (first) table.
    if (first)
      it(`docs page: docs/${rulePagePath(rule)}`, async () => {
        expectRulePage(rule, renderRulePage(rule, await examplesOf(surface, rule, table), surface));
      });
    it.each(table.valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
      const findings = await runRule(surface, rule, c);
      expect(findings.map((f) => `${f.messageId}: ${f.message}`)).toEqual([]);
    });
    it.each(table.invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
      const findings = await runRule(surface, rule, c);
      expect(findings.map((f) => f.messageId)).toEqual(c.errors.map((e) => e.messageId));
      c.errors.forEach((e, i) => {
        const f = findings[i]!;
        if (e.class) expect(f.class, `class of finding ${i}`).toBe(e.class);
        if (e.severity) expect(f.severity, `severity of finding ${i}`).toBe(e.severity);
        if (e.line !== undefined) expect(f.line, `line of finding ${i}`).toBe(e.line);
        if (e.file) expect(f.file).toBe(e.file);
        if (e.object) expect(f.object).toBe(e.object);
        if (e.message) expect(f.message).toMatch(e.message);
      });
    });
  });
}

/** Rules whose page a table of this test file already checks (a file may hold several tables). */
const paged = new Set<string>();

/** The first valid and the first invalid case of a table, with what the rule reports on each. */
async function examplesOf(
  surface: Surface,
  rule: AnyRule,
  table: { valid: RuleCase[]; invalid: InvalidCase[] },
): Promise<{ valid?: RuleExample; invalid?: RuleExample }> {
  const example = async (c: RuleCase): Promise<RuleExample> => {
    // A file with the same text at both sides is shown once, with the unchanged ones.
    // Copies: the case's own objects are run again by the table's tests after this page is drawn.
    const before = { ...asFiles(c.before) };
    const after = { ...asFiles(c.after) };
    const unchanged: Record<string, string> = { ...c.unchanged };
    for (const [path, text] of Object.entries(before))
      if (after[path] === text) {
        unchanged[path] = text;
        delete before[path];
        delete after[path];
      }
    return {
      name: c.name,
      before,
      after,
      unchanged,
      ...(c.config ? { config: c.config } : {}),
      findings: await runRule(surface, rule, c),
    };
  };
  return {
    ...(table.valid[0] ? { valid: await example(table.valid[0]) } : {}),
    ...(table.invalid[0] ? { invalid: await example(table.invalid[0]) } : {}),
  };
}

/**
 * Asserts that docs/rules/<surface>/<id>.md is `page`; with UPDATE_RULE_DOCS=1 (`npm run docs`) it
 * writes the page instead.
 */
export function expectRulePage(rule: Pick<AnyRule, 'surface' | 'id'>, page: string): void {
  const file = fileURLToPath(new URL(`../../docs/${rulePagePath(rule)}`, import.meta.url));
  if (process.env.UPDATE_RULE_DOCS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, page);
    return;
  }
  expect(
    existsSync(file) ? readFileSync(file, 'utf8') : undefined,
    `docs/${rulePagePath(rule)} is out of date with the rule and its case table: run \`npm run docs\` and commit the result`,
  ).toBe(page);
}

export async function runRule(surface: Surface, rule: AnyRule, c: RuleCase): Promise<Finding[]> {
  const key = ruleKey(rule);
  const off = Object.fromEntries(surface.rules.filter((r) => ruleKey(r) !== key).map((r) => [ruleKey(r), 'off']));
  const userRules = (c.config?.rules as Record<string, unknown> | undefined) ?? {};
  const config = ConfigSchema.parse({ ...c.config, rules: { ...off, ...userRules } });
  const before = asFiles(c.before);
  const after = asFiles(c.after);
  const changes = changeSetOf(before, after, c.renamed);
  const repo = memoryRepo({ ...c.unchanged, ...before }, { ...c.unchanged, ...after });
  const claimed: ChangeSet = { ...changes, files: changes.files.filter((f) => surface.claims(f.path)) };
  // A rule that describes a tree reports only when a tree is read (lint); its cases are read that way.
  const a = await assessChangeSet(claimed, repo, config, {
    surfaces: [surface],
    ...(rule.treeOnly ? { tree: true } : {}),
  });
  return a.findings.filter((f) => f.rule === key);
}

/** A case assessed as a whole change with the given surfaces (none: only what the engine itself reports). */
export async function assessCase(c: RuleCase, surfaces: Surface[] = []) {
  const before = asFiles(c.before);
  const after = asFiles(c.after);
  const repo = memoryRepo({ ...c.unchanged, ...before }, { ...c.unchanged, ...after });
  return assessChangeSet(changeSetOf(before, after, c.renamed), repo, ConfigSchema.parse(c.config ?? {}), { surfaces });
}

function asFiles(f: Files | undefined): Record<string, string> {
  if (f === undefined) return {};
  return typeof f === 'string' ? { 'manifests.yaml': f } : f;
}

export function changeSetOf(
  before: Record<string, string>,
  after: Record<string, string>,
  renamed: Record<string, string> = {},
): ChangeSet {
  const files: ChangedFile[] = [];
  const from = new Set(Object.values(renamed));
  for (const [path, oldPath] of Object.entries(renamed))
    files.push({
      status: 'renamed',
      path,
      oldPath,
      oldText: before[oldPath]!,
      newText: after[path]!,
      oldBlob: `old:${oldPath}`,
      newBlob: `new:${path}`,
    });
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const o = before[path];
    const n = after[path];
    if (o === n || from.has(path) || renamed[path] !== undefined) continue;
    files.push({
      status: o === undefined ? 'added' : n === undefined ? 'deleted' : 'modified',
      path,
      ...(o !== undefined ? { oldText: o, oldBlob: `old:${path}` } : {}),
      ...(n !== undefined ? { newText: n, newBlob: `new:${path}` } : {}),
    });
  }
  return { base: 'BASE', head: 'HEAD', files, commits: [] };
}

/** A RepoReader over two in-memory trees. */
export function memoryRepo(base: Record<string, string>, head: Record<string, string>): RepoReader {
  const side = (s: 'base' | 'head') => (s === 'base' ? base : head);
  return {
    async readText(s, path) {
      return side(s)[path];
    },
    async listDir(s, dir) {
      const trimmed = dir.replace(/\/+$/, '');
      const prefix = trimmed === '' || trimmed === '.' ? '' : `${trimmed}/`;
      const names = new Map<string, 'blob' | 'tree'>();
      for (const p of Object.keys(side(s))) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const i = rest.indexOf('/');
        names.set(i < 0 ? rest : rest.slice(0, i), i < 0 ? 'blob' : 'tree');
      }
      return [...names].sort().map(([name, type]) => ({ name, type }));
    },
    async grep(s, strings, globs) {
      const include = globs.filter((g) => !g.startsWith('!'));
      const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
      return Object.entries(side(s))
        .filter(([p]) => (include.length === 0 || matchAny(p, include)) && !matchAny(p, exclude))
        .filter(([, t]) => strings.some((x) => t.includes(x)))
        .map(([p]) => p)
        .sort();
    },
  };
}
