/**
 * Narrow, reasoned acceptance of findings (docs/gate.md#accepting-a-finding). Three places own a
 * finding, each naming the rule and saying why:
 *
 * - the change's declaration, `accept: [{rule, object | file, reason}]` (kind `accepted`);
 * - an inline comment in the file the finding is about, `# rollwright-ignore <rule>: <reason>`
 *   (`-- ` in SQL, `#` or `//` in HCL) (kind `ignored`);
 * - an `ignore` entry of the config with `rules:` (kind `ignored`).
 *
 * An owned finding is still reported, with the reason; it no longer fails the gate and no longer sets
 * the class. A rule whose findings can never be accepted (a plaintext secret) is refused, an entry
 * that owns nothing is reported as stale (`core/unused-suppression`), a comment without a reason is an
 * input error naming its file and line.
 */
import type { ChangedFile } from '../core/change.js';
import { ignoreEntrySource, type RollwrightConfig } from '../core/config.js';
import type { Declaration } from '../core/declaration.js';
import { InputError } from '../core/errors.js';
import type { Finding, Suppression } from '../core/finding.js';
import { matchAny } from '../core/glob.js';
import type { RuleMeta } from '../core/rule.js';
import { closest as closestKey } from '../core/suggest.js';
import { RULE_KEY_RE } from '../core/vocabulary.js';
import { acceptEntrySource } from './declarations.js';

export interface SuppressInput {
  findings: readonly Finding[];
  /** The change's declaration (its `accept:` list). */
  declaration: Declaration | null;
  config: RollwrightConfig;
  /** The files of the change, whose inline comments are read. */
  files: readonly ChangedFile[];
  /** Every rule by key: unknown keys are stale, `neverAccepted` ones refused. */
  rules: ReadonlyMap<string, RuleMeta>;
  /** Rules this run did not look for (see assessChangeSet): a comment naming one is not stale for it. */
  notRun?: ReadonlySet<string>;
}

/** An acceptance that owns nothing, where it is written. */
export interface Stale {
  file: string;
  line: number;
  messageId: 'unknownRule' | 'unmatched';
  data: { what: string; rule: string; target: string; hint: string };
}

export interface SuppressResult {
  /** The findings, those owned carrying `suppression` (new objects; the input is not changed). */
  findings: Finding[];
  /** Problems of the declaration's `accept:` list, for the gate (a refused rule). */
  problems: string[];
  stale: Stale[];
}

/** An inline `rollwright-ignore` comment: its rules, reason, and the lines it covers. */
export interface IgnoreComment {
  rules: string[];
  reason: string;
  /** 1-based line of the comment. */
  line: number;
  /** The lines it covers, inclusive. */
  from: number;
  to: number;
  scope: 'line' | 'document' | 'file';
}

const DIRECTIVE = 'rollwright-ignore';

