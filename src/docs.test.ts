/**
 * The README and docs/ speak for the project on their own: they never point outside the repository
 * (no specification sections, no issue numbers, no paths into a workspace a user who clones the
 * repository does not have), and every relative link in them reaches a file that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { surfaceInfo } from './cli/commands/rules.js';
import { allRules } from './registry.js';
import { renderRulePage, rulePagePath } from './reporters/rules-doc.js';
import { expectRulePage } from './testing/rule-tester.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? markdownUnder(p) : d.name.endsWith('.md') ? [p] : [];
  });
}

const PAGES = [join(ROOT, 'README.md'), ...markdownUnder(join(ROOT, 'docs'))];

/** What a page must not say, and why. */
export const OUTSIDE_REFERENCES: ReadonlyArray<[RegExp, string]> = [
  [/\bSPEC\b/, 'cites the specification: say what it means (docs/concepts.md) instead'],
  [/(^|[^\w-])shared\//, 'points into a folder outside the repository'],
  [/\bissues?\s*#?\d+/i, 'cites an issue number: say what it means instead'],
];

/** Every line of `text` that matches one of `patterns`, as `file:line: why: text`. */
export function outsideReferences(file: string, text: string, patterns = OUTSIDE_REFERENCES): string[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      patterns.filter(([re]) => re.test(line)).map(([, why]) => `${file}:${i + 1}: ${why}: ${line.trim()}`),
    );
}

/** The relative link targets of a markdown text (inline links and images), without their anchors. */
export function relativeLinks(text: string): Array<{ target: string; line: number }> {
  const out: Array<{ target: string; line: number }> = [];
  // fenced code is text, not links
  const lines = text.split('\n');
  let fenced = false;
  for (const [i, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const [, raw] of line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = raw!.replace(/[#?].*$/, '');
      if (!target || /^[a-z][a-z0-9+.-]*:/i.test(raw!)) continue;
      out.push({ target: decodeURIComponent(target), line: i + 1 });
    }
  }
  return out;
}

describe('README.md and docs/', () => {
  it('never refer to anything outside the repository', () => {
    const found = PAGES.flatMap((p) => outsideReferences(relative(ROOT, p), readFileSync(p, 'utf8')));
    expect(found).toEqual([]);
  });

  it('link only to files that exist', () => {
    const broken = PAGES.flatMap((p) =>
      relativeLinks(readFileSync(p, 'utf8'))
        .filter(({ target }) => !existsSync(resolve(dirname(p), target)))
        .map(({ target, line }) => `${relative(ROOT, p)}:${line}: ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('are all reachable from the README', () => {
    const linked = new Set<string>();
    const queue = [join(ROOT, 'README.md')];
    while (queue.length) {
      const p = queue.pop()!;
      if (linked.has(p)) continue;
      linked.add(p);
      for (const { target } of relativeLinks(readFileSync(p, 'utf8'))) {
        const t = resolve(dirname(p), target);
        if (t.endsWith('.md') && t.startsWith(join(ROOT, 'docs')) && existsSync(t)) queue.push(t);
      }
    }
    expect(PAGES.filter((p) => !linked.has(p)).map((p) => relative(ROOT, p))).toEqual([]);
  });
});

describe('docs/rules/: a page per rule', () => {
  const rules = allRules();
  /** Whether a rule has a case table: its test beside it declares one (ruleTable), which checks its page. */
  const hasTable = (r: { surface: string; id: string }) => {
    const test = join(ROOT, 'src/surfaces', r.surface, 'rules', `${r.id}.test.ts`);
    return existsSync(test) && readFileSync(test, 'utf8').includes('ruleTable(');
  };

  it('every rule has its page, and every page is a rule', () => {
    const pages = markdownUnder(join(ROOT, 'docs/rules')).map((p) => relative(join(ROOT, 'docs'), p));
    expect(pages.sort()).toEqual(rules.map(rulePagePath).sort());
  });

  it.each(rules.filter((r) => !hasTable(r)).map((r) => [`${r.surface}/${r.id}`, r] as const))(
    'docs page of %s (no case table): its metadata, and no examples',
    (_key, r) => expectRulePage(r, renderRulePage(r, undefined, surfaceInfo()[r.surface])),
  );
});

/** What a source file must not cite: comments and rule docs say what they mean (docs/concepts.md). */
const SOURCE_REFERENCES: ReadonlyArray<[RegExp, string]> = [
  [/\bSPEC ?(§|section)/, 'cites a specification section: name the concept (docs/concepts.md#...) instead'],
  [/\.\.\/shared\/|\/work\/shared|shared\/domain/, 'points into a folder outside the repository'],
  [/\bissues? #?\d{1,3}\b(?!\d)/i, 'cites an issue number: say what it means instead'],
];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? sourcesUnder(p) : /\.(ts|mts|mjs|md)$/.test(d.name) ? [p] : [];
  });
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('src/', () => {
  const SELF = fileURLToPath(import.meta.url);
  const files = sourcesUnder(join(ROOT, 'src')).filter((f) => f !== SELF);

  it('never cites a specification section, an issue or a folder outside the repository', () => {
    const found = files.flatMap((f) =>
      outsideReferences(relative(ROOT, f), readFileSync(f, 'utf8'), SOURCE_REFERENCES),
    );
    expect(found).toEqual([]);
  });

  it('points only at docs/ pages and anchors that exist', () => {
    const broken: string[] = [];
    for (const f of files)
      for (const [, page, anchor] of readFileSync(f, 'utf8').matchAll(
        /(?<![\w/.\-'"`])docs\/([\w/-]+\.md)(?:#([\w-]+))?/g,
      )) {
        const path = join(ROOT, 'docs', page!);
        if (!existsSync(path)) broken.push(`${relative(ROOT, f)}: docs/${page}`);
        else if (anchor) {
          const anchors = [...readFileSync(path, 'utf8').matchAll(/^#+\s+(.*)$/gm)].map(([, h]) => anchorOf(h!));
          if (!anchors.includes(anchor)) broken.push(`${relative(ROOT, f)}: docs/${page}#${anchor}`);
        }
      }
    expect(broken).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find citations of the specification, of issues and of the shared folder', () => {
    const text = 'ok line\nthe gate (SPEC §2)\nsee ../shared/domain\nfixed in issue 12\nevent #5 was edited\n';
    expect(outsideReferences('x.md', text).map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      'x.md:2',
      'x.md:3',
      'x.md:4',
    ]);
  });

  it('make anchors as GitHub does', () => {
    expect(anchorOf('SLO phases')).toBe('slo-phases');
    expect(anchorOf('`slo report -o json` (schema `rollwright.slo/v1`)')).toBe(
      'slo-report--o-json-schema-rollwrightslov1',
    );
  });

  it('read relative links, not URLs, anchors or code', () => {
    const text = [
      '[a](docs/a.md#x) [b](https://example.com/b.md) [c](#local) ![d](images/d.png)',
      '`[e](not/a/link.md)`',
      '```',
      '[f](in/a/fence.md)',
      '```',
    ].join('\n');
    expect(relativeLinks(text)).toEqual([
      { target: 'docs/a.md', line: 1 },
      { target: 'images/d.png', line: 1 },
    ]);
  });
});
