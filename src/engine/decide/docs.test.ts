import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { expectGeneratedSection } from '../../testing/generated-section.js';
import { README_BEGIN, README_END, renderDecideReference } from './docs.js';
import { FACTS } from './facts.js';
import { PLAYBOOK_SPECS } from './playbooks.js';

const README = fileURLToPath(new URL('./README.md', import.meta.url));

it('README.md carries the generated reference of the questions, facts, playbooks and rule meanings', async () => {
  await expectGeneratedSection(
    README,
    README_BEGIN,
    README_END,
    renderDecideReference(),
    process.env.UPDATE_DECIDE_README === '1',
  );
});

it('the reference names every fact and every playbook', () => {
  const ref = renderDecideReference();
  for (const f of FACTS) expect(ref).toContain(`\`${f.name}\``);
  for (const p of PLAYBOOK_SPECS) expect(ref).toContain(`**\`${p.id}\`**`);
});
