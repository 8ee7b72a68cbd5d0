/**
 * Helpers shared by the reporters and the rule reference: links into docs/rules.md, the tool
 * version, short revisions, severity counts, and plain ANSI colour. Everything here is pure.
 */
import { CLASS_MEANING, compareClasses, type RollbackClass } from '../core/classes.js';
import { classOfFindings, type Finding, type Severity, type Suppression } from '../core/finding.js';
import type { Assessment } from '../engine/assess.js';
import type { RuleMeta } from '../core/rule.js';

/** Where the project lives; the rule reference is `docs/rules.md` in its default branch. */
export const PROJECT_URL = 'https://github.com/rollwright/rollwright';
export const RULES_DOC_URL = `${PROJECT_URL}/blob/main/docs/rules.md`;

declare const __VERSION__: string | undefined;
/** The version the bundle was built as (esbuild defines `__VERSION__`), `0.0.0-dev` from source. */
export const TOOL_VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** `<surface>/<id>`, the key findings carry in `rule`. */
export function keyOf(rule: Pick<RuleMeta, 'surface' | 'id'>): string {
  return `${rule.surface}/${rule.id}`;
}

/** The HTML anchor of a rule's section in docs/rules.md: `kubernetes-stateless-object-deleted`. */
export function ruleAnchor(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function ruleDocUrl(key: string, base: string = RULES_DOC_URL): string {
  return `${base}#${ruleAnchor(key)}`;
}

/** Full commit ids are shown as 12 characters (as git's own messages here do); other values as they are. */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(rev) ? rev.slice(0, 12) : rev;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** `3 findings: 1 error, 1 warning, 1 info` */
export function summaryLine(findings: readonly Finding[]): string {
  const c = countSeverities(findings);
  const n = findings.length;
  const owned = findings.filter((f) => f.suppression).length;
  return (
    `${n} finding${n === 1 ? '' : 's'}: ${c.error} error, ${c.warning} warning, ${c.info} info` +
    (owned ? ` (${owned} accepted or ignored)` : '')
  );
}

/** `accepted: <reason> (<where>)`: how a finding a person owned is shown under it. */
export function suppressionText(s: Suppression): string {
  return `${s.kind}: ${s.reason} (${s.source})`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Most severe first; ties keep their (already deterministic) order. */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}

/** `48h`, or `appImage=24h, databaseSchema=until-contract-phase` for per-surface windows. */
export function windowText(w: string | Record<string, string> | undefined): string | undefined {
  if (w === undefined) return undefined;
  if (typeof w === 'string') return w;
  const parts = Object.entries(w).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : undefined;
}

// Plain ANSI SGR codes: no dependency, and nothing is emitted when colour is off.
const SGR = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  boldRed: '1;31',
  boldGreen: '1;32',
} as const;
export type Style = keyof typeof SGR;

export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  return color ? (style, text) => (text === '' ? text : `\u001b[${SGR[style]}m${text}\u001b[0m`) : (_s, text) => text;
}

export const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

export const CLASS_STYLE: Record<RollbackClass, Style> = {
  'fully-reversible': 'green',
  'reversible-with-compatibility-window': 'cyan',
  'reversible-with-manual-repair': 'yellow',
  'forward-only': 'magenta',
  compensatable: 'magenta',
  'non-recoverable-without-restore': 'boldRed',
};

/**
 * What could not be assessed, in words, for the text and markdown summaries: `head` says whether the
 * class is held because of it (the class of what was assessed is better than the change's) and what
 * the assessed part alone would be; `lines` name each input with what would let it be assessed.
 * Entries that do not hold the class (an info finding: a failure identical at base and head, which is
 * not the change's) are listed too. Assessments stored before the list existed have none.
 */
export function unassessedSummary(
  a: Pick<Assessment, 'unassessed' | 'class' | 'findings'>,
): { head: string; lines: string[]; heldOnly: boolean } | undefined {
  const list = a.unassessed ?? [];
  if (list.length === 0) return undefined;
  const assessed = classOfFindings(a.findings.filter((f) => !f.unassessed));
  const holding = list.filter((u) => u.holdsClass).length;
  const n = (k: number) => (k === 1 ? 'one input' : `${k} inputs`);
  let head: string;
  const heldOnly = holding > 0 && compareClasses(assessed, a.class) < 0;
  if (heldOnly)
    head = `class held at ${a.class} because ${n(holding)} could not be assessed (not evidence that data is destroyed; what was assessed alone is ${assessed})`;
  else if (holding > 0) head = `not assessed: ${n(holding)} (the class ${a.class} comes from what was assessed)`;
  else head = `not assessed, without holding the class: ${n(list.length)}`;
  const lines = list.map((u) => `${u.file}:${u.line}: ${u.reason}; to assess it: ${u.remedy}`);
  return { head, lines, heldOnly };
}

/**
 * The meaning printed beside the change's class: the class's own, unless the class is only held because
 * something could not be assessed (then it says so, never "data destroyed").
 */
export function classMeaning(a: Pick<Assessment, 'unassessed' | 'class' | 'findings'>): string {
  return unassessedSummary(a)?.heldOnly
    ? 'held at the conservative end: part of the change could not be assessed'
    : CLASS_MEANING[a.class];
}
