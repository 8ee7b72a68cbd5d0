/**
 * `rollwright <command> --help`, made from the command's table (define.ts). The pieces the CLI
 * reference shares (which flags each subcommand takes, how a default or a list of choices reads) are
 * exported for reference.ts.
 */
import { andList, flagsOf, HELP_OPTION, leavesOf, orList, type Command, type OptionSpec } from './table.js';
import { wrap } from '../core/wrap.js';

const WIDTH = 100;

/** A flag as declared by one or more (sub)commands: the same declaration object is the same flag. */
export interface FlagGroup {
  /** The (sub)commands taking these flags, as `ledger export`; empty for the flags they all take. */
  readonly of: readonly string[];
  readonly flags: ReadonlyArray<readonly [name: string, spec: OptionSpec]>;
}

/**
 * The flags grouped by the (sub)commands that take them: one group per set of subcommands, in the
 * order they are first declared, then the flags every one of them takes (with `--help` last).
 */
export function flagGroups(cmd: Command): FlagGroup[] {
  flagsOf(cmd); // checks that the declarations agree
  const leaves = leavesOf(cmd);
  const label = (path: readonly string[]) => [cmd.name, ...path].join(' ');
  const byFlag = new Map<OptionSpec, { name: string; of: string[] }>();
  for (const { path, node } of leaves)
    for (const [name, spec] of Object.entries(node.options)) {
      const seen = byFlag.get(spec) ?? { name, of: [] };
      seen.of.push(label(path));
      byFlag.set(spec, seen);
    }
  const groups = new Map<string, { of: string[]; flags: Array<readonly [string, OptionSpec]> }>();
  const common: Array<readonly [string, OptionSpec]> = [];
  for (const [spec, { name, of }] of byFlag) {
    if (of.length === leaves.length) {
      common.push([name, spec]);
      continue;
    }
    const key = of.join('\n');
    const g = groups.get(key) ?? { of, flags: [] };
    g.flags.push([name, spec]);
    groups.set(key, g);
  }
  common.push(['help', HELP_OPTION]);
  return [...groups.values(), { of: [], flags: common }];
}