export function applySuppressions(input: SuppressInput): SuppressResult {
  const problems: string[] = [];
  const stale: Stale[] = [];
  const out = input.findings.map((f) => ({ ...f }));
  const own = (f: Finding, s: Suppression) => {
    if (f.suppression === undefined && input.rules.get(f.rule)?.neverAccepted === undefined) f.suppression = s;
  };
  const hint = (rule: string, target: string) => {
    const about = [...new Set(out.filter((f) => f.rule === rule).map((f) => f.object ?? f.file))].filter(
      (t) => t !== target,
    );
    if (about.length === 0) return '';
    const listed = about.slice(0, 3).join(', ') + (about.length > 3 ? ', ...' : '');
    return `; its findings here are about ${listed}`;
  };

  // 1. The declaration's accept list.
  const d = input.declaration;
  d?.accept?.forEach((entry, i) => {
    const where = acceptEntrySource(d, i);
    const [file, line] = splitSource(where);
    const what = `accept entry ${i + 1} of ${d.source}`;
    const rule = input.rules.get(entry.rule);
    if (!rule) {
      stale.push({ file, line, messageId: 'unknownRule', data: { what, rule: entry.rule, target: '', hint: ruleHint(entry.rule, input.rules) } });
      return;
    }
    if (rule.neverAccepted) {
      problems.push(`${where}: change.accept[${i}]: ${entry.rule} cannot be accepted: ${rule.neverAccepted}`);
      return;
    }
    const target = entry.object ?? normalizePath(entry.file!);
    const matches = out.filter(
      (f) => f.rule === entry.rule && (entry.object !== undefined ? f.object === entry.object : f.file === target),
    );
    if (matches.length === 0) {
      const data = { what, rule: entry.rule, target: `${entry.object !== undefined ? 'object' : 'file'} ${target}`, hint: hint(entry.rule, target) };
      stale.push({ file, line, messageId: 'unmatched', data });
      return;
    }
    for (const f of matches) own(f, { kind: 'accepted', reason: entry.reason, source: where, inSource: false });
  });

  // 2. Inline comments in the files of the change.
  const byFile = new Map<string, Finding[]>();
  for (const f of out) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const file of input.files) {
    const text = file.newText ?? file.oldText;
    if (text === undefined || !text.includes(DIRECTIVE)) continue;
    const comments = parseIgnoreComments(file.path, text);
    for (const c of comments) {
      for (const ruleKey of c.rules) {
        const what = `rollwright-ignore comment`;
        const rule = input.rules.get(ruleKey);
        if (!rule) {
          stale.push({ file: file.path, line: c.line, messageId: 'unknownRule', data: { what, rule: ruleKey, target: '', hint: ruleHint(ruleKey, input.rules) } });
          continue;
        }
        if (rule.neverAccepted)
          throw new InputError(`${ruleKey} cannot be ignored: ${rule.neverAccepted}`, file.path, c.line);
        const matches = (byFile.get(file.path) ?? []).filter((f) => f.rule === ruleKey && f.line >= c.from && f.line <= c.to);
        for (const f of matches)
          own(f, { kind: 'ignored', reason: c.reason, source: `${file.path}:${c.line}`, inSource: true });
        // A comment kept from before this change may wait for a finding another change makes: only a
        // comment this change writes is stale when it matches nothing.
        if (matches.length === 0 && !input.notRun?.has(ruleKey) && isNewLine(file, text, c.line))
          stale.push({
            file: file.path,
            line: c.line,
            messageId: 'unmatched',
            data: { what, rule: ruleKey, target: scopeText(c), hint: '' },
          });
      }
    }
  }

  // 3. The config's ignore entries that name rules. Repository-wide: one that matches nothing in this
  // change is not stale (another change may need it), one that names no rule is.
  input.config.ignore.forEach((entry, i) => {
    if (!entry.rules) return;
    const { file, line } = ignoreEntrySource(input.config, i);
    for (const ruleKey of entry.rules) {
      if (!input.rules.has(ruleKey)) {
        stale.push({ file, line, messageId: 'unknownRule', data: { what: `ignore entry ${i + 1} of ${file}`, rule: ruleKey, target: '', hint: ruleHint(ruleKey, input.rules) } });
        continue;
      }
      for (const f of out)
        if (f.rule === ruleKey && matchAny(f.file, entry.paths))
          own(f, { kind: 'ignored', reason: entry.reason, source: `${file}:${line}`, inSource: false });
    }
  });

  return { findings: out, problems, stale };
}

/**
 * The `rollwright-ignore` comments of a file. Where a comment applies:
 * - after code on the same line: that line;
 * - on a line of its own: the next line that is not blank or a comment, or, in YAML, the whole
 *   document when the comment sits in the document's leading comments (before its first node);
 * - `rollwright-ignore-file`: the whole file.
 * A comment without a rule or without a reason is an input error naming the file and line.
 */
