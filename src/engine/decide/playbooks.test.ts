import { describe, expect, it } from 'vitest';
import { allRules } from '../../registry.js';
import { PLAYBOOKS } from './types.js';
import { ruleKey, type MessageSpec } from '../../core/rule.js';
import { RELIED_ON } from './findings.js';
import { PLAYBOOK_SPECS, SURFACE_PLAYBOOK, meaningOf } from './playbooks.js';

describe("the rules' decision meanings", () => {
  const rules = new Map(allRules().map((r) => [`${r.surface}/${r.id}`, r]));

  it.each(RELIED_ON.map((r) => [ruleKey(r), r] as const))(
    '%s, which the decision reads by name, is registered and declares its decision meaning',
    (key, rule) => {
      expect(rules.get(key), `${key} is not in the registry`).toBe(rule);
      const onMessages = Object.values(rule.messages as Record<string, string | MessageSpec>).filter(
        (m) => typeof m === 'object' && m.decision !== undefined,
      );
      expect(rule.decision !== undefined || onMessages.length > 0, `${key} has no decision meaning`).toBe(true);
    },
  );

  it('has a playbook spec for every playbook id, in their priority order (docs/concepts.md#playbooks)', () => {
    expect(PLAYBOOK_SPECS.map((p) => p.id).sort()).toEqual([...PLAYBOOKS].sort());
    expect(PLAYBOOK_SPECS.map((p) => p.id)).toEqual([
      'bad-database-migration',
      'bad-iam-change',
      'bad-network-change',
      'bad-iac-module',
      'bad-controller-upgrade',
      'bad-policy-rule',
      'bad-config-reference',
      'bad-app-release',
    ]);
  });

  it('refines by message id, falls back to the rule, then to the surface', () => {
    expect(meaningOf({ rule: 'database/data-mutation', messageId: 'insert', surface: 'database' }).effects).toEqual([
      'external-effects',
    ]);
    expect(meaningOf({ rule: 'database/data-mutation', messageId: 'delete', surface: 'database' }).effects).toEqual([
      'data-destroyed',
    ]);
    expect(meaningOf({ rule: 'database/locking-statement', messageId: 'createIndex', surface: 'database' })).toEqual({
      playbook: 'bad-database-migration',
      effects: [],
    });
    expect(
      meaningOf({ rule: 'kubernetes/stateless-object-deleted', messageId: 'deleted', surface: 'kubernetes' }),
    ).toEqual({
      effects: [],
    });
    for (const s of Object.keys(SURFACE_PLAYBOOK)) expect([...rules.values()].some((r) => r.surface === s)).toBe(true);
  });

  it('every rule whose class destroys data is read as destroying data, or is knowingly refined', () => {
    // a rule's non-recoverable messages must not pass through the decision as harmless
    const harmless: string[] = [];
    for (const [key, meta] of rules) {
      // A rule that describes a tree (lint only) never reaches a decision: assess drops its findings.
      if (meta.treeOnly) continue;
      for (const [id, m] of Object.entries(meta.messages)) {
        const cls = typeof m === 'string' ? meta.class : (m.class ?? meta.class);
        if (cls !== 'non-recoverable-without-restore') continue;
        const { effects } = meaningOf({ rule: key, messageId: id, surface: meta.surface });
        if (!effects.includes('data-destroyed') && !effects.includes('unassessed')) harmless.push(`${key}:${id}`);
      }
    }
    expect(harmless).toEqual([]);
  });
});
