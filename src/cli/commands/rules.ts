import { allRules } from '../../registry.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../main.js';

export const help = `Usage: rollwright rules [-o text|json|markdown]

List every rule with its surface, class, severity and summary.`;

/** Placeholder: the full listing (with the generated reference) replaces it. */
export async function run(argv: string[]): Promise<CommandResult> {
  const { values } = parse(argv, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json', 'markdown'] as const, 'text');
  const rules = allRules();
  if (format === 'json')
    return {
      stdout:
        JSON.stringify(
          rules.map((r) => ({ rule: `${r.surface}/${r.id}`, class: r.class })),
          null,
          2,
        ) + '\n',
      exitCode: 0,
    };
  return {
    stdout: rules.map((r) => `${r.surface}/${r.id}\t${r.class}\t${r.severity}\t${r.docs.summary}`).join('\n') + '\n',
    exitCode: 0,
  };
}
