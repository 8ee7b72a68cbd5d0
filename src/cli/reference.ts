/**
 * The CLI reference, docs/cli.md, made from the command tables: `npm run docs` writes it
 * (scripts/docs.mjs), and reference.test.ts fails when the file and the tables disagree.
 */
import { leavesOf, type Command, type OptionSpec } from './table.js';
import { blocksOf, choicesOf, flagGroups, flagLabel, subcommandsOf } from './help.js';
import { COMMANDS } from './main.js';

/** Every command's table, in the order of `rollwright --help`. */
export async function loadCommands(): Promise<Array<{ summary: string; command: Command }>> {
  const out: Array<{ summary: string; command: Command }> = [];
  for (const [name, c] of Object.entries(COMMANDS)) {
    const { command } = await c.load();
    if (command.name !== name) throw new Error(`the command loaded for ${name} is named ${command.name}`);
    out.push({ summary: c.summary, command });
  }
  return out;
}

export async function renderReference(): Promise<string> {
  const commands = await loadCommands();
  const out = [
    '# CLI reference',
    '',
    '<!-- Generated from the option tables in src/cli/commands by `npm run docs`: edit those, not this file. -->',
    '',
    'rollwright <command> [flags]; `rollwright <command> --help` prints the section of one command.',
    'Every command takes `-h, --help`. Flags may come before or after arguments; `--flag=value` and `--flag value` are the same.',
    'Machine output goes to stdout, diagnostics to stderr. A usage error (an unknown flag, a bad value) exits 2.',
    '',
    '| command | what it does |',
    '| --- | --- |',
    ...commands.map(({ summary, command }) => row(`[\`${command.name}\`](#${command.name})`, md(summary))),
  ];
  for (const { summary, command } of commands) out.push('', ...section(command, summary));
  return out.join('\n') + '\n';
}

function section(cmd: Command, summary: string): string[] {
  const out = [`## ${cmd.name}`, '', '```', ...cmd.usage, '```', ''];
  out.push(...(cmd.description ? prose(cmd.description) : [`${capitalise(md(summary))}.`, '']));
  const subs = subcommandsOf(cmd);
  if (subs.length) {
    out.push('| subcommand | what it does |', '| --- | --- |');
    for (const { path, summary: s } of subs) out.push(row(`\`${path.join(' ')}\``, md(s)));
    out.push('');
  }
  const args = leavesOf(cmd).flatMap(({ path, node }) => (node.args ?? []).map((a) => ({ path, ...a })));
  if (args.length) {
    out.push('| argument | meaning |', '| --- | --- |');
    for (const a of args)
      out.push(
        row(`\`${[...a.path, a.name].join(' ')}\``, md(a.description) + (a.details ? `; ${md(a.details)}` : '')),
      );
    out.push('');
  }
  for (const g of flagGroups(cmd)) {
    out.push(g.of.length ? `Flags of ${g.of.map((p) => `\`${p}\``).join(', ')}:` : 'Flags:', '');
    out.push('| flag | default | meaning |', '| --- | --- | --- |');
    for (const [name, o] of g.flags)
      if (name !== 'help') out.push(row(`\`${flagLabel(name, o)}\``, docDefault(o), meaning(o)));
    out.push('');
  }
  if (cmd.notes) out.push(...prose(cmd.notes));
  const codes = Object.entries(cmd.exitCodes ?? {});
  if (codes.length) {
    out.push('| exit code | meaning |', '| --- | --- |');
    for (const [code, text] of codes) out.push(row(code, md(text)));
    out.push('');
  }
  out.pop();
  return out;
}

function prose(text: string): string[] {
  return blocksOf(text).flatMap((b) =>
    b.verbatim ? ['```text', ...b.lines.map((l) => l.slice(2)), '```', ''] : [md(b.lines[0]!), ''],
  );
}

function docDefault(o: OptionSpec): string {
  if (o.type === 'boolean') return o.env ? `\`${o.env}=1\`` : o.defaultText ? value(o.defaultText) : '';
  const parts = [
    ...(o.env ? [`\`${o.env}\``] : []),
    ...(o.defaultText !== undefined ? [value(o.defaultText)] : o.default !== undefined ? [`\`${o.default}\``] : []),
  ];
  return parts.join(', else ');
}

/** A default in words stays words; one word (`.`, `HEAD`, a path) is a value. */
function value(text: string): string {
  return /\s/.test(text) ? md(text) : `\`${text}\``;
}

function meaning(o: OptionSpec): string {
  let text = md(o.description);
  const choices = choicesOf(o);
  if (choices)
    text += `: ${choices.map(({ value, meaning: m }) => `\`${value}\`${m ? ` (${md(m)})` : ''}`).join(', ')}`;
  if (o.type === 'string' && o.repeatable) text += ' (repeatable)';
  if (o.details) text += `; ${md(o.details)}`;
  return text;
}

/** A table row; a `|` in a code span is escaped too, or the table would split there. */
function row(...cells: string[]): string {
  const escaped = cells.map((c) =>
    c
      .split(/(`[^`]*`)/)
      .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, '\\|') : part))
      .join(''),
  );
  return `| ${escaped.join(' | ')} |`;
}

/**
 * Plain text as Markdown: flags and environment variables in code spans; outside code spans, the
 * characters Markdown would read (`|` in a table, `<`, `*`, `_` at a word's edge) escaped.
 */
export function md(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/[\\|<>*]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
            .replace(/(?<![\w`-])(--[a-z][a-z0-9-]*(?: [A-Z]+\b)?|ROLLWRIGHT_[A-Z_]+(?:=1)?)/g, '`$1`'),
    )
    .join('');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
