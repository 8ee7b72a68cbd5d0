import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leavesOf } from './define.js';
import { renderHelp } from './help.js';
import { loadCommands, renderReference } from './reference.js';

const DOCS = new URL('../../docs/', import.meta.url);

describe('docs/cli.md', () => {
  it('is what the command tables make (run `npm run docs` after changing a table)', async () => {
    expect(readFileSync(new URL('cli.md', DOCS), 'utf8')).toBe(await renderReference());
  });

  it('has the section every link to it names', async () => {
    const sections = new Set((await loadCommands()).map(({ command }) => command.name));
    for (const file of ['../README.md', ...readdirSync(DOCS).filter((f) => f.endsWith('.md'))]) {
      const text = readFileSync(new URL(file, DOCS), 'utf8');
      for (const [, anchor] of text.matchAll(/cli\.md#([\w-]+)/g))
        expect(sections, `${file}: #${anchor}`).toContain(anchor);
    }
  });
});

describe('the command tables', () => {
  it('name in each usage line only the flags the command takes, and the choices of -o it has', async () => {
    for (const { command } of await loadCommands()) {
      const leaves = leavesOf(command);
      const flags = new Set(leaves.flatMap(({ node }) => Object.keys(node.options)));
      const outputs = leaves.flatMap(({ node }) => {
        const o = node.options.output;
        if (o?.type !== 'string' || !o.choices) return [];
        return [(Array.isArray(o.choices) ? o.choices : Object.keys(o.choices)).join('|')];
      });
      for (const line of command.usage) {
        // A line goes on, indented, with more flags.
        expect(line, command.name).toMatch(new RegExp(`^(rollwright (${command.name}|--version)\\b| +\\[)`));
        for (const [, flag] of line.matchAll(/--([a-z][a-z-]*)/g))
          if (flag !== 'version') expect(flags, `${command.name}: ${line}`).toContain(flag);
        for (const [, choices] of line.matchAll(/-o ([a-z|]+)/g))
          expect(outputs, `${command.name}: ${line}`).toContain(choices);
      }
    }
  });

  it('declare exit codes 0 and 2 for every command, and a meaning for every flag', async () => {
    for (const { command } of await loadCommands()) {
      expect(Object.keys(command.exitCodes ?? {}), command.name).toEqual(expect.arrayContaining(['0', '2']));
      for (const { node } of leavesOf(command))
        for (const [name, o] of Object.entries(node.options)) {
          expect(o.description, `${command.name} --${name}`).toMatch(/^[a-zA-Z(]/);
          expect(o.description, `${command.name} --${name}`).not.toMatch(/[.\s]$/);
        }
    }
  });

  it('make help whose prose fits in 100 columns (tables and examples are kept as written)', async () => {
    for (const { command } of await loadCommands()) {
      const verbatim = new Set(
        [command.description ?? '', command.notes ?? ''].flatMap((t) =>
          t.split('\n').filter((l) => l.startsWith('  ')),
        ),
      );
      for (const line of renderHelp(command).split('\n'))
        if (!verbatim.has(line) && !line.startsWith('Usage: ') && !line.startsWith('       rollwright'))
          expect(line.length, `${command.name}: ${line}`).toBeLessThanOrEqual(100);
    }
  });
});
