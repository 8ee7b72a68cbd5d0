import { defineRule } from '../../../core/rule.js';
import { at, get, isObject } from '../../../kube/model.js';
import type { RegoContext } from '../context.js';

/** Heads of Rego rules that deny: `deny[msg] {`, `violation[{"msg": m}] {`, `deny contains msg if {`, `warn ...`. */
const HEAD = /^(deny|violation|warn)(\w*)\s*(\[|contains\b|=|if\b|\{)/;

/** The deny/violation rules of a Rego module, each as its normalised text, by rule name. */
export function denyRules(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = HEAD.exec(lines[i]!.trim());
    if (!m) continue;
    let depth = 0;
    let body = '';
    for (let j = i; j < lines.length; j++) {
      const l = lines[j]!.replace(/#.*$/, '');
      body += l.trim() + '\n';
      depth += (l.match(/\{/g) ?? []).length - (l.match(/\}/g) ?? []).length;
      if (depth <= 0 && /\}/.test(l)) {
        i = j;
        break;
      }
    }
    const name = `${m[1]}${m[2]}`;
    out.set(name, [...(out.get(name) ?? []), body.trim()]);
  }
  return out;
}

/** A finding's data: where the Rego rule lives (package or file) and its name. */
export type RegoChangedData = { where: string; rule: string };

export default defineRule<RegoContext, 'added' | 'removed' | 'changed', RegoChangedData>({
  id: 'rego-changed',
  surface: 'policy',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'Rego policy code (a .rego file or a Gatekeeper ConstraintTemplate) adds, removes or changes deny/violation rules.',
    rationale:
      'In Rego every `deny`/`violation` rule body is one more way to deny: a new body tightens (it may deny the rollback of other changes), a removed body loosens (a compliance gap), and a changed body may do either; rollwright cannot evaluate it statically, so a changed body is warned about like a tightening until the policy tests say otherwise. Policy code deploys nothing and its revert restores the old rules, so the class is fully-reversible; the warning is for the rollbacks of other changes it may deny.',
    fix: 'Keep a regression test per rule (`opa test`, `gator verify`, `conftest verify`) with the inputs it must deny and admit, and run it for both revisions.',
    references: [
      'https://www.openpolicyagent.org/docs/latest/policy-language/#incremental-definitions',
      'https://open-policy-agent.github.io/gatekeeper/website/docs/howto/',
    ],
  },
  messages: {
    added: {
      text: '{{where}}: a {{rule}} rule body is added: it may deny writes it admitted before, rollbacks included',
      decision: { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
    },
    removed: {
      text: '{{where}}: a {{rule}} rule body is removed: what it denied is admitted; a compliance gap that needs security approval',
      class: 'fully-reversible',
    },
    changed: {
      text: '{{where}}: a {{rule}} rule body changes; whether it tightens or loosens cannot be told statically: run the policy tests for both revisions',
      decision: { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
    },
  },
  check({ rego, changes, report }) {
    const units: Array<{ where: string; before?: string; after?: string; loc: { file: string; line: number } }> =
      rego.map((r) => ({
        where: r.path,
        ...(r.before !== undefined ? { before: r.before } : {}),
        ...(r.after !== undefined ? { after: r.after } : {}),
        loc: { file: r.path, line: 1 },
      }));
    for (const c of changes) {
      if (c.kind !== 'ConstraintTemplate' || !c.bodyChanged) continue;
      const code = (o: typeof c.before) => {
        const t = o ? get(o.body, ['spec', 'targets']) : undefined;
        return Array.isArray(t)
          ? t.map((x) => (isObject(x) && typeof x.rego === 'string' ? x.rego : '')).join('\n')
          : undefined;
      };
      const o = (c.after ?? c.before)!;
      units.push({
        where: `ConstraintTemplate ${o.name}`,
        ...(code(c.before) !== undefined ? { before: code(c.before)! } : {}),
        ...(code(c.after) !== undefined ? { after: code(c.after)! } : {}),
        loc: at(o, ['spec', 'targets']),
      });
    }
    for (const u of units) {
      const a = denyRules(u.before ?? '');
      const b = denyRules(u.after ?? '');
      for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
        const olds = a.get(name) ?? [];
        const news = b.get(name) ?? [];
        const added = news.filter((x) => !olds.includes(x));
        const removed = olds.filter((x) => !news.includes(x));
        const paired = Math.min(added.length, removed.length);
        for (let i = 0; i < paired; i++) report('changed', { where: u.where, rule: name }, u.loc);
        for (const _ of added.slice(paired)) report('added', { where: u.where, rule: name }, u.loc);
        for (const _ of removed.slice(paired)) report('removed', { where: u.where, rule: name }, u.loc);
      }
    }
  },
});
