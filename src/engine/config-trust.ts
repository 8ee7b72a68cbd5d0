/**
 * Which `.rollwright.yaml` governs a change: the head revision's, except where it loosens the gate
 * compared with the base revision's. A change cannot switch off, lower or ignore its way past its
 * own findings: those settings come from the base (the loosening is reported as core/config-loosened),
 * while tightenings in the change apply at once.
 */
import { inheritIgnoreOrigin, requiresDeclaration, ruleSettings, type RollwrightConfig } from '../core/config.js';
import { EVIDENCE_ITEMS } from '../core/vocabulary.js';
import { messageSpec, ruleKey, type AnyRule } from '../core/rule.js';
import type { Loosening } from '../surfaces/core/rules/index.js';

const RANK = { info: 1, warning: 2, error: 3 } as const;

/** How strongly a rule reports under a setting: 0 off, else the highest severity its messages get. */
function strength(config: RollwrightConfig, key: string, rule: AnyRule | undefined): number {
  const s = ruleSettings(config, key);
  if (s.off) return 0;
  if (s.severity) return RANK[s.severity];
  if (!rule) return RANK.error;
  return Math.max(...Object.keys(rule.messages).map((id) => RANK[messageSpec(rule, id).severity]));
}

function describeSetting(config: RollwrightConfig, key: string): string {
  const s = ruleSettings(config, key);
  if (s.off) return 'off';
  return s.severity ?? 'its default severity';
}

