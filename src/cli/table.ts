/**
 * The command tables' types and the pure helpers read by the parser (define.ts), the help (help.ts)
 * and the reference (reference.ts): a module of its own so that none of them imports another in a circle.
 */
import type { CommandResult } from './command.js';

interface OptionCommon {
  /** What the flag does, in a line or two: `--help` and the reference. */
  readonly description: string;
  /** More for the reference (docs/cli.md) only: limits, what an error looks like. */
  readonly details?: string;
  /** A one-letter alias: `o` for `-o`. */
  readonly short?: string;
  /** The environment variable that stands in for the flag; read by the code that owns it (documented here). */
  readonly env?: string;
  /** The default, in words, when the command works it out (`the first parent of --head`). */
  readonly defaultText?: string;
}

export interface BooleanOption extends OptionCommon {
  readonly type: 'boolean';
}

export interface StringOption extends OptionCommon {
  readonly type: 'string';
  /** The value's name in `--help` and the reference: `--base REV`. */
  readonly metavar: string;
  /** The value when the flag is absent, as it would be written on the command line (parsed like one). */
  readonly default?: string;
  /** The values allowed; as a mapping, each with its meaning. */
  readonly choices?: readonly string[] | { readonly [value: string]: string };
  /** May be given more than once: the values, in order. */
  readonly repeatable?: boolean;
  /**
   * The message when a flag that a sibling subcommand repeats is given more than once here (a flag
   * no sibling repeats keeps its last value, as parseArgs does).
   */
  readonly several?: string;
  /** Checks and converts a value (throwing a UsageError naming `flag`); the run receives what it returns. */
  readonly parse?: (value: string, flag: string) => unknown;
}

export type OptionSpec = BooleanOption | StringOption;
export type OptionTable = { readonly [name: string]: OptionSpec };

export interface ArgSpec {
  /** As in the usage line: `FILE`, `<sha|A..B>`. */
  readonly name: string;
  readonly description: string;
  /** More for the reference only. */
  readonly details?: string;
}

// ---- the values a run receives, typed from its table ----

type Parsed<O> = O extends { parse: (...args: never[]) => infer V }
  ? V
  : O extends { choices: readonly (infer C)[] }
    ? C
    : O extends { choices: infer R }
      ? Extract<keyof R, string>
      : string;
type ValueOf<O> = O extends { type: 'boolean' } ? boolean : O extends { repeatable: true } ? Parsed<O>[] : Parsed<O>;
type Always<O> = O extends { type: 'boolean' } ? true : O extends { default: string } ? true : false;
/** `change-id` -> `changeId`. */
export type CamelCase<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<CamelCase<B>>}` : S;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** What `run` receives for a table: camel-cased names; flags with a default, and booleans, always set. */
export type OptionValues<T extends OptionTable> = Flatten<
  { -readonly [K in keyof T & string as Always<T[K]> extends true ? CamelCase<K> : never]: ValueOf<T[K]> } & {
    -readonly [K in keyof T & string as Always<T[K]> extends true ? never : CamelCase<K>]?: ValueOf<T[K]>;
  }
>;

export type Run<O extends OptionTable> = (opts: OptionValues<O>, args: string[]) => Promise<CommandResult>;

// ---- the declaration ----

interface NodeSpec<O extends OptionTable> {
  /** The flags this (sub)command takes; `-h, --help` is added to every one. */
  readonly options?: O;
  /** The arguments it takes (the run checks their number, with its own messages). */
  readonly args?: readonly ArgSpec[];
  /** The message when it takes no arguments and got some (default: parseArgs' own, or `<path> takes no arguments, got ...`). */
  readonly extraArgs?: (args: readonly string[]) => string;
  /** Why it refuses a flag a sibling takes, appended to `<path> does not take --flag`. */
  readonly refuses?: { readonly [flag: string]: string };
  readonly run?: Run<O>;
  readonly subcommands?: { readonly [name: string]: Subcommand };
}

export interface SubcommandSpec<O extends OptionTable> extends NodeSpec<O> {
  /** What it does, for the list of subcommands. */
  readonly summary: string;
}

export interface CommandSpec<O extends OptionTable> extends NodeSpec<O> {
  readonly name: string;
  /** The synopsis, one line per form: `rollwright assess [--base REV] [flags]`. */
  readonly usage: readonly string[];
  /** What it does: paragraphs, before the flags. Lines starting with two spaces are kept as written. */
  readonly description?: string;
  /** After the flags: credentials, key generation, file formats. */
  readonly notes?: string;
  readonly exitCodes?: { readonly [code: number]: string };
}

/** A declared (sub)command, its types erased: what the parser, `--help` and the reference read. */
export interface CommandNode {
  readonly options: OptionTable;
  readonly args?: readonly ArgSpec[];
  readonly extraArgs?: (args: readonly string[]) => string;
  readonly refuses?: { readonly [flag: string]: string };
  readonly run?: (opts: Record<string, unknown>, args: string[]) => Promise<CommandResult>;
  readonly subcommands?: { readonly [name: string]: Subcommand };
}

export interface Subcommand extends CommandNode {
  readonly summary: string;
}

export interface Command extends CommandNode {
  readonly name: string;
  readonly usage: readonly string[];
  readonly description?: string;
  readonly notes?: string;
  readonly exitCodes?: { readonly [code: number]: string };
  /** Parses argv against the tables and runs the (sub)command it names; `--help` prints the help. */
  main(argv: string[]): Promise<CommandResult>;
}

export const HELP_OPTION: BooleanOption = { type: 'boolean', short: 'h', description: 'show this help' };

/** Every (sub)command that runs, with its path below the command (`[]` for the command itself). */
export function leavesOf(node: CommandNode, path: string[] = []): Array<{ path: string[]; node: CommandNode }> {
  const own = node.run ? [{ path, node }] : [];
  return [...own, ...Object.entries(node.subcommands ?? {}).flatMap(([name, sub]) => leavesOf(sub, [...path, name]))];
}

/** The union of the flags of every (sub)command: what parseArgs is given. */
export function flagsOf(cmd: CommandNode): Map<string, OptionSpec> {
  const all = new Map<string, OptionSpec>([['help', HELP_OPTION]]);
  for (const { node } of leavesOf(cmd))
    for (const [name, o] of Object.entries(node.options)) {
      const seen = all.get(name);
      if (!seen) all.set(name, o);
      else if (seen.type !== o.type || seen.short !== o.short)
        throw new Error(`--${name} is declared twice with different types or aliases`);
      else if (repeatable(o)) all.set(name, o); // parseArgs collects it for the subcommand that repeats it
    }
  return all;
}

export const repeatable = (o: OptionSpec): boolean => o.type === 'string' && o.repeatable === true;

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export { closest, levenshtein } from '../core/suggest.js';
