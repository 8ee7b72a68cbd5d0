/**
 * Flags several commands share, declared once so that they read, check and default the same way
 * everywhere, and the checks (`parse`) of values that are more than a string.
 */
import { isRollbackClass, ROLLBACK_CLASSES, type RollbackClass } from '../core/classes.js';
import { UsageError } from '../core/errors.js';
import { checkEventTime, toIso } from '../ledger/time.js';
import type { BooleanOption, StringOption } from './define.js';

/** `-o, --output FORMAT`: the first choice is the default. */
export function outputOption<const C extends readonly [string, ...string[]] | { readonly [value: string]: string }>(
  choices: C,
  description = 'output format',
) {
  const first = Array.isArray(choices) ? (choices[0] as string) : Object.keys(choices)[0]!;
  return { type: 'string', short: 'o', metavar: 'FORMAT', choices, default: first, description } as const;
}

/** The renderings of an assessment (assess and plan). */
export const ASSESSMENT_OUTPUT = outputOption({
  text: '',
  json: 'schema rollwright.assessment/v1',
  markdown: 'a pull request comment: the findings table first',
  comment:
    'the pull request comment people read: verdict, reasons, a declaration to paste, findings by file; cut to 65,536 characters',
  sarif: 'code scanning',
  codequality: "GitLab's Code Quality report (Code Climate issues)",
});

/** A time on the command line: ISO 8601 with a zone; returns the stored form (UTC, milliseconds). */
export function isoTime(value: string, flag: string): string {
  const t = checkEventTime(value, Number.MAX_SAFE_INTEGER / 2);
  if (!t.ok) throw new UsageError(`${flag}: ${t.reason}`);
  return toIso(t.ms);
}

/** A whole number of at least `min`. */
export function count(min: number): (value: string, flag: string) => number {
  return (value, flag) => {
    if (!/^\d{1,12}$/.test(value) || Number(value) < min)
      throw new UsageError(`${flag}: a whole number of at least ${min}, got ${JSON.stringify(value)}`);
    return Number(value);
  };
}

/** A number of bytes: `536870912`, `512MiB`, `1GiB`, `64K` (K, M and G are binary multiples). */
export function byteSize(value: string, flag: string): number {
  const m = /^(\d{1,15})\s*(B|K|KiB|M|MiB|G|GiB)?$/i.exec(value.trim());
  const unit = m?.[2]?.[0]?.toUpperCase();
  const n = m ? Number(m[1]) * (unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag}: a size in bytes such as 536870912, 512MiB or 1GiB, got ${JSON.stringify(value)}`);
  return n;
}

/** `--max-files`: the run's budget of changed files (limits.maxFiles). */
export const MAX_FILES = {
  type: 'string',
  metavar: 'N',
  parse: count(1),
  defaultText: 'limits.maxFiles in the config, 100000',
  description: 'a change of more files is an input error (exit 2), never a hang',
} as const satisfies StringOption;

/** `--max-bytes`: the run's budget of bytes read from changed files (limits.maxBytes). */
export const MAX_BYTES = {
  type: 'string',
  metavar: 'SIZE',
  parse: byteSize,
  defaultText: 'limits.maxBytes in the config, 512MiB',
  description: 'reading more bytes of changed files (both sides) is an input error (exit 2)',
  details: 'bytes, or with a binary suffix: 512MiB, 1GiB, 64K',
} as const satisfies StringOption;

export function rollbackClass(value: string, flag: string): RollbackClass {
  if (!isRollbackClass(value))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a rollback class (${ROLLBACK_CLASSES.join(', ')})`);
  return value;
}

export const FAIL_ON = {
  type: 'string',
  metavar: 'CLASS',
  parse: rollbackClass,
  description: 'also fail when the class is at or worse than CLASS',
  details: `the classes, best to worst: ${ROLLBACK_CLASSES.join(', ')}`,
} as const satisfies StringOption;

export const CONFIG = {
  type: 'string',
  metavar: 'FILE',
  defaultText: '.rollwright.yaml in --repo',
  description: 'config file',
} as const satisfies StringOption;

export const ENV = {
  type: 'string',
  metavar: 'NAME',
  description: 'environment of the change',
} as const satisfies StringOption;

export const ACTOR = {
  type: 'string',
  metavar: 'NAME',
  env: 'ROLLWRIGHT_ACTOR',
  defaultText: 'the user',
  description: 'who records the ledger event',
} as const satisfies StringOption;

export const DATABASE_URL = {
  type: 'string',
  metavar: 'URL',
  env: 'ROLLWRIGHT_DATABASE_URL',
  defaultText: 'the embedded PGlite',
  description: 'rehearse on this PostgreSQL server (a fresh database is created and dropped)',
} as const satisfies StringOption;

export const AT = {
  type: 'string',
  metavar: 'TIME',
  parse: isoTime,
  defaultText: 'now',
  description: 'as of TIME (ISO 8601 with a zone)',
} as const satisfies StringOption;

/** `--no-color`: on every command whose text output is coloured. */
export const NO_COLOR = {
  type: 'boolean',
  env: 'NO_COLOR',
  description: 'no colour in the text output (colour is used only on a terminal, or with FORCE_COLOR=1)',
} as const satisfies BooleanOption;

/** Colour only on a terminal, never with --no-color or NO_COLOR, always with FORCE_COLOR. */
export function colorWanted(noColor = false): boolean {
  if (noColor) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

/** Narrower than this, text output is not wrapped at all (a message column of a few characters reads worse than a long line). */
export const MIN_WRAP_WIDTH = 40;

/**
 * The width `-o text` wraps to, or undefined for no wrapping. Only a terminal gets wrapped text:
 * output piped to a file, `grep` or a CI log keeps one line per finding. On a terminal the width is
 * `COLUMNS` when set to a number (as in `ls` and `git`), else the terminal's own.
 */
export function wrapWidth(out: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number | undefined {
  if (!out.isTTY) return undefined;
  const fromEnv = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined;
  const width = fromEnv ?? out.columns;
  return width !== undefined && width >= MIN_WRAP_WIDTH ? width : undefined;
}

/** `wrapWidth` of this process's stdout. */
export function outputWidth(): number | undefined {
  return wrapWidth(process.stdout, process.env);
}
