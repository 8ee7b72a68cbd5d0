/**
 * The rule reference (docs/rules.md), generated from rule metadata by `rollwright rules -o markdown`.
 * Pure and deterministic: no version, no date, so the file changes only when a rule does.
 */
import { CLASS_MEANING, ROLLBACK_CLASSES } from '../core/classes.js';
import type { Finding } from '../core/finding.js';
import { messageSpec, type RuleMeta } from '../core/rule.js';
import { keyOf, ruleAnchor } from './common.js';
import { code, escapeText, reference, table } from './md.js';

export interface SurfaceInfo {
  name: string;
  summary: string;
}

/** Rules sorted by key, as every listing shows them. */
export function sortRules<R extends RuleMeta>(rules: readonly R[]): R[] {
  return [...rules].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** The per-message outcomes of a rule with their effective class and severity, in declaration order. */
export function messagesOf(rule: RuleMeta): Array<{ id: string } & ReturnType<typeof messageSpec>> {
  return Object.keys(rule.messages).map((id) => ({ id, ...messageSpec(rule, id) }));
}

/** A trusted Markdown paragraph (rule docs) made safe for a table cell. */
function cell(md: string): string {
  return md.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

export function renderRulesDoc(
  rules: readonly RuleMeta[],
  surfaces: Readonly<Record<string, SurfaceInfo>> = {},
): string {
  const sorted = sortRules(rules);
  const bySurface = new Map<string, RuleMeta[]>();
  for (const r of sorted) bySurface.set(r.surface, [...(bySurface.get(r.surface) ?? []), r]);

  const out: string[] = [
    '# Rule reference',
    '',
    '<!-- Generated from the rule metadata by `npm run docs` (`rollwright rules -o markdown`). Do not edit by hand: a test fails when this file and the rules drift apart. -->',
    '',
    "Every rule rollwright runs, by surface. A finding's rollback class is its rule's class unless the message says otherwise; a change's class is the worst class of its findings.",
    '',
    'Rollback classes, from best to worst:',
    '',
    ...table(
      ['Class', 'Meaning'],
      ROLLBACK_CLASSES.map((c) => [code(c), escapeText(CLASS_MEANING[c])]),
    ),
    '',
    '## Rules',
    '',
    ...table(
      ['Rule', 'Class', 'Severity', 'Summary'],
      sorted.map((r) => [
        `[${code(keyOf(r))}](#${ruleAnchor(keyOf(r))})`,
        code(r.class),
        r.severity,
        cell(r.docs.summary),
      ]),
    ),
  ];

  for (const [surface, list] of bySurface) {
    const info = surfaces[surface];
    out.push('', `## ${surface}${info ? `: ${escapeText(info.name)}` : ''}`);
    if (info) out.push('', info.summary);
    for (const r of list) out.push('', ...ruleDoc(r));
  }
  return out.join('\n') + '\n';
}

/** One rule's section: anchor, heading, class, severity, summary, rationale, fix, messages, references. */
export function ruleDoc(r: RuleMeta): string[] {
  const key = keyOf(r);
  return [
    `<a name="${ruleAnchor(key)}"></a>`,
    '',
    `### ${key}`,
    '',
    `Its page, with a valid and an invalid case: [${rulePagePath(r)}](${rulePagePath(r)})`,
    '',
    ...ruleDocBody(r),
  ];
}

/** A rule's section without anchor and heading (also SARIF `help.markdown`). */
export function ruleDocBody(r: RuleMeta): string[] {
  const out = [
    `- Class: ${code(r.class)}`,
    `- Severity: ${r.severity}`,
    ...(r.neverAccepted
      ? [`- Gate: its error findings fail the gate whatever the declaration says, and cannot be accepted or ignored: ${r.neverAccepted}`]
      : r.blocksGate
        ? [
            '- Gate: its error findings fail the gate whatever the declaration says (the input must be fixed), unless one is accepted by name with a reason (`accept:` in the declaration, an inline `rollwright-ignore`, `ignore.rules` in the config)',
          ]
        : []),
    '',
    r.docs.summary,
    '',
    `**Why it matters.** ${r.docs.rationale}`,
  ];
  if (r.docs.fix) out.push('', `**Fix.** ${r.docs.fix}`);
  out.push(
    '',
    '**Messages**',
    '',
    ...table(
      ['Message', 'Class', 'Severity', 'Text'],
      messagesOf(r).map((m) => [code(m.id), code(m.class), m.severity, escapeText(m.text)]),
    ),
  );
  if (r.docs.references?.length)
    out.push('', '**References**', '', ...r.docs.references.map((ref) => `- ${reference(ref)}`));
  return out;
}

/** The same content as plain text, for SARIF `help.text`. */
export function ruleHelpText(r: RuleMeta): string {
  const lines = [r.docs.summary, '', `Why it matters: ${r.docs.rationale}`];
  if (r.docs.fix) lines.push('', `Fix: ${r.docs.fix}`);
  lines.push('', `Rollback class: ${r.class}. Messages:`);
  for (const m of messagesOf(r)) lines.push(`- ${m.id} (${m.class}, ${m.severity}): ${m.text}`);
  if (r.docs.references?.length) lines.push('', 'References:', ...r.docs.references.map((ref) => `- ${ref}`));
  return lines.join('\n');
}

/** Where a rule's own page is, relative to docs/: `rules/<surface>/<id>.md`. */
export function rulePagePath(r: Pick<RuleMeta, 'surface' | 'id'>): string {
  return `rules/${r.surface}/${r.id}.md`;
}

/** A case of a rule's table as its page shows it: the files at each side, and what the rule reported. */
export interface RuleExample {
  name: string;
  /** Files at the base and at the head (path to text); the change is the difference. */
  before: Readonly<Record<string, string>>;
  after: Readonly<Record<string, string>>;
  /** Files present, unchanged, at both sides (what a repository-wide lookup finds). */
  unchanged: Readonly<Record<string, string>>;
  /** The `.rollwright.yaml` of the case, when it has one. */
  config?: Readonly<Record<string, unknown>>;
  /** What the rule reported on it (none for a valid case). */
  findings: ReadonlyArray<Pick<Finding, 'messageId' | 'class' | 'severity' | 'file' | 'line' | 'message'>>;
}

/**
 * A rule's page (docs/rules/<surface>/<id>.md): its metadata as in the reference, and one valid and one
 * invalid case of its case table with what the rule reports on it. A rule without a case table (the
 * engine makes its findings) has no examples, and the page says so.
 */
export function renderRulePage(
  r: RuleMeta,
  examples: { valid?: RuleExample; invalid?: RuleExample } | undefined,
  surface?: SurfaceInfo,
): string {
  const key = keyOf(r);
  const out = [
    `# ${key}`,
    '',
    "<!-- Generated from the rule's metadata and its case table by `npm run docs`. Do not edit by hand: a test fails when this page and the rule drift apart. -->",
    '',
    `[Rule reference](../../rules.md#${ruleAnchor(key)})${surface ? ` · surface \`${r.surface}\`: ${escapeText(surface.name)}` : ''}`,
    '',
    ...ruleDocBody(r),
    '',
    '## Examples',
    '',
  ];
  if (!examples) {
    out.push(
      'This rule has no case table of changes: the engine itself makes its findings (about a file, a rule or a target rather than what a change does to one), and the tests beside the code that reports it say when it fires.',
    );
    return out.join('\n') + '\n';
  }
  out.push(
    `From the rule's case table (\`src/surfaces/${r.surface}/rules/${r.id}.test.ts\`), which runs each case through the surface's real assessment with every other rule turned off.`,
  );
  if (examples.valid) out.push('', `### Valid: ${escapeText(examples.valid.name)}`, '', ...exampleBody(examples.valid));
  if (examples.invalid)
    out.push('', `### Invalid: ${escapeText(examples.invalid.name)}`, '', ...exampleBody(examples.invalid));
  return out.join('\n') + '\n';
}

function exampleBody(e: RuleExample): string[] {
  const out: string[] = [];
  const files = (title: string, fs: Readonly<Record<string, string>>) => {
    const paths = Object.keys(fs).sort();
    if (!paths.length) return;
    out.push(`${title}:`, '');
    for (const p of paths) out.push(`${code(p)}`, '', ...fenced(fs[p]!, languageOf(p)), '');
  };
  if (e.config) out.push('`.rollwright.yaml`:', '', ...fenced(JSON.stringify(e.config, null, 2), 'yaml'), '');
  files('At the base', e.before);
  files('At the head', e.after);
  files('Unchanged at both', e.unchanged);
  if (e.findings.length === 0) out.push('The rule reports nothing.');
  else
    out.push(
      'The rule reports:',
      '',
      ...table(
        ['Message', 'Class', 'Severity', 'Where', 'Text'],
        e.findings.map((f) => [
          code(f.messageId),
          code(f.class),
          f.severity,
          code(`${f.file}:${f.line}`),
          escapeText(f.message),
        ]),
      ),
    );
  return out;
}

function languageOf(path: string): string {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return (
    { yaml: 'yaml', yml: 'yaml', sql: 'sql', tf: 'hcl', tofu: 'hcl', hcl: 'hcl', json: 'json', rego: 'rego' }[ext] ??
    'text'
  );
}

/** A fenced code block that survives any content: the fence is longer than any backtick run inside. */
function fenced(text: string, lang: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, ...text.replace(/\n$/, '').split('\n'), fence];
}
