import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { expect } from 'vitest';

/**
 * Asserts that the markdown file carries `content` between the `begin` and `end` markers, formatted as
 * prettier writes it (tables aligned); with `update` true it rewrites the file instead.
 */
export async function expectGeneratedSection(
  file: string,
  begin: string,
  end: string,
  content: string,
  update: boolean,
): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  expect(start).toBeGreaterThan(-1);
  expect(stop).toBeGreaterThan(start);
  const candidate = text.slice(0, start) + `${begin}\n\n${content}\n${end}` + text.slice(stop + end.length);
  const expected = await format(candidate, { ...(await resolveConfig(file)), parser: 'markdown' });
  if (update) writeFileSync(file, expected);
  else expect(text).toBe(expected);
}
