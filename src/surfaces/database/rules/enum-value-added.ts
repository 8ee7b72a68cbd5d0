import { defineRule } from '../../../core/rule.js';
import { loc, type DbContext } from '../model.js';

/** PostgreSQL has no ALTER TYPE ... DROP VALUE. */
export default defineRule<DbContext, 'added' | 'renamed'>({
  id: 'enum-value-added',
  surface: 'database',
  class: 'forward-only',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'warning',
  docs: {
    summary: 'ALTER TYPE ... ADD VALUE (or RENAME VALUE) on an enum.',
    rationale:
      'PostgreSQL cannot remove a value from an enum: there is no DROP VALUE, and the only way back is to create a new type and rewrite every column using it. Once the new version has stored the value, the old version reads a value it does not know. The change is forward-only.',
    fix: 'Make sure the old application tolerates unknown values before adding one, or use a lookup table with a foreign key instead of an enum.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertype.html',
      'https://www.postgresql.org/docs/15/datatype-enum.html',
    ],
  },
  messages: {
    added:
      "ALTER TYPE {{type}} ADD VALUE '{{value}}': enum values cannot be removed; the running version reads '{{value}}' as soon as the new version writes it",
    renamed:
      "ALTER TYPE {{type}} RENAME VALUE {{value}}: the running version still writes the old label and fails with 'invalid input value for enum'",
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (o.kind === 'enum-add-value')
          report('added', { type: o.name ?? '?', value: o.detail ?? '?' }, loc(m.file.path, o));
        else if (o.kind === 'enum-rename-value')
          report('renamed', { type: o.name ?? '?', value: o.detail ?? '?' }, loc(m.file.path, o));
      }
    }
  },
});