export function parseIgnoreComments(path: string, text: string): IgnoreComment[] {
  const markers = commentMarkers(path);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const yaml = markers.length === 1 && markers[0] === '#';
  const isComment = (l: string) => markers.some((m) => l.trimStart().startsWith(m));
  const isContent = (l: string) => l.trim() !== '' && !isComment(l) && !(yaml && /^(---|\.\.\.)(\s|$)/.test(l));
  const re = new RegExp(`(^|\\s)(?:${markers.map(escape).join('|')})\\s*${DIRECTIVE}(-file)?(?=[\\s:]|$)(.*)$`);
  const out: IgnoreComment[] = [];
  let docStart = 1;
  let docHasContent = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    if (yaml && /^---(\s|$)/.test(l)) {
      docStart = lineNo;
      docHasContent = false;
      continue;
    }
    const m = re.exec(l);
    if (m) {
      const { rules, reason } = parseDirective(m[3]!, path, lineNo);
      const commentOnly = l.slice(0, m.index).trim() === '';
      if (m[2]) out.push({ rules, reason, line: lineNo, from: 1, to: lines.length, scope: 'file' });
      else if (!commentOnly) out.push({ rules, reason, line: lineNo, from: lineNo, to: lineNo, scope: 'line' });
      else if (yaml && !docHasContent) {
        let end = lines.length;
        for (let j = i + 1; j < lines.length; j++)
          if (/^---(\s|$)/.test(lines[j]!)) {
            end = j;
            break;
          }
        out.push({ rules, reason, line: lineNo, from: docStart, to: end, scope: 'document' });
      } else {
        let next = i + 1;
        while (next < lines.length && !isContent(lines[next]!)) next++;
        out.push({ rules, reason, line: lineNo, from: next + 1, to: next + 1, scope: 'line' });
      }
    }
    if (isContent(l)) docHasContent = true;
  }
  return out;
}

function parseDirective(rest: string, path: string, line: number): { rules: string[]; reason: string } {
  const usage = `write ${commentMarkers(path)[0]} ${DIRECTIVE} <surface>/<rule-id>: <reason>`;
  const colon = rest.indexOf(':');
  const head = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
  const rules = head.split(/[\s,]+/).filter(Boolean);
  if (rules.length === 0) throw new InputError(`${DIRECTIVE} names no rule: ${usage}`, path, line);
  for (const r of rules)
    if (!RULE_KEY_RE.test(r))
      throw new InputError(`${DIRECTIVE}: ${JSON.stringify(r)} is not a rule key (<surface>/<rule-id>): ${usage}`, path, line);
  if (!reason) throw new InputError(`${DIRECTIVE} ${rules.join(', ')} has no reason: ${usage}`, path, line);
  return { rules, reason };
}

/** The comment markers of a file: `--` in SQL, `#` and `//` in HCL, `#` elsewhere (YAML). */
export function commentMarkers(path: string): string[] {
  if (/\.sql$/i.test(path)) return ['--'];
  if (/\.(tf|hcl|tfvars)$/i.test(path)) return ['#', '//'];
  return ['#'];
}

function escape(s: string): string {
  return s.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&');
}

function scopeText(c: IgnoreComment): string {
  if (c.scope === 'file') return 'in this file';
  if (c.scope === 'document') return `in the document at lines ${c.from}-${c.to}`;
  return `at line ${c.from}`;
}

/** Whether line `line` of the file's new text is not in its old text (written by this change). */
function isNewLine(file: ChangedFile, text: string, line: number): boolean {
  if (file.oldText === undefined || file.newText === undefined) return true;
  const l = text.split('\n')[line - 1] ?? '';
  return !file.oldText.split('\n').includes(l);
}

function splitSource(source: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(source);
  return m ? [m[1]!, Number(m[2])] : [source, 1];
}

function normalizePath(p: string): string {
  return p.replace(/^(\.\/)+/, '');
}

function ruleHint(key: string, rules: ReadonlyMap<string, RuleMeta>): string {
  const guess = closestKey(key, [...rules.keys()]);
  return guess ? `: did you mean ${guess}?` : ' (see `rollwright rules`)';
}
