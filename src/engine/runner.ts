import type { Finding, Location, MessageData } from '../core/finding.js';
import { formatMessage } from '../core/finding.js';
import { messageSpec, ruleKey, type AnyRule, type Report, type ReportExtra, type Rule } from '../core/rule.js';
import { ruleSettings, type RollwrightConfig } from './config.js';
import { ruleFailed } from './rules/index.js';

/**
 * Runs rules and collects their findings, applying the config (rules turned off, severities
 * overridden, options re-parameterised). A rule that throws becomes a `core/rule-failed` finding.
 */
export class RuleRunner {
  readonly findings: Finding[] = [];

  constructor(private readonly config: RollwrightConfig) {}

  reporter<M extends string>(rule: Rule<any, M>): Report<M> {
    const key = ruleKey(rule);
    const settings = ruleSettings(this.config, key);
    return (messageId: M, data: MessageData, at: Location, extra?: ReportExtra) => {
      if (settings.off) return;
      const spec = messageSpec(rule, messageId);
      this.findings.push({
        rule: key,
        surface: rule.surface,
        class: spec.class,
        severity: settings.severity ?? spec.severity,
        message: formatMessage(spec.text, data),
        messageId,
        file: at.file,
        line: at.line,
        ...(at.column !== undefined ? { column: at.column } : {}),
        ...(extra?.object ? { object: extra.object } : {}),
        ...(Object.keys(data).length ? { data } : {}),
      });
    };
  }

  async run<Ctx>(rules: readonly Rule<Ctx, string>[], ctx: Ctx, fallback: Location): Promise<void> {
    for (const rule of rules) {
      const key = ruleKey(rule);
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
