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
import {
  andList,
  flagsOf,
  HELP_OPTION,
  leavesOf,
  orList,
  repeatable,
  type Command,
  type CommandNode,
  type CommandSpec,
  type OptionSpec,
  type OptionTable,
  type Subcommand,
  type SubcommandSpec,
  closest,
  camelCase,
} from './table.js';

export * from './table.js';

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
