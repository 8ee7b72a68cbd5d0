import { defineRule } from '../../../core/rule.js';
import {
  DBMATE_DOWN,
  dbmateSection,
  expectedDownPath,
  recognise,
  type MigrationFile,
} from '../../database/frameworks.js';
import type { Op, ParsedSql } from '../../database/sql/index.js';
import type { RevertContext } from '../model.js';

type MessageId = 'downDestroys' | 'downRuns' | 'noDown';

const CONTRACT = new Set(['drop-column', 'drop-table', 'truncate', 'delete', 'update-all', 'update-where']);

/**
 * A revert that deletes an up migration. Deleting a migration file runs nothing: a database that
 * applied it keeps its effect, and the migration tool no longer has a file for a version the database
 * records, so its next run fails until someone repairs the history by hand (manual repair). Running
 * the down first is a person's choice, not the revert's effect: the message says what it would destroy,
 * from the down's own statements.
 */
export default defineRule<RevertContext, MessageId>({
  id: 'expand-migration-reverted',
  surface: 'revert',
  class: 'reversible-with-manual-repair',
  severity: 'error',
  docs: {
    summary:
      'The revert deletes an up migration (golang-migrate, Flyway, sqitch, dbmate, Prisma, plain): nothing undoes the migration, and the migration tool fails until its history is repaired by hand.',
    rationale:
      'A migration that reached a database stays applied when its file is deleted: `git revert` changes files, not schemas, and no migration tool runs the down of a file that is gone. Deployed as it is, the revert leaves the schema with the expand while the migration tool records a version the repository no longer has: golang-migrate fails its next run with "no migration found for version N: ... file does not exist" until `migrate force`, Flyway `validate` reports an applied migration not resolved locally. That blocks the deploy until a person repairs the history (reversible-with-manual-repair, an error). The other way out is for a person to run the down before the revert deploys: when the down drops what the expand added (a column, a table), it destroys every value written to it since, which only a restore brings back; the message names what it would destroy, so that the repair does not become a contract by accident.',
    fix: 'Prefer a forward fix: leave the expand applied (old code ignores a nullable column) and revert only the application code. If the schema must go, write a new, reviewed contract migration (with a backup of the column) instead of deleting history.',
    references: [
      'https://github.com/golang-migrate/migrate/issues/1069 (no migration found for version N: read down for version N: file does not exist)',
      'https://github.com/golang-migrate/migrate/blob/master/GETTING_STARTED.md (forcing the database version)',
      'https://documentation.red-gate.com/fd/validate-277579316.html (Flyway validate: applied migrations not resolved locally)',
    ],
  },
  messages: {
    downDestroys: {
      text: '{{file}}: the revert deletes migration {{version}} ({{framework}}: {{up}}), which a database may have applied; deleting the file runs nothing, so the schema keeps the expand while {{tool}}. Running its down {{down}} by hand before the revert deploys ({{downOps}}) would make the revert a contract: {{lost}} and every value written to it since would be destroyed',
      decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
    },
    downRuns: {
      text: '{{file}}: the revert deletes migration {{version}} ({{framework}}: {{up}}), which a database may have applied; deleting the file runs nothing. Either its down {{down}} is run by hand before the revert deploys ({{downOps}}), or the schema keeps the migration while {{tool}}',
      class: 'reversible-with-manual-repair',
    },
    noDown: {
      text: '{{file}}: the revert deletes migration {{version}} ({{framework}}: {{up}}) and there is no down migration: nothing undoes it, the schema keeps what it added while {{tool}}',
      class: 'reversible-with-manual-repair',
    },
  },
  async check({ files, repo, config, report }) {
    const deleted = files.flatMap((f) => {
      if (f.newText !== undefined || f.oldText === undefined) return [];
      const m = recognise(f.path, f.oldText, config.database.migrations);
      return m && (m.direction === 'up' || m.direction === 'both') ? [{ f, m }] : [];
    });
    if (deleted.length === 0) return;
    const sql = await import('../../database/sql/index.js');
    const pg = config.database.dialect === 'postgres' ? await sql.loadPgParser() : undefined;
    const parse = async (text: string): Promise<ParsedSql> => (pg ? sql.parsePostgres(pg, text) : sql.parseMysql(text));
    for (const { f, m } of deleted) {
      const upText = m.framework === 'dbmate' ? dbmateSection(f.oldText!, 'up') : f.oldText!;
      const up = await parse(upText);
      const down = await findDown(m, f.oldText!, files, repo);
      const data = {
        file: f.path,
        version: m.version,
        framework: m.framework,
        up: describe(ops(up)) || 'no statement rollwright recognises',
        tool: toolOutcome(m),
      };
      const where = { file: f.path, line: 1 };
      if (!down) {
        report('noDown', data, where);
        continue;
      }
      const downOps = ops(await parse(down.text));
      const destroying = downOps.filter((o) => CONTRACT.has(o.kind));
      const full = { ...data, down: down.path, downOps: describe(downOps) || 'no statement' };
      if (destroying.length)
        report('downDestroys', { ...full, lost: destroying.map((o) => target(o)).join(', ') }, where);
      else report('downRuns', full, where);
    }
  },
});

function ops(p: ParsedSql): Op[] {
  return p.statements.flatMap((s) => s.ops).filter((o) => o.kind !== 'begin' && o.kind !== 'commit');
}

function target(o: Op): string {
  if (o.table && o.column) return `${o.table}.${o.column}`;
  return o.table ?? o.name ?? '?';
}

/** `ADD COLUMN users.nickname; CREATE INDEX ...`: the operations in SQL words. */
function describe(list: readonly Op[]): string {
  return list.map((o) => `${o.kind.replace(/-/g, ' ').toUpperCase()} ${target(o)}`).join('; ');
}

function toolOutcome(m: MigrationFile): string {
  switch (m.framework) {
    case 'golang-migrate':
      return `golang-migrate's next run fails: no migration found for version ${m.version} (file does not exist); \`migrate force\` is then needed`;
    case 'flyway':
      return `\`flyway validate\` fails: version ${m.version} is applied but not resolved locally`;
    case 'sqitch':
      return `sqitch's plan no longer lists ${m.name}, which the database's registry records as deployed`;
    default:
      return `the database's migration table records ${m.version}, which the repository no longer has`;
  }
}

/** The down of a deleted up, at the revert's base (where both still exist). */
async function findDown(
  m: MigrationFile,
  upText: string,
  files: RevertContext['files'],
  repo: RevertContext['repo'],
): Promise<{ path: string; text: string } | undefined> {
  if (m.framework === 'dbmate') {
    if (!DBMATE_DOWN.test(upText)) return undefined;
    const text = dbmateSection(upText, 'down');
    return /\S/.test(text) ? { path: `${m.path} (migrate:down)`, text } : undefined;
  }
  let path = expectedDownPath(m);
  if (!path && m.framework === 'flyway') {
    const dir = m.dir || '.';
    const undo = (await repo.listDir('base', dir)).find(
      (e) => e.type === 'blob' && e.name.startsWith(`U${m.version}__`) && e.name.endsWith('.sql'),
    );
    if (undo) path = m.dir ? `${m.dir}/${undo.name}` : undo.name;
  }
  if (!path) return undefined;
  const text = files.find((x) => x.path === path)?.oldText ?? (await repo.readText('base', path));
  return text === undefined ? undefined : { path, text };
}
