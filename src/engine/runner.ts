import type { Finding, Location, MessageData } from '../core/finding.js';
import { formatMessage } from '../core/finding.js';
import { messageSpec, ruleKey, type AnyRule, type Report, type ReportExtra, type Rule } from '../core/rule.js';
import { ruleSettings, type RollwrightConfig } from '../core/config.js';
import { redactUrls } from '../core/redact.js';
import { ruleFailed } from '../surfaces/core/rules/index.js';

/**
 * Runs rules and collects their findings, applying the config (rules turned off, severities
 * overridden, options re-parameterised). A rule that throws becomes a `core/rule-failed` finding.
 * Credentials in URLs (an Argo CD repoURL `https://user:token@host/...`, a Helm repository, a
 * remote base) are redacted from every message and datum, whichever rule quoted them.
 */
export class RuleRunner {
  readonly findings: Finding[] = [];
  /** The fact each finding states, for findings whose message declares one (see dedupeFacts). */
  readonly facts = new Map<Finding, { id: string; rank: number }>();

  /** File paths and object ids, one flat copy each for all the findings that name them (see `flat`). */
  private readonly names = new Map<string, string>();

  private shared(s: string): string {
    let out = this.names.get(s);
    if (out === undefined) this.names.set((out = flat(s)), out);
    return out;
  }

  /**
   * `skip`: rules not run at all (their findings would be dropped: `treeOnly` rules on a change, rules
   * that only describe changes on a tree).
   */
  constructor(
    private readonly config: RollwrightConfig,
    private readonly skip?: (key: string) => boolean,
  ) {}

  reporter<M extends string>(rule: Rule<any, M>): Report<M> {
    const key = ruleKey(rule);
    const settings = ruleSettings(this.config, key);
    // A rule reports thousands of findings from a few messages in a large change: each message's spec once.
    const specs = new Map<string, ReturnType<typeof messageSpec>>();
    return (messageId: M, data: MessageData, at: Location, extra?: ReportExtra) => {
      if (settings.off) return;
      let spec = specs.get(messageId);
      if (!spec) specs.set(messageId, (spec = messageSpec(rule, messageId)));
      // Properties in this order (the JSON report's), the optional ones only when present.
      const finding: Finding = {
        rule: key,
        surface: rule.surface,
        class: spec.class,
        severity: settings.severity ?? spec.severity,
        message: flat(redactUrls(formatMessage(spec.text, data))),
        messageId,
        file: this.shared(at.file),
        line: at.line,
      };
      if (at.column !== undefined) finding.column = at.column;
      if (extra?.object) finding.object = this.shared(extra.object);
      for (const k in data)
        if (Object.prototype.hasOwnProperty.call(data, k)) {
          finding.data = flatData(redactData(data));
          break;
        }
      if (spec.unassessed)
        finding.unassessed = {
          reason:
            spec.unassessed.reason !== undefined ? flat(formatMessage(spec.unassessed.reason, data)) : finding.message,
          remedy: flat(formatMessage(spec.unassessed.remedy, data)),
        };
      if (spec.fact) {
        const id = spec.fact.id(data);
        if (id !== undefined) this.facts.set(finding, { id, rank: spec.fact.rank });
      }
      this.findings.push(finding);
    };
  }

  async run<Ctx>(rules: readonly Rule<Ctx, string>[], ctx: Ctx, fallback: Location): Promise<void> {
    for (const rule of rules) {
      const key = ruleKey(rule);
      if (this.skip?.(key)) continue;
      const settings = ruleSettings(this.config, key);
      if (settings.off) continue;
      // Options were validated when the config was loaded; defaults fill what it leaves out.
      const options: Record<string, unknown> = { ...rule.options?.defaults, ...settings.options };
      try {
        await rule.check({ ...ctx, report: this.reporter(rule), options });
      } catch (e) {
        this.reporter(ruleFailed)('failed', { rule: key, error: e instanceof Error ? e.message : String(e) }, fallback);
      }
    }
  }
}

export function allRuleKeys(rules: readonly AnyRule[]): Set<string> {
  return new Set(rules.map(ruleKey));
}

/**
 * A copy of `s` that keeps nothing else alive. A finding outlives the batch of files it was found in,
 * and its strings are mostly substrings of those files' texts (the parser's scalars) or concatenations
 * of them, which V8 keeps as references into the whole text: 150,000 findings kept every changed
 * file's text alive. Strings shorter than 13 characters are always flat copies in V8; a longer one is
 * copied through JSON, which makes a flat string of its own (a `slice` of a copy would keep a slice
 * header and the copy: twice the memory), exactly, lone surrogates included.
 */
function flat(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The finding's data with every string copied flat (see `flat`), keys in the same order. */
function flatData(data: MessageData): MessageData {
  const out: Record<string, string | number | boolean> = {};
  for (const k in data)
    if (Object.prototype.hasOwnProperty.call(data, k)) {
      const v = data[k]!;
      out[k] = typeof v === 'string' ? flat(v) : v;
    }
  return out;
}

/** The finding's data with credentials taken out of every string that holds a URL. */
function redactData(data: MessageData): MessageData {
  let out: Record<string, unknown> | undefined;
  for (const k in data) {
    const v = (data as Record<string, unknown>)[k];
    if (typeof v === 'string' && v.includes('://')) {
      const r = redactUrls(v);
      if (r !== v) (out ??= { ...data })[k] = r;
    }
  }
  return (out ?? data) as MessageData;
}