/** `-o, --output FORMAT`, `--fact NAME=VALUE`. */
export function flagLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === 'string' ? ` ${o.metavar}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** The default, in words: `text`, `ROLLWRIGHT_STORE, else sqlite:<repo>/...`, or undefined (off, none). */
export function defaultOf(o: OptionSpec): string | undefined {
  if (o.type === 'boolean') return o.defaultText;
  const value = o.defaultText ?? o.default;
  if (o.env) return value !== undefined ? `${o.env}, else ${value}` : o.env;
  return value;
}

/** The values a flag allows, each with its meaning when declared so. */
export function choicesOf(o: OptionSpec): Array<{ value: string; meaning: string }> | undefined {
  if (o.type !== 'string' || !o.choices) return undefined;
  return Array.isArray(o.choices)
    ? o.choices.map((value: string) => ({ value, meaning: '' }))
    : Object.entries(o.choices).map(([value, meaning]) => ({ value, meaning }));
}

/** `text (default), json (schema rollwright.x/v1) or markdown`. */
function choiceList(o: OptionSpec): string {
  const def = o.type === 'string' ? o.default : undefined;
  return orList(
    choicesOf(o)!.map(({ value, meaning }) => {
      const notes = [value === def ? 'default' : '', meaning].filter(Boolean).join('; ');
      return notes ? `${value} (${notes})` : value;
    }),
  );
}

/** The help line's text for a flag: what it does, the choices, then repetition, default and variable. */
export function flagText(o: OptionSpec): string {
  let text = o.description;
  if (choicesOf(o)) text += `: ${choiceList(o)}`;
  const notes: string[] = [];
  if (o.type === 'string' && o.repeatable) notes.push('repeatable');
  // A default among the choices is marked in the list; any other default is said here.
  const def = o.type === 'string' && o.choices && o.default !== undefined ? o.env : defaultOf(o);
  if (def !== undefined) notes.push(`default: ${def}`);
  if (o.type === 'boolean' && o.env) notes.push(`also ${o.env}=1`);
  if (!notes.length) return text;
  // One parenthesis, not two in a row: `(0: no limit; default: 50)`.
  return text.endsWith(')') ? `${text.slice(0, -1)}; ${notes.join('; ')})` : `${text} (${notes.join('; ')})`;
}

export interface Block {
  readonly verbatim: boolean;
  readonly lines: string[];
  /** A blank line comes before it. */
  readonly gap: boolean;
}

/**
 * Text in blocks: paragraphs (one line each, to be wrapped) and runs of lines indented by two spaces
 * (kept as written: tables, examples).
 */
export function blocksOf(text: string): Block[] {
  const out: Block[] = [];
  text
    .trim()
    .split(/\n[ \t]*\n/)
    .forEach((block, i) => {
      let current: Block | undefined;
      for (const line of block.split('\n')) {
        const verbatim = line.startsWith('  ');
        if (current && current.verbatim === verbatim) current.lines.push(line);
        else {
          current = { verbatim, lines: [line], gap: i > 0 && current === undefined };
          out.push(current);
        }
      }
    });
  return out.map((b) => (b.verbatim ? b : { ...b, lines: [b.lines.map((l) => l.trim()).join(' ')] }));
}

/** The column where the right side of `rows` starts: after the widest left side, at most `max`. */
function columnOf(rows: ReadonlyArray<readonly [string, string]>, indent: number, max: number): number {
  return Math.min(Math.max(...rows.map(([l]) => l.length)) + indent + 2, max);
}

/** Two columns: `left` padded to `col`, `right` wrapped beside it (under it when `left` is too wide). */
function columns(rows: ReadonlyArray<readonly [string, string]>, indent: number, col: number): string[] {
  return rows.flatMap(([left, right]) => {
    const head = ' '.repeat(indent) + left;
    if (head.length + 2 > col) return [head, ' '.repeat(col) + wrap(right, WIDTH, col).join('\n')];
    return [head.padEnd(col) + wrap(right, WIDTH, col, col).join('\n')];
  });
}

function paragraphs(text: string): string {
  return blocksOf(text)
    .map(
      (b, i) =>
        (i === 0 ? '' : b.gap ? '\n\n' : '\n') + (b.verbatim ? b.lines : wrap(b.lines[0]!, WIDTH, 0)).join('\n'),
    )
    .join('');
}

export function renderHelp(cmd: Command): string {
  const out: string[] = [];
  out.push(cmd.usage.map((u, i) => (i === 0 ? `Usage: ${u}` : `       ${u}`)).join('\n'));
  if (cmd.description) out.push(paragraphs(cmd.description));
  const subs = subcommandsOf(cmd).map(({ path, summary }) => [path.join(' '), summary] as const);
  if (subs.length) out.push(['Subcommands:', ...columns(subs, 2, columnOf(subs, 2, 24))].join('\n'));
  const args = leavesOf(cmd).flatMap(({ path, node }) =>
    (node.args ?? []).map((a) => [[...path, a.name].join(' '), a.description] as const),
  );
  if (args.length) out.push(['Arguments:', ...columns(args, 2, columnOf(args, 2, 24))].join('\n'));
  const groups = flagGroups(cmd).map((g) => ({
    title: g.of.length ? `Flags of ${andList(g.of)}:` : 'Flags:',
    rows: g.flags.map(([name, o]) => [`${o.short ? '' : '    '}${flagLabel(name, o)}`, flagText(o)] as const),
  }));
  const col = columnOf(
    groups.flatMap((g) => g.rows),
    2,
    34,
  );
  for (const g of groups) out.push([g.title, ...columns(g.rows, 2, col)].join('\n'));
  if (cmd.notes) out.push(paragraphs(cmd.notes));
  const codes = Object.entries(cmd.exitCodes ?? {});
  if (codes.length) out.push(['Exit codes:', ...columns(codes, 2, 5)].join('\n'));
  return out.join('\n\n');
}

/** The subcommands that run, with their paths below the command and what each does. */
export function subcommandsOf(cmd: Command): Array<{ path: string[]; summary: string }> {
  return leavesOf(cmd).flatMap(({ path }) => {
    if (!path.length) return [];
    let node = cmd.subcommands![path[0]!]!;
    for (const p of path.slice(1)) node = node.subcommands![p]!;
    return [{ path, summary: node.summary }];
  });
}
