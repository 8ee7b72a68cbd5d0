/**
 * `-o comment`: the pull-request comment people read. In order: the verdict (the gate and the class),
 * the gate's reasons, open; a paste-ready declaration with the inferred class and the irreversible
 * effects filled in (when the gate failed for want of one, or the one there says less than the
 * evidence); one line per finding, grouped by file; then, folded, the full table, the docs of every
 * rule that fired and the skipped files. Cut to GitHub's comment limit (65,536 characters) with a note
 * of what was cut. Every piece of repository text is escaped (md.ts).
 */
import { compareClasses, type RollbackClass } from '../core/classes.js';
import type { Finding, Severity } from '../core/finding.js';
import { printable } from '../core/printable.js';
import type { Assessment } from '../engine/assess.js';
import { classMeaning, keyOf, RULES_DOC_URL, shortRev, summaryLine, unassessedSummary } from './common.js';
import { declarationLine, FINDINGS_TABLE_HEADER, findingRow, ruleSection, sortedFindings } from './markdown.js';
import { code, escapeText, row } from './md.js';
import type { ResolvedRenderOptions } from './options.js';

/** GitHub's limit on a comment body, in characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept for the sticky marker line the poster puts first (`<!-- rollwright:assess env=... project=... -->`). */
const MARKER_ROOM = 400;
const MAX_REASON = 2_000;
const MAX_EFFECTS = 20;

const IRREVERSIBLE: readonly RollbackClass[] = ['compensatable', 'non-recoverable-without-restore'];
const ICON: Record<Severity, string> = { error: ':x:', warning: ':warning:', info: ':information_source:' };

export interface CommentOptions extends ResolvedRenderOptions {
  /** The character budget (default 65,536 less room for the marker). */
  limit?: number;
}

/** A block of the comment: `head` is shown whole or not at all, `items` one by one while they fit. */
interface Block {
  name: string;
  head: string[];
  items: string[][];
  tail: string[];
  /** How many findings (or rules, files) an item stands for, to say what was cut. */
  unit: string;
}

export function renderComment(a: Assessment, opts: CommentOptions): string {
  const limit = (opts.limit ?? COMMENT_LIMIT) - MARKER_ROOM;
  const docsUrl = opts.docsUrl ?? RULES_DOC_URL;
  const rules = new Map(opts.rules.map((r) => [keyOf(r), r]));
  const findings = sortedFindings(a.findings);

  const top = verdict(a);
  const optional: Block[] = [];
  if (findings.length) optional.push(byFile(findings));
  if (findings.length)
    optional.push({
      name: 'the full table',
      head: [
        '<details>',
        `<summary>All findings (${findings.length}), most severe first</summary>`,
        '',
        row(FINDINGS_TABLE_HEADER),
        row(FINDINGS_TABLE_HEADER.map(() => '---')),
      ],
      items: findings.map((f) => [row(findingRow(f, rules, docsUrl))]),
      tail: ['', '</details>', ''],
      unit: 'table row',
    });
  const fired = [...new Set(findings.map((f) => f.rule))].sort();
  if (fired.length)
    optional.push({
      name: 'the rule docs',
      head: ['<details>', `<summary>What the rules that fired check (${fired.length})</summary>`, ''],
      items: fired.map((key) => [...ruleSection(key, rules.get(key), docsUrl), '']),
      tail: ['</details>', ''],
      unit: 'rule',
    });
  if (a.skipped.length)
    optional.push({
      name: 'the skipped files',
      head: ['<details>', `<summary>Skipped files (${a.skipped.length}): not assessed</summary>`, ''],
      items: a.skipped.map((s) => [`- ${code(s.file)}: ${escapeText(s.reason)}`]),
      tail: ['', '</details>', ''],
      unit: 'skipped file',
    });

  const out = [...top];
  let size = length(out);
  const cuts: string[] = [];
  // Reserve room for the note of what was cut, so that writing it never breaks the limit.
  const NOTE_ROOM = 600;
  for (const block of optional) {
    const fixed = length(block.head) + length(block.tail);
    const taken: string[] = [];
    let kept = 0;
    if (size + fixed + NOTE_ROOM <= limit)
      for (const item of block.items) {
        const n = length(item);
        if (size + fixed + length(taken) + n + NOTE_ROOM > limit) break;
        taken.push(...item);
        kept++;
      }
    if (kept === 0) {
      cuts.push(`${block.name} (${plural(block.items.length, block.unit)})`);
      continue;
    }
    out.push(...block.head, ...taken, ...block.tail);
    size = length(out);
    if (kept < block.items.length) cuts.push(`${plural(block.items.length - kept, block.unit)} of ${block.name}`);
  }
  if (cuts.length)
    out.push(
      `> [!NOTE]`,
      `> Cut to fit GitHub's ${COMMENT_LIMIT.toLocaleString('en')}-character comment limit: left out ${cuts.join('; ')}. ` +
        'The job summary and `rollwright assess -o markdown` or `-o json` have all of it.',
      '',
    );
  let text = out.join('\n').replace(/\n+$/, '') + '\n';
  // The verdict alone over the limit (thousands of gate reasons): cut hard, still saying so.
  if (text.length > limit) {
    const note = `\n\n> [!NOTE]\n> Cut at ${limit} characters to fit GitHub's comment limit: run \`rollwright assess\` for the rest.\n`;
    text = text.slice(0, limit - note.length).replace(/\n[^\n]*$/, '') + note;
  }
  return text;
}

