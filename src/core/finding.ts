import { worst, type RollbackClass } from './classes.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** Where a finding points: a file path relative to the repository root, 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  column?: number;
}

export type MessageData = Record<string, string | number | boolean>;

/**
 * One thing rollwright found about a change. `rule` is `<surface>/<rule-id>`; `class` is how this
 * particular effect could be undone. Field names are the JSON contract of `assess -o json`.
 */
export interface Finding {
  rule: string;
  surface: string;
  class: RollbackClass;
  severity: Severity;
  message: string;
  messageId: string;
  file: string;
  line: number;
  column?: number;
  /** `<group>/<kind>/<namespace>/<name>`; core group is empty, cluster-scoped namespace is empty. */
  object?: string;
  /** Message parameters, never secret values. Useful to the decision engine and to bots. */
  data?: MessageData;
  /**
   * Present when the finding is about something rollwright could not read or render (a file that does
   * not parse, an overlay that does not render): what could not be assessed and what would let it be.
   * Such a finding holds the class at the conservative end (when it is a warning or an error), and it
   * never means that anything was destroyed.
   */
  unassessed?: Unassessed;
  /**
   * Present when a person owned the finding: accepted in the change's declaration (`accept:`), or
   * ignored by an inline `rollwright-ignore` comment or an `ignore` entry of the config. The finding is
   * still reported, with the reason; it no longer fails the gate and no longer sets the change's class.
   */
  suppression?: Suppression;
}

/**
 * Who owned a finding and why. `kind`: `accepted` (a declaration's `accept:` entry) or `ignored` (an
 * inline comment or the config's `ignore`); `source`: where that was written (`file:line` of the
 * entry or comment, or the config file); `inSource`: written in the file the finding is about.
 */
export interface Suppression {
  kind: 'accepted' | 'ignored';
  reason: string;
  source: string;
  inSource: boolean;
}

/** What could not be assessed (`reason`) and what would let it be assessed (`remedy`). */
export interface Unassessed {
  reason: string;
  remedy: string;
}

/**
 * Whether a finding takes part in the change's class: warnings and errors do; an `info` finding carries
 * its class for the record but never raises the change's (a note about a property the change did not
 * make different, a framework's constant, a failure that is not the change's), and neither does a
 * finding a person accepted or ignored with a reason.
 */
export function setsClass(f: Pick<Finding, 'severity' | 'suppression'>): boolean {
  return f.severity !== 'info' && f.suppression === undefined;
}

/** A change's class: the worst class among its findings of severity warning and above, not accepted or ignored. */
export function classOfFindings(
  findings: readonly Pick<Finding, 'severity' | 'class' | 'suppression'>[],
): RollbackClass {
  return worst(findings.filter(setsClass).map((f) => f.class));
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    cmp(a.rule, b.rule) ||
    cmp(a.object ?? '', b.object ?? '') ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fills `{{name}}` placeholders; unknown placeholders stay visible so a missing datum is noticed in tests. */
export function formatMessage(template: string, data: MessageData = {}): string {
  const parts = templateParts(template);
  if (parts.length === 1) return template;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) {
    const key = parts[i]!;
    out += (Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : parts[i + 1]!) + parts[i + 2]!;
  }
  return out;
}

/**
 * A template cut once at its placeholders: [text, key, placeholder as written, text, key, ...]. A rule's
 * few templates fill thousands of findings in a large change.
 */
const templates = new Map<string, string[]>();
function templateParts(template: string): string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = [];
    const re = /\{\{\s*(\w+)\s*\}\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      parts.push(template.slice(last, m.index), m[1]!, m[0]);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    templates.set(template, parts);
  }
  return parts;
}
