import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FACTS } from '../facts.js';
import { QUESTIONS } from './index.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));

it('lists every question module of this folder once, in the order its file name gives', async () => {
  const files = readdirSync(DIR)
    .filter((f) => /^\d+-[a-z-]+\.ts$/.test(f) && !f.endsWith('-checks.ts'))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const modules = await Promise.all(
    files.map(async (f) => ((await import(`./${f.replace(/\.ts$/, '.js')}`)) as { default: unknown }).default),
  );
  expect(modules).toHaveLength(QUESTIONS.length);
  modules.forEach((m, i) => expect(m, files[i]).toBe(QUESTIONS[i]));
  QUESTIONS.forEach((q, i) => {
    expect(q.n, q.id).toBe(i + 1);
    expect(files[i]!.startsWith(`${q.n}-`), files[i]).toBe(true);
  });
  expect(new Set(QUESTIONS.map((q) => q.id)).size).toBe(QUESTIONS.length);
});

it('asks only facts of the vocabulary, each by one question', () => {
  const asked = QUESTIONS.flatMap((q) => q.facts);
  expect(new Set(asked).size).toBe(asked.length);
  for (const f of asked) expect(FACTS.map((x) => x.name)).toContain(f);
});
