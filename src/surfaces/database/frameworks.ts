/**
 * Migration frameworks, recognised by their file names (path only, cheap) and, for dbmate, by the
 * `-- migrate:up` marker in the text. Each recognised file gets a framework, a version, a name and
 * a direction; `pairOf` names where its other half lives.
 */
import { matchAny } from '../../core/glob.js';

export type Framework = 'golang-migrate' | 'flyway' | 'sqitch' | 'dbmate' | 'prisma' | 'plain';
export type Direction = 'up' | 'down' | 'repeatable' | 'verify' | 'both';

export interface MigrationFile {
  path: string;
  framework: Framework;
  /** Sort key within its folder: the number or timestamp, or the sqitch change name. */
  version: string;
  name: string;
  direction: Direction;
  /** The folder the framework reads (sqitch: the project root holding deploy/ and revert/). */
  dir: string;
}

const SQL_FILE = /\.sql$/i;
const GOLANG = /^(\d+)_([^/]+)\.(up|down)\.sql$/i;
const FLYWAY = /^([VU])(\d+(?:[._]\d+)*)__([^/]+)\.sql$/;
const FLYWAY_R = /^R__([^/]+)\.sql$/;
const SQITCH = /^(.*?)(?:^|\/)(deploy|revert|verify)\/(.+)\.sql$/;
const PRISMA = /^(.*\/)?migrations\/([^/]+)\/migration\.sql$/;
const NUMBERED = /^(\d+)[_-]?([^/]*)\.sql$/;

export const DBMATE_UP = /^--\s*migrate:up\b(.*)$/m;
export const DBMATE_DOWN = /^--\s*migrate:down\b(.*)$/m;

/** Keeps only the lines of one dbmate section (others blanked, so lines and columns stay true). */
export function dbmateSection(text: string, section: 'up' | 'down'): string {
  const lines = text.split('\n');
  let cur: 'up' | 'down' | undefined;
  return lines
    .map((l) => {
      if (DBMATE_UP.test(l) && /^--\s*migrate:up/.test(l)) {
        cur = 'up';
        return '';
      }
      if (DBMATE_DOWN.test(l) && /^--\s*migrate:down/.test(l)) {
        cur = 'down';
        return '';
      }
      return cur === section ? l : '';
    })
    .join('\n');
}

function split(path: string): { dir: string; base: string } {
  const i = path.lastIndexOf('/');
  return i < 0 ? { dir: '', base: path } : { dir: path.slice(0, i), base: path.slice(i + 1) };
}

/**
 * What a path is, from its name alone; a numbered `.sql` file that is not golang-migrate is dbmate
 * when its text has `-- migrate:up`, else a plain ordered migration. Undefined: not a migration.
 */
export function recognise(
  path: string,
  text: string | undefined,
  plainGlobs: readonly string[],
): MigrationFile | undefined {
  if (!SQL_FILE.test(path)) return undefined;
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = slash < 0 ? path : path.slice(slash + 1);
  let m = GOLANG.exec(base);
  if (m)
    return {
      path,
      framework: 'golang-migrate',
      version: m[1]!,
      name: m[2]!,
      direction: m[3]!.toLowerCase() as 'up' | 'down',
      dir,
    };
  m = FLYWAY.exec(base);
  if (m)
    return {
      path,
      framework: 'flyway',
      version: m[2]!.replace(/_/g, '.'),
      name: m[3]!,
      direction: m[1] === 'V' ? 'up' : 'down',
      dir,
    };
  m = FLYWAY_R.exec(base);
  if (m) return { path, framework: 'flyway', version: '', name: m[1]!, direction: 'repeatable', dir };
  m = SQITCH.exec(path);
  if (m) {
    const kind = m[2]!;
    return {
      path,
      framework: 'sqitch',
      version: m[3]!,
      name: m[3]!,
      direction: kind === 'deploy' ? 'up' : kind === 'revert' ? 'down' : 'verify',
      dir: m[1] ?? '',
    };
  }
  m = PRISMA.exec(path);
  if (m)
    return { path, framework: 'prisma', version: m[2]!, name: m[2]!, direction: 'up', dir: split(split(path).dir).dir };
  if (text !== undefined && DBMATE_UP.test(text)) {
    const n = NUMBERED.exec(base);
    return { path, framework: 'dbmate', version: n?.[1] ?? base, name: n?.[2] ?? base, direction: 'both', dir };
  }
  if (plainGlobs.length && matchAny(path, plainGlobs)) {
    const n = NUMBERED.exec(base);
    return {
      path,
      framework: 'plain',
      version: n?.[1] ?? base.replace(/\.sql$/i, ''),
      name: n?.[2] ?? base,
      direction: 'up',
      dir,
    };
  }
  // A numbered file in a folder named like a migrations folder is a plain ordered migration.
  if (/(^|\/)(migrations?|migrate|db|schema)(\/|$)/i.test(dir) && NUMBERED.test(base)) {
    const n = NUMBERED.exec(base)!;
    return { path, framework: 'plain', version: n[1]!, name: n[2]!, direction: 'up', dir };
  }
  return undefined;
}

/** Where the other half of a migration is expected, or undefined when the framework has no down file. */
export function expectedDownPath(m: MigrationFile): string | undefined {
  const join = (d: string, f: string) => (d ? `${d}/${f}` : f);
  switch (m.framework) {
    case 'golang-migrate':
      return join(m.dir, `${m.version}_${m.name}.down.sql`);
    case 'sqitch':
      return join(m.dir, `revert/${m.version}.sql`);
    default:
      return undefined;
  }
}

/** Numeric-aware order of versions ("2" < "10", "1.2" < "1.10"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._]/);
  const pb = b.split(/[._]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Whether the framework runs a whole file inside one transaction, so that `CREATE INDEX CONCURRENTLY`
 * fails there. golang-migrate (postgres driver) and Prisma send the file as one simple-protocol query:
 * several statements in one query run as one implicit transaction. dbmate wraps each migration in a
 * transaction unless `-- migrate:up transaction:false`. Flyway refuses a migration that mixes
 * non-transactional statements with others (unless `mixed`). sqitch runs the script as written.
 */
export function wrapsInTransaction(
  m: MigrationFile,
  text: string,
  statements: number,
  section: 'up' | 'down',
): string | undefined {
  switch (m.framework) {
    case 'dbmate': {
      const marker = (section === 'up' ? DBMATE_UP : DBMATE_DOWN).exec(text);
      return marker && /transaction:\s*false/.test(marker[1] ?? '')
        ? undefined
        : 'dbmate runs each migration in a transaction unless the marker says `transaction:false`';
    }
    case 'golang-migrate':
    case 'prisma':
    case 'plain':
      return statements > 1
        ? `${m.framework} sends the file as one query, and PostgreSQL runs the statements of one query as one implicit transaction`
        : undefined;
    case 'flyway':
      return statements > 1
        ? 'Flyway refuses a migration that mixes non-transactional statements with others unless `mixed` is set'
        : undefined;
    case 'sqitch':
      return undefined;
  }
}
