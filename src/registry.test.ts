import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleKey } from './core/rule.js';
import { allRules, ruleFamilies, surfaces } from './registry.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

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

  it.each([...surfaces, ...ruleFamilies].map((s) => [s.id, s] as const))('%s lists exactly its rule files', (id, s) => {
    const files = readdirSync(here(`./surfaces/${id}/rules`))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    const ids = s.rules.map((r) => r.id);
    // Data tables sit beside rules (e.g. immutable-fields.ts) and are not rules themselves.
    for (const id of ids) expect(files, `rules/${id}.ts`).toContain(id);
    for (const r of s.rules) expect(r.surface).toBe(id);
  });

  it('every rule has a case table beside it', () => {
    for (const s of surfaces) {
      const files = new Set(readdirSync(here(`./surfaces/${s.id}/rules`)));
      for (const r of s.rules) {
        expect(files.has(`${r.id}.test.ts`), `${s.id}/rules/${r.id}.test.ts`).toBe(true);
      }
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
