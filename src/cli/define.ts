/**
 * A command is declared once, as a table: its flags (type, metavar, default, choices, environment
 * variable, meaning), its arguments and subcommands, its exit codes. The parser, `--help` and the CLI
 * reference (docs/cli.md) are all made from that table, and the values a command's `run` receives are
 * typed by it: a flag with a default or a boolean is always there, any other may be absent.
 *
 *     export const command = defineCommand({
 *       name: 'windows',
 *       usage: ['rollwright windows [--env NAME] [--all] [-o text|json] [flags]'],
 *       description: 'Rollback windows: ...',
 *       options: {
 *         env: { type: 'string', metavar: 'NAME', description: 'only windows in this environment' },
 *         all: { type: 'boolean', description: 'closed windows too' },
 *         output: { type: 'string', short: 'o', metavar: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'the output format' },
 *       },
 *       run: async (opts) => ..., // opts: { env?: string; all: boolean; output: 'text' | 'json' }
 *     });
 *
 * Parsing is node:util's parseArgs (strict): its messages for unknown flags and missing values are
 * the CLI's; this module adds the rest (choices, defaults, subcommands, flags a subcommand does not
 * take, a "did you mean" for a mistyped flag). Rendering lives in help.ts and reference.ts, loaded
 * only when asked for.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
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

export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): Command {
  const cmd: Command = { ...erase(spec), main: (argv) => runCommand(cmd, argv) };
  return cmd;
}

export function subcommand<const O extends OptionTable>(spec: SubcommandSpec<O>): Subcommand {
  return erase(spec);
}

/**
 * The one place where a run typed by its table is stored untyped: runCommand builds the values it
 * passes from that same table (valueOf), which is what the type OptionValues describes.
 */
function erase<S extends { readonly options?: OptionTable }>(spec: S): Omit<S, 'run' | 'options'> & CommandNode {
  return { ...spec, options: spec.options ?? {} } as unknown as Omit<S, 'run' | 'options'> & CommandNode;
}

// ---- parsing ----

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

const repeatable = (o: OptionSpec): boolean => o.type === 'string' && o.repeatable === true;

async function runCommand(cmd: Command, argv: string[]): Promise<CommandResult> {
  const flags = flagsOf(cmd);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of flags)
    config[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(repeatable(o) ? { multiple: true } : {}),
    };
  const takesArgs = leavesOf(cmd).some(({ node }) => node.args || node.extraArgs) || cmd.subcommands !== undefined;
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: config, allowPositionals: takesArgs, strict: true }));
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
    const guess = unknown !== undefined ? closest(unknown, [...flags.keys()]) : undefined;
    throw new UsageError(message, guess !== undefined ? `Did you mean --${guess}?` : undefined);
  }
  if (values.help) {
    const { renderHelp } = await import('./help.js');
    return { stdout: renderHelp(cmd) + '\n', exitCode: 0 };
  }
  const given = Object.keys(values).filter((k) => values[k] !== undefined);

  // Down the subcommands the positionals name; at each step, a flag nothing below takes is refused.
  let node: CommandNode = cmd;
  const path = [cmd.name];
  let rest = positionals;
  for (;;) {
    const subs = node.subcommands;
    if (!subs) break;
    const name = rest[0];
    const next = name !== undefined && Object.prototype.hasOwnProperty.call(subs, name) ? subs[name] : undefined;
    if (!next) {
      if (node.run) break;
      const names = Object.keys(subs);
      if (name === undefined) throw new UsageError(`${path.join(' ')} needs a subcommand: ${orList(names)}`);
      const guess = closest(name, names);
      throw new UsageError(
        `unknown ${path.join(' ')} subcommand ${JSON.stringify(name)}: ${orList(names)}`,
        guess !== undefined ? `Did you mean ${path.join(' ')} ${guess}?` : undefined,
      );
    }
    node = next;
    path.push(name!);
    rest = rest.slice(1);
    if (node.subcommands)
      refuse(cmd, node, path, given, (f) => leavesOf(node).some((l) => Object.hasOwn(l.node.options, f)));
  }
  refuse(cmd, node, path, given, (f) => Object.hasOwn(node.options, f));

  if (rest.length && !node.args) {
    // A default run beside subcommands (`serve` and `serve token`): the word may be a mistyped one.
    const guess = node.subcommands ? closest(rest[0]!, Object.keys(node.subcommands)) : undefined;
    const hint = guess !== undefined ? `Did you mean ${path.join(' ')} ${guess}?` : undefined;
    if (node.extraArgs) throw new UsageError(node.extraArgs(rest), hint);
    throw new UsageError(`${path.join(' ')} takes no arguments, got ${rest.join(' ')}`, hint);
  }
  const opts: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(node.options)) opts[camelCase(name)] = valueOf(name, o, values[name]);
  return node.run!(opts, rest);
}

/** `<path> does not take --flag`, with why (its `refuses`) or which other (sub)command does. */
function refuse(
  cmd: Command,
  node: CommandNode,
  path: string[],
  given: string[],
  takes: (flag: string) => boolean,
): void {
  for (const f of given) {
    if (f === 'help' || takes(f)) continue;
    const why = node.refuses?.[f];
    const others = leavesOf(cmd)
      .filter((l) => Object.hasOwn(l.node.options, f))
      .map((l) => (l.path.length ? l.path.join(' ') : cmd.name));
    const hint =
      why !== undefined
        ? `: ${why}`
        : others.length
          ? ` (${andList(others)} ${others.length === 1 ? 'does' : 'do'})`
          : '';
    throw new UsageError(`${path.join(' ')} does not take --${f}${hint}`);
  }
}

function valueOf(name: string, o: OptionSpec, raw: string | boolean | Array<string | boolean> | undefined): unknown {
  if (o.type === 'boolean') return raw === true;
  const one = (v: string): unknown => {
    const flag = `--${name}`;
    if (o.choices) {
      const allowed = Array.isArray(o.choices) ? o.choices : Object.keys(o.choices);
      if (!allowed.includes(v))
        throw new UsageError(`${flag}: ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
    }
    return o.parse ? o.parse(v, flag) : v;
  };
  if (raw === undefined) return o.default !== undefined ? one(o.default) : undefined;
  if (!Array.isArray(raw)) return one(String(raw));
  if (o.repeatable) return raw.map((v) => one(String(v)));
  // Collected because a sibling repeats it; here it is taken once.
  if (raw.length > 1 && o.several !== undefined) throw new UsageError(o.several);
  return one(String(raw[raw.length - 1]));
}

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

/**
 * The candidate a mistyped word most likely meant: the nearest by edit distance (at most 2, or a
 * third of the word's length for long words), else the only candidate it is a prefix of.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best !== undefined) return best;
  const prefixed = word.length >= 3 ? candidates.filter((c) => c.startsWith(word)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
