/**
 * The words of the SQL reader: the operations a statement is classified into (the same for PostgreSQL
 * and MySQL), the statements of a parsed file, and the expand/migrate/contract phase of each operation.
 */
export type OpKind =
  // expand
  | 'create-table'
  | 'add-column'
  | 'add-column-default'
  | 'create-index-concurrently'
  | 'add-constraint-not-valid'
  | 'create-view'
  | 'create-function'
  | 'create-type'
  // contract
  | 'drop-column'
  | 'drop-table'
  | 'drop-constraint'
  | 'drop-type'
  | 'drop-view'
  | 'drop-database'
  | 'detach-partition'
  | 'drop-not-null'
  | 'drop-default'
  // renames (catalog-only, exactly invertible)
  | 'rename-schema'
  | 'rename-column'
  | 'rename-table'
  | 'enum-add-value'
  | 'enum-rename-value'
  // constraints and types
  | 'alter-column-type'
  | 'set-not-null'
  | 'add-column-required'
  | 'add-constraint'
  | 'validate-constraint'
  | 'domain-constraint'
  // data
  | 'update-all'
  | 'update-where'
  | 'delete'
  | 'truncate'
  | 'insert'
  // locking
  | 'create-index'
  | 'add-column-volatile-default'
  | 'drop-index'
  | 'drop-index-concurrently'
  // transactions
  | 'begin'
  | 'commit'
  // code the parser cannot see into: a DO block's dynamic or unparsed statement, a function body
  | 'opaque-body';

export interface Op {
  kind: OpKind;
  /** Table (or type, view, index) the operation touches, schema-qualified when the SQL qualifies it. */
  table?: string;
  column?: string;
  /** Constraint, index or type name, a new name, an enum value. */
  name?: string;
  /** A few words of detail: the new type, the USING expression, the WHERE clause present. */
  detail?: string;
  /**
   * The columns the operation is about: an index's key columns, a primary key or unique constraint's
   * columns, the column a `CHECK (col IS NOT NULL)` constraint holds non-null, the columns an UPDATE
   * sets; for CREATE TABLE, its columns.
   */
  columns?: string[];
  /** CREATE TABLE: each column's type, NOT NULL and default; the primary key's columns. */
  defs?: ColumnDef[];
  primaryKey?: string[];
  /** CREATE TABLE: its UNIQUE constraints (on a column or the table), with the name when the text gives one. */
  uniques?: Array<{ name?: string; columns: string[] }>;
  /** CREATE TABLE (MySQL): the indexes declared in it (`INDEX`, `KEY`, `UNIQUE INDEX`), named as MySQL names them. */
  indexes?: Array<{ name: string; columns: string[]; unique: boolean }>;
  /** CREATE INDEX / ADD CONSTRAINT: a unique index or constraint (primary key included). */
  unique?: boolean;
  /** ADD CONSTRAINT / VALIDATE: `CHECK (col IS NOT NULL)`; INSERT: rows from a SELECT, not VALUES. */
  notNullCheck?: string;
  fromSelect?: boolean;
  /** A foreign key: the referenced table. */
  references?: string;
  /** A foreign key: the referenced columns, and its ON UPDATE / ON DELETE actions (`no action`, `cascade`...). */
  refColumns?: string[];
  onUpdate?: string;
  onDelete?: string;
  /**
   * UPDATE: the columns of the same row that every assigned value is computed from, when each one is
   * (at least one column, none of the columns the statement writes, no subquery, no other table).
   */
  derivedFrom?: string[];
  /**
   * UPDATE: the columns of other tables (`table.column`) the assigned values read, through FROM or JOIN
   * (qualified by the table or its alias) or a scalar subquery.
   */
  copiesFrom?: string[];
  /** UPDATE: the WHERE clause holds every written column empty (`col IS NULL`, `col = ''`). */
  fillsEmpty?: boolean;
  /** ALTER COLUMN ... TYPE / MODIFY: the new definition also says NOT NULL, and whether it has a default. */
  notNull?: boolean;
  hasDefault?: boolean;
  line: number;
  column0: number;
}

export interface ColumnDef {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface Statement {
  line: number;
  column: number;
  /** The statement's text (without its semicolon). */
  text: string;
  ops: Op[];
}

export interface ParsedSql {
  dialect: 'postgres' | 'mysql';
  statements: Statement[];
  error?: { message: string; line: number; column: number };
}

export const PHASE_OF: Partial<Record<OpKind, 'expand' | 'contract' | 'migrate'>> = {
  'create-table': 'expand',
  'add-column': 'expand',
  'add-column-default': 'expand',
  'add-column-volatile-default': 'expand',
  'create-index-concurrently': 'expand',
  'create-index': 'expand',
  'add-constraint-not-valid': 'expand',
  'create-view': 'expand',
  'create-function': 'expand',
  'create-type': 'expand',
  'drop-column': 'contract',
  'drop-table': 'contract',
  'drop-constraint': 'contract',
  'drop-type': 'contract',
  'drop-view': 'contract',
  'drop-database': 'contract',
  'update-all': 'migrate',
  'update-where': 'migrate',
  insert: 'migrate',
  delete: 'migrate',
};
