import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../core/config-schema.js';
import { defineRule, describesChangesOnly, type Rule } from '../core/rule.js';
import type { Surface } from '../core/surface.js';
import { changeSetOf, memoryRepo } from '../testing/rule-tester.js';
import { assessChangeSet } from './assess.js';
import { RuleRunner } from './runner.js';

interface Ctx {
  files: string[];
}
const docs = { summary: 'a test rule', rationale: 'none' };
const ran: string[] = [];
/** A rule that records its run and reports one finding on every file. */
const rule = (id: string, meta: Partial<Rule<Ctx, 'found'>> = {}) =>
  defineRule<Ctx, 'found'>({
    id,
    surface: 'probe',
    class: 'fully-reversible',
    severity: 'warning',
    docs,
    messages: { found: `${id} on {{file}}` },
    ...meta,
    check({ files, report }) {
      ran.push(id);
      for (const file of files) report('found', { file }, { file, line: 1 });
    },
  });
const changeOnly = rule('change-only');
const smell = rule('smell', { smell: true });
const treeOnly = rule('tree-only', { smell: true, treeOnly: true });
const unassessed = rule('unreadable', { unassessed: { remedy: 'fix it' } });
const probe: Surface = {
  id: 'probe',
  name: 'Probe',
  summary: 'runs the test rules',
  claims: (p) => p.endsWith('.txt'),
  rules: [changeOnly, smell, treeOnly, unassessed],
  async assess(ctx) {
    await ctx.run(this.rules as Rule<Ctx, string>[], { files: ctx.files.map((f) => f.path) });
  },
};

async function run(tree: boolean) {
  ran.length = 0;
  const files = { 'a.txt': 'x\n' };
  const a = await assessChangeSet(changeSetOf({}, files), memoryRepo({}, files), ConfigSchema.parse({}), {
    surfaces: [probe],
    tree,
  });
  return { ran: [...ran], rules: a.findings.map((f) => f.rule) };
}

describe('rules whose findings would be dropped are not run', () => {
  it('on a change, a rule that describes a tree (treeOnly) is not run', async () => {
    expect(await run(false)).toEqual({
      ran: ['change-only', 'smell', 'unreadable'],
      rules: ['probe/change-only', 'probe/smell', 'probe/unreadable'],
    });
  });

  it('on a tree (lint), a rule that only describes changes is not run; smells, tree rules and what could not be assessed are', async () => {
    expect(await run(true)).toEqual({
      ran: ['smell', 'tree-only', 'unreadable'],
      rules: ['probe/smell', 'probe/tree-only', 'probe/unreadable'],
    });
  });

  it('a rule describes changes only when no message is a smell, says what could not be assessed, or states a fact', () => {
    expect([changeOnly, smell, treeOnly, unassessed].map(describesChangesOnly)).toEqual([true, false, false, false]);
    expect(describesChangesOnly(rule('partly', { smell: [] }))).toBe(true);
    expect(describesChangesOnly(rule('fact', { fact: { id: () => 'x', rank: 0 } }))).toBe(false);
    expect(describesChangesOnly({ ...changeOnly, surface: 'core' })).toBe(false);
  });
});

describe('findings keep copies of their strings, not the texts they were read from', () => {
  it('copies the message, path, object and data exactly, in the same key order', () => {
    const runner = new RuleRunner(ConfigSchema.parse({}));
    const text = `${'x'.repeat(64)}registry.example.com/team/app:1.2.3 \ud800 café ${'y'.repeat(64)}`;
    const image = text.slice(64, text.length - 64);
    const file = `clusters/prod/${'a'.repeat(20)}.yaml`;
    const report = runner.reporter(rule('copy'));
    report(
      'found',
      { file: image, n: 3, ok: true, short: 'x' },
      { file, line: 2 },
      { object: `apps/Deployment/ns/${image}` },
    );
    report('found', { file: image }, { file, line: 3 });
    const [a, b] = runner.findings;
    expect(a!.data).toEqual({ file: image, n: 3, ok: true, short: 'x' });
    expect(Object.keys(a!.data!)).toEqual(['file', 'n', 'ok', 'short']);
    expect(a!.message).toBe(`copy on ${image}`);
    expect(a!.object).toBe(`apps/Deployment/ns/${image}`);
    expect(a!.file).toBe(file);
    // One copy of a path for every finding that names it.
    expect(b!.file).toBe(a!.file);
  });
});
