import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionOf, messageSpec, ruleKey, type AnyRule } from './core/rule.js';
import { allRules, ruleFamilies, surfaces } from './registry.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The path a rule key `s/id` is always found at. */
const rulePath = (r: Pick<AnyRule, 'surface' | 'id'>) => `surfaces/${r.surface}/rules/${r.id}.ts`;

/** Every rule module on disk: src/surfaces/<s>/rules/<id>.ts, less case tables and rule lists. */
function ruleFilesOnDisk(): string[] {
  return readdirSync(here('./surfaces'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(here(`./surfaces/${d.name}/rules`)))
    .flatMap((d) =>
      readdirSync(here(`./surfaces/${d.name}/rules`))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
        .map((f) => `surfaces/${d.name}/rules/${f}`),
    )
    .sort();
}

describe('registry', () => {
  it('lists exactly the surface folders: surfaces and rule families, each list sorted', () => {
    const folders = readdirSync(here('./surfaces'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const ids = (list: readonly { id: string }[]) => list.map((s) => s.id);
    expect(ids(surfaces)).toEqual([...ids(surfaces)].sort());
    expect(ids(ruleFamilies)).toEqual([...ids(ruleFamilies)].sort());
    expect([...ids(surfaces), ...ids(ruleFamilies)].sort()).toEqual(folders);
  });

  it('every rule file on disk is registered, and every registered rule is at the path its key names', () => {
    // Both directions: a rule file missing from its rules/index.ts would never run; a rule registered
    // from anywhere but src/surfaces/<surface>/rules/<id>.ts could not be found from its key.
    expect(allRules().map(rulePath).sort()).toEqual(ruleFilesOnDisk());
  });

  it.each(allRules().map((r) => [ruleKey(r), r] as const))('%s is the default export of its file', async (_, r) => {
    const file = `./${rulePath(r).replace(/\.ts$/, '.js')}`;
    const mod = (await import(/* @vite-ignore */ file)) as { default?: AnyRule };
    expect(mod.default).toBe(r);
  });

  it.each([...surfaces, ...ruleFamilies].map((s) => [s.id, s] as const))('%s: its rules carry its id', (id, s) => {
    for (const r of s.rules) expect(r.surface, r.id).toBe(id);
  });

  it('every rule has a case table beside it (the engine reports the core rules itself: its tests cover them)', () => {
    for (const r of allRules()) {
      if (r.surface === 'core') continue;
      expect(existsSync(here(`./${rulePath(r).replace(/\.ts$/, '.test.ts')}`)), rulePath(r)).toBe(true);
    }
  });

  it('rule keys are unique and every rule is documented', () => {
    const rules = allRules();
    expect(new Set(rules.map(ruleKey)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.docs.summary.length, ruleKey(r)).toBeGreaterThan(10);
      expect(r.docs.rationale.length, ruleKey(r)).toBeGreaterThan(10);
      expect(Object.keys(r.messages).length, ruleKey(r)).toBeGreaterThan(0);
    }
  });
});

/** Every message of every registered rule, resolved (the rule's class and severity where it has none). */
const allMessages = () =>
  allRules().flatMap((r) =>
    Object.keys(r.messages).map((id) => ({ key: `${ruleKey(r)}:${id}`, r, id, spec: messageSpec(r, id) })),
  );

describe('severity, class and "not assessed" agree', () => {
  it("an info message carries the class fully-reversible: an info finding never sets the change's class", () => {
    // The engine takes the class over warnings and errors only; an info message with a worse class would
    // either be a hidden under-statement (its class silently ignored) or, before that rule, a class set by
    // a note. Either its class is fully-reversible or it is a warning.
    const disagree = allMessages()
      .filter((m) => m.spec.severity === 'info' && m.spec.class !== 'fully-reversible')
      .map((m) => `${m.key} (${m.spec.class})`);
    // The rule's own pair too: it is what the rule reference lists, and what a new message inherits.
    for (const r of allRules())
      if (r.severity === 'info' && r.class !== 'fully-reversible') disagree.push(`${ruleKey(r)} (${r.class})`);
    expect(disagree).toEqual([]);
  });

  it('a message about input that was not assessed carries its reason and remedy, and claims no effect', () => {
    const problems: string[] = [];
    for (const m of allMessages()) {
      const effects = decisionOf(m.r, m.id)?.effects ?? [];
      const says = effects.includes('unassessed');
      // The incident decision reads the effect; the reports read the metadata. A note (info) that something
      // was not rendered may leave the decision alone; anything that holds the class must tell both.
      if (says && !m.spec.unassessed)
        problems.push(`${m.key}: decision effect 'unassessed' without unassessed metadata`);
      if (!says && m.spec.unassessed && m.spec.severity !== 'info')
        problems.push(`${m.key}: unassessed metadata without the decision effect 'unassessed'`);
      if (m.spec.unassessed) {
        if (!m.spec.unassessed.remedy.trim()) problems.push(`${m.key}: no remedy`);
        // Not assessed is not destroyed: neither its text nor its reason may claim data loss.
        for (const text of [m.spec.text, m.spec.unassessed.reason ?? '', m.spec.unassessed.remedy])
          if (/destroy|data (is )?lost|data loss/i.test(text)) problems.push(`${m.key}: claims data loss: ${text}`);
        if (effects.some((e) => e === 'data-destroyed'))
          problems.push(`${m.key}: an unassessed message with the effect data-destroyed`);
      }
    }
    expect(problems).toEqual([]);
  });
});
