import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { expect, it } from 'vitest';
import { README_BEGIN, README_END, renderDecideReference } from './docs.js';
import { FACTS } from './facts.js';
import { PLAYBOOK_SPECS } from './playbooks.js';

const README = fileURLToPath(new URL('./README.md', import.meta.url));

it('README.md carries the generated reference of the questions, facts, playbooks and rule meanings', async () => {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const candidate =
    text.slice(0, start) +
    `${README_BEGIN}\n\n${renderDecideReference()}\n${README_END}` +
    text.slice(end + README_END.length);
  // the README is kept as prettier writes it (tables aligned), like every other README
  const expected = await format(candidate, { ...(await resolveConfig(README)), parser: 'markdown' });
  if (process.env.UPDATE_DECIDE_README === '1') writeFileSync(README, expected);
  else expect(text).toBe(expected);
});

it('the reference names every fact and every playbook', () => {
  const ref = renderDecideReference();
  for (const f of FACTS) expect(ref).toContain(`\`${f.name}\``);
  for (const p of PLAYBOOK_SPECS) expect(ref).toContain(`**\`${p.id}\`**`);
});
