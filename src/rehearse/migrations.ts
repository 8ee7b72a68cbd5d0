/**
 * A migrations folder as an ordered list of up/down pairs: golang-migrate, Flyway (V/U), dbmate (one
 * file, two sections) and plain numbered files (ups only). Read from disk or from memory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { compareVersions, recognise } from '../surfaces/database/frameworks.js';
import { dbmateSection } from '../surfaces/database/index.js';

export interface MigrationPair {
  version: string;
  name: string;
  up: { path: string; text: string };
  down?: { path: string; text: string };
}

/** Files larger than this are not migrations (a data dump): reported, not run. */
export const MAX_MIGRATION_BYTES = 8 * 1024 * 1024;

export function readMigrationDir(dir: string): {
  pairs: MigrationPair[];
  skipped: Array<{ file: string; reason: string }>;
} {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`cannot read the migrations folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, dir);
  }
  const files: Record<string, string> = {};
  const skipped: Array<{ file: string; reason: string }> = [];
  for (const n of names) {
    if (!/\.sql$/i.test(n)) continue;
    const p = join(dir, n);
    const st = statSync(p);
    if (!st.isFile()) continue;
    if (st.size > MAX_MIGRATION_BYTES) {
      skipped.push({
        file: n,
        reason: `${st.size} bytes: larger than ${MAX_MIGRATION_BYTES}, not a migration (a data dump?)`,
      });
      continue;
    }
    files[`${dir.replace(/\/+$/, '')}/${n}`] = readFileSync(p, 'utf8');
  }
  return { pairs: pairMigrations(files, skipped), skipped };
}

/** Pairs the files of one folder (names relative to it). */
export function pairMigrations(
  files: Record<string, string>,
  skipped: Array<{ file: string; reason: string }> = [],
): MigrationPair[] {
  const byVersion = new Map<string, MigrationPair>();
  const downs = new Map<string, { path: string; text: string }>();
  for (const [path, text] of Object.entries(files)) {
    const m = recognise(path, text, ['**/*.sql', '*.sql']);
    if (!m) {
      skipped.push({ file: path, reason: 'not a migration file' });
      continue;
    }
    if (m.direction === 'repeatable' || m.direction === 'verify') {
      skipped.push({ file: path, reason: `${m.framework} ${m.direction} script: not rehearsed` });
      continue;
    }
    if (m.direction === 'down') {
      downs.set(m.version, { path, text });
      continue;
    }
    if (byVersion.has(m.version)) throw new InputError(`two up migrations with version ${m.version}`, path);
    if (m.direction === 'both')
      byVersion.set(m.version, {
        version: m.version,
        name: m.name,
        up: { path, text: dbmateSection(text, 'up') },
        ...(/^--\s*migrate:down/m.test(text) ? { down: { path, text: dbmateSection(text, 'down') } } : {}),
      });
    else byVersion.set(m.version, { version: m.version, name: m.name, up: { path, text } });
  }
  for (const [v, d] of downs) {
    const p = byVersion.get(v);
    if (p) p.down = d;
    else skipped.push({ file: d.path, reason: `down migration without an up of version ${v}` });
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}