/** The 1-based line of the first line of `text` holding `needle` (1 when none does). */
export function lineOf(text: string, ...needles: string[]): number {
  const lines = text.split('\n');
  for (const needle of needles) {
    const i = lines.findIndex((l) => l.includes(needle));
    if (i >= 0) return i + 1;
  }
  return 1;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/**
 * The config a change is assessed under, from the base revision's (`base`) and the change's own
 * (`head`, whose text `headText` gives the lines of the findings), and what the change loosened.
 */
export function trustConfig(
  base: RollwrightConfig,
  head: RollwrightConfig,
  headText: string,
  rules: readonly AnyRule[],
): { config: RollwrightConfig; loosened: Loosening[] } {
  const config = structuredClone(head);
  const loosened: Loosening[] = [];
  const known = new Map(rules.map((r) => [ruleKey(r), r]));

  // Rules: switched off, a severity lowered, or options changed (an allow-list widened cannot be told from a narrowed one).
  for (const key of [...new Set([...Object.keys(base.rules), ...Object.keys(head.rules)])].sort()) {
    const rule = known.get(key);
    const b = strength(base, key, rule);
    const h = strength(head, key, rule);
    const optionsChanged = !same(ruleSettings(base, key).options, ruleSettings(head, key).options);
    if (h >= b && !optionsChanged) continue;
    const line = lineOf(headText, key);
    if (h < b) {
      const now = describeSetting(head, key);
      loosened.push({
        what: now === 'off' ? `rule ${key} switched off` : `rule ${key} lowered to ${now}`,
        kept: `${key} stays ${describeSetting(base, key)}`,
        line,
      });
    }
    if (optionsChanged)
      loosened.push({ what: `rule ${key} options changed`, kept: `the base revision's options apply`, line });
    const setting = base.rules[key];
    if (setting === undefined) delete config.rules[key];
    else config.rules[key] = structuredClone(setting);
    // A tightened severity with changed options: the severity applies, the options do not.
    if (h > b && optionsChanged) {
      const sev = ruleSettings(head, key).severity;
      const opts = ruleSettings(base, key).options;
      config.rules[key] = { ...(sev ? { severity: sev } : {}), ...(Object.keys(opts).length ? { options: opts } : {}) };
    }
  }

  // Ignores: an entry whose paths the base does not already ignore lifts findings the base would report,
  // and so does a rule (`ignore[].rules`) the base did not already ignore on those paths.
  const baseGlobs = new Set(base.ignore.flatMap((i) => i.paths));
  const baseRules = new Map<string, Set<string>>();
  for (const i of base.ignore)
    for (const p of i.paths) {
      const set = baseRules.get(p) ?? new Set<string>();
      for (const r of i.rules ?? []) set.add(r);
      baseRules.set(p, set);
    }
  config.ignore = [];
  for (const entry of head.ignore) {
    const added = entry.paths.filter((p) => !baseGlobs.has(p));
    const kept = entry.paths.filter((p) => baseGlobs.has(p));
    const rules = entry.rules ?? [];
    const newRules = rules.filter((r) => kept.some((p) => !baseRules.get(p)!.has(r)));
    if (added.length === 0 && newRules.length === 0) {
      const copy = structuredClone(entry);
      inheritIgnoreOrigin(entry, copy);
      config.ignore.push(copy);
      continue;
    }
    if (added.length)
      loosened.push({
        what: `ignore of ${added.join(', ')} added`,
        kept: 'the files are assessed as before',
        line: lineOf(headText, added[0]!),
      });
    if (newRules.length)
      loosened.push({
        what: `ignore of ${newRules.join(', ')} on ${kept.join(', ')} added`,
        kept: 'their findings count as before',
        line: lineOf(headText, newRules[0]!),
      });
    if (kept.length) {
      // The paths the base already ignored keep only the rules the base ignored on every one of them.
      const oldRules = rules.filter((r) => !newRules.includes(r));
      const reduced = { ...structuredClone(entry), paths: kept, ...(rules.length ? { rules: oldRules } : {}) };
      inheritIgnoreOrigin(entry, reduced);
      config.ignore.push(reduced);
    }
  }

  // Environments: removed, their paths narrowed, their declaration requirement or evidence dropped.
  for (const [name, b] of Object.entries(base.environments)) {
    const h = head.environments[name];
    if (!h) {
      loosened.push({
        what: `environment ${name} removed`,
        kept: `its paths and requirements stay`,
        line: lineOf(headText, 'environments:'),
      });
      config.environments[name] = structuredClone(b);
      continue;
    }
    const e = config.environments[name]!;
    const dropped = b.paths.filter((p) => !h.paths.includes(p));
    if (dropped.length) {
      loosened.push({
        what: `paths ${dropped.join(', ')} removed from environment ${name}`,
        kept: 'the files there still belong to it',
        line: lineOf(headText, `${name}:`),
      });
      e.paths = [...h.paths, ...dropped];
    }
    if (requiresDeclaration(base, name) && !requiresDeclaration(head, name)) {
      loosened.push({
        what: `environment ${name} no longer requires a declaration`,
        kept: 'a declaration is still required',
        line: lineOf(headText, 'requireDeclaration', `${name}:`),
      });
      e.requireDeclaration = true;
    }
    const bEvidence = b.evidence ?? [...EVIDENCE_ITEMS];
    const hEvidence = h.evidence ?? [...EVIDENCE_ITEMS];
    const gone = bEvidence.filter((x) => !hEvidence.includes(x));
    if (gone.length) {
      loosened.push({
        what: `evidence ${gone.join(', ')} no longer required in environment ${name}`,
        kept: 'the base revision’s evidence list applies',
        line: lineOf(headText, 'evidence', `${name}:`),
      });
      if (b.evidence) e.evidence = [...b.evidence];
      else delete e.evidence;
    }
  }

  // An older Kubernetes version hides the removed APIs of the one the cluster runs.
  const minor = (v: string) => Number(v.replace(/^v/, '').split('.')[1]);
  if (minor(head.kubernetes.version) < minor(base.kubernetes.version)) {
    loosened.push({
      what: `kubernetes.version lowered to ${head.kubernetes.version}`,
      kept: `APIs are judged against ${base.kubernetes.version}`,
      line: lineOf(headText, 'version'),
    });
    config.kubernetes.version = base.kubernetes.version;
  }
  return { config, loosened };
}
