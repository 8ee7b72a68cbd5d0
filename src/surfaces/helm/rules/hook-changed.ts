import { defineRule } from '../../../core/rule.js';
import type { HelmContext } from '../model.js';

const MIGRATION =
  /migrat|flyway|liquibase|alembic|schema|db[-_:]?(upgrade|migrate|init)|rake\s+db|manage\.py\s+migrate/i;

/** Hook documents of a template: text per document that carries a `helm.sh/hook` annotation. */
export function hooks(text: string | undefined): Array<{ doc: string; events: string; line: number }> {
  if (text === undefined) return [];
  const out: Array<{ doc: string; events: string; line: number }> = [];
  let line = 1;
  for (const doc of text.split(/^---.*$/m)) {
    const m = /["']?helm\.sh\/hook["']?\s*:\s*["']?([\w,-]+)/.exec(doc);
    if (m) {
      const before = doc.slice(0, m.index).split('\n').length - 1;
      out.push({ doc: doc.trim(), events: m[1]!, line: line + before });
    }
    line += doc.split('\n').length - 1;
  }
  return out;
}

/** Hook events run only by `helm test` (test-success and test-failure are the Helm 2 names). */
const TEST_EVENTS = new Set(['test', 'test-success', 'test-failure']);

export default defineRule<HelmContext, 'hook' | 'migration' | 'test'>({
  id: 'hook-changed',
  surface: 'helm',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'A chart hook (`helm.sh/hook`, e.g. a pre-upgrade Job) is added or changed.',
    rationale:
      'Hooks run at install, upgrade, rollback or delete time and are not part of the release: `helm rollback` re-applies the old templates but does not undo what an upgrade hook did. A hook that runs a database migration or another data change has effects no rollback reverses: they can only be compensated (a down migration, a corrective job). Argo CD maps Helm hooks to its own sync hooks, with the same one-way effect. A test hook (`helm.sh/hook: test`) runs only when someone runs `helm test`, never at install, upgrade or rollback, and changes no release state: its change is information.',
    fix: 'Keep migrations expand-only and backward compatible, give them a tested down path, and declare their class; prefer running them as a separate, declared change.',
    references: [
      'https://helm.sh/docs/topics/charts_hooks/',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#helm-hooks',
      'https://helm.sh/docs/topics/chart_tests/',
    ],
  },
  messages: {
    hook: '{{file}}:{{line}}: a {{events}} hook is {{status}}; what it does is not undone by a rollback',
    migration: {
      text: '{{file}}:{{line}}: a {{events}} hook that looks like a data migration is {{status}}; a rollback does not undo it, only a compensating change can',
      class: 'compensatable',
      decision: { effects: ['external-effects'] },
    },
    test: {
      text: '{{file}}:{{line}}: a test hook is {{status}}; it runs only on `helm test`, not on upgrade or rollback',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ charts, report }) {
    for (const c of charts) {
      if (c.kind !== 'template' || c.after === undefined) continue;
      const olds = new Set(hooks(c.before).map((h) => h.doc));
      const hadAny = olds.size > 0;
      for (const h of hooks(c.after)) {
        if (olds.has(h.doc)) continue;
        const data = {
          file: c.path,
          line: h.line,
          events: h.events,
          status: hadAny || c.before !== undefined ? 'changed' : 'added',
        };
        const testOnly = h.events.split(',').every((e) => TEST_EVENTS.has(e.trim()));
        report(testOnly ? 'test' : MIGRATION.test(h.doc) ? 'migration' : 'hook', data, { file: c.path, line: h.line });
      }
    }
  },
});