function verdict(a: Assessment): string[] {
  const out: string[] = [];
  const passed = a.gate.passed;
  out.push(
    `### ${passed ? ':white_check_mark:' : ':x:'} rollwright: gate **${passed ? 'passed' : 'failed'}**, rollback class ${code(a.class)}`,
    '',
    `${escapeText(capital(classMeaning(a)))}.`,
    '',
  );
  const facts = [`Range ${code(`${shortRev(a.base)}..${shortRev(a.head)}`)}`];
  if (a.environments.length)
    facts.push(`environment${a.environments.length === 1 ? '' : 's'} ${a.environments.map(code).join(', ')}`);
  out.push(`${facts.join(', ')}. ${summaryLine(a.findings)}. ${declarationLine(a)}`, '');

  if (!passed && a.gate.reasons.length) {
    out.push(`**Why the gate failed:**`, '');
    for (const r of a.gate.reasons) out.push(`- ${escapeText(cut(r, MAX_REASON))}`);
    out.push('');
  }
  const unassessed = unassessedSummary(a);
  if (unassessed) {
    out.push(`**${escapeText(capital(unassessed.head))}:**`, '');
    for (const l of unassessed.lines.slice(0, 20)) out.push(`- ${escapeText(cut(l, MAX_REASON))}`);
    if (unassessed.lines.length > 20) out.push(`- and ${unassessed.lines.length - 20} more`);
    out.push('');
  }
  const skeleton = declarationSkeleton(a);
  if (skeleton) out.push(...skeleton, '');
  return out;
}

/**
 * A declaration to paste when the gate asks for one, or when the one there is more optimistic than
 * the evidence or leaves out the irreversible effects: the inferred class, the irreversible findings
 * as effects, what the existing declaration already says, and placeholders for what only a person knows.
 */
