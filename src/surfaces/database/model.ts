import type { Location } from '../../core/finding.js';
import type { RollwrightConfig } from '../../engine/config.js';
import type { MigrationFile } from './frameworks.js';
import { PHASE_OF, type Op, type ParsedSql } from './sql.js';

export type Phase = 'expand' | 'migrate' | 'contract';

/** The down half of a migration, as found at head. */
export interface DownMigration {
  path: string;
  parsed: ParsedSql;
}

/** One up migration the change adds or modifies, paired with its down. */
export interface MigrationChange {
  file: MigrationFile;
  status: 'added' | 'modified';
  up: ParsedSql;
  /** undefined: the framework expects a down and none was found. null: the framework has no down files. */
  down: DownMigration | undefined | null;
  /** A down found with another version or name than the up's (golang-migrate pairs by both). */
  mismatchedDown?: string;
  /** Why the framework runs this file in one transaction, if it does. */
  transaction?: string;
  phases: Phase[];
}

export interface DbContext {
  migrations: MigrationChange[];
  /** Tables created by an up migration of this release: empty, so locks and NOT NULL on them are harmless. */
  newTables: ReadonlySet<string>;
  config: RollwrightConfig;
}

export function phasesOf(ops: readonly Op[]): Phase[] {
  const set = new Set<Phase>();
  for (const o of ops) {
    const p = PHASE_OF[o.kind];
    if (p) set.add(p);
  }
  return (['expand', 'migrate', 'contract'] as const).filter((p) => set.has(p));
}

const opsCache = new WeakMap<ParsedSql, Op[]>();

/** Every operation of a parsed file, in order (computed once: every rule reads it). */
export function opsOf(p: ParsedSql): Op[] {
  let ops = opsCache.get(p);
  if (!ops) opsCache.set(p, (ops = p.statements.flatMap((s) => s.ops)));
  return ops;
}

export function loc(file: string, o: { line: number; column0: number }): Location {
  return { file, line: o.line, column: o.column0 };
}

/** `users.email`, `users`, or the object's name. */
export function target(o: Op): string {
  if (o.table && o.column) return `${o.table}.${o.column}`;
  return o.table ?? o.name ?? '?';
}