export function declarationSkeleton(a: Assessment): string[] | undefined {
  const d = a.declaration;
  // What was not read is not an effect: it holds the class, and the reasons above say so.
  const irreversible = a.findings.filter(
    (f) => f.severity !== 'info' && !f.unassessed && !f.suppression && IRREVERSIBLE.includes(f.class),
  );
  const needs =
    !a.gate.passed &&
    (!d ||
      (d.rollbackClass !== undefined && compareClasses(d.rollbackClass, a.class) < 0) ||
      d.rollbackClass === undefined ||
      !d.rollbackMethod ||
      (irreversible.length > 0 && !(d.irreversibleEffects ?? []).some((e) => e.trim() && !/^none\b/i.test(e.trim()))));
  if (!needs) return undefined;
  const env = d?.environment ?? a.environments[0];
  const lines = ['change:'];
  lines.push(`  id: ${yamlString(d?.id ?? 'CHG-XXXX')}${d?.id ? '' : '  # your change id'}`);
  if (env) lines.push(`  environment: ${yamlString(env)}`);
  lines.push(`  rollbackClass: ${a.class}  # inferred from the findings below`);
  const window = d?.rollbackWindow;
  if (window !== undefined && typeof window === 'object' && Object.keys(window).length) {
    lines.push('  rollbackWindow:');
    for (const [k, v] of Object.entries(window)) lines.push(`    ${yamlString(k)}: ${yamlString(v)}`);
  } else if (typeof window === 'string' && window) lines.push(`  rollbackWindow: ${yamlString(window)}`);
  else if (a.class === 'reversible-with-compatibility-window')
    lines.push('  rollbackWindow: 48h  # how long the old version keeps working');
  lines.push(
    `  rollbackMethod: ${d?.rollbackMethod ? yamlString(d.rollbackMethod) : yamlString('TODO: how this change is undone (the exact steps)')}`,
  );
  if (irreversible.length) {
    lines.push('  irreversibleEffects:');
    for (const f of irreversible.slice(0, MAX_EFFECTS))
      lines.push(`    - ${yamlString(`${f.message} (${f.file}:${f.line})`)}`);
    if (irreversible.length > MAX_EFFECTS)
      lines.push(`    # and ${irreversible.length - MAX_EFFECTS} more: rollwright assess lists them all`);
  }
  const verification = d?.verification?.filter((v) => v.trim()) ?? [];
  lines.push('  verification:');
  if (verification.length) for (const v of verification) lines.push(`    - ${yamlString(v)}`);
  else lines.push(`    - ${yamlString('TODO: the signal that shows the rollback worked (error rate < 1%)')}`);
  const file = d && !d.source.startsWith('trailer:') ? d.source : `.rollwright/changes/${d?.id ?? 'CHG-XXXX'}.yaml`;
  const body = lines.join('\n');
  const fence = fenceFor(body);
  return [
    `**Declaration to ${d && !d.source.startsWith('trailer:') ? 'update in' : 'add as'} ${code(file)}** (the class and effects come from the evidence${body.includes('TODO:') ? '; fill in the TODOs' : ''}):`,
    '',
    `${fence}yaml`,
    body,
    fence,
  ];
}

function byFile(findings: readonly Finding[]): Block {
  const files = new Map<string, Finding[]>();
  for (const f of findings) (files.get(f.file) ?? files.set(f.file, []).get(f.file)!).push(f);
  const items: string[][] = [];
  for (const file of [...files.keys()].sort()) {
    const fs = files.get(file)!.sort((x, y) => x.line - y.line || x.rule.localeCompare(y.rule));
    items.push([
      `${code(file)}`,
      ...fs.map(
        (f) =>
          `- ${ICON[f.severity]} line ${f.line}: ${escapeText(cut(f.message, MAX_REASON))} (${code(f.rule)}, ${code(f.class)})` +
          (f.suppression ? ` **${f.suppression.kind}**: ${escapeText(cut(f.suppression.reason, MAX_REASON))}` : ''),
      ),
      '',
    ]);
  }
  return { name: 'the findings by file', head: ['**Findings by file:**', ''], items, tail: [], unit: 'file' };
}

/** A YAML double-quoted scalar (a JSON string is one), so that no text can change the document's shape. */
function yamlString(s: string): string {
  const p = printable(s);
  return /^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/.test(p) && !/^(true|false|null|yes|no|on|off|~)$/i.test(p)
    ? p
    : JSON.stringify(p);
}

/** A code fence longer than any run of backticks in the body. */
function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function length(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
