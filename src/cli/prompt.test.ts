import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { factSpec } from '../engine/decide/facts.js';
import { askFacts } from './prompt.js';

function io(answers: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString('utf8')));
  input.end(answers);
  return { io: { input, output }, shown: () => shown };
}

describe('askFacts', () => {
  it('asks each fact with the consequence of each answer and reads yes/no, a value, or nothing', async () => {
    const t = io('yes\nmaybe\nn\n\nsha256:abc\n');
    const specs = ['loop-repeating-damage', 'data-changed', 'artifact-available', 'previous-artifact'].map((n) =>
      factSpec(n)!,
    );
    const answers = await askFacts(specs, t.io);
    // "maybe" is asked again; the empty answer leaves artifact-available assumed.
    expect([...answers]).toEqual([
      ['loop-repeating-damage', true],
      ['data-changed', false],
      ['previous-artifact', 'sha256:abc'],
    ]);
    const shown = t.shown();
    expect(shown).toContain('rollwright needs 4 facts it cannot infer');
    expect(shown).toContain(factSpec('loop-repeating-damage')!.question);
    expect(shown).toContain(`  yes: ${factSpec('loop-repeating-damage')!.ifYes}`);
    expect(shown).toContain(`  no:  ${factSpec('loop-repeating-damage')!.ifNo}`);
    expect(shown).toContain('answer yes or no');
    expect(shown).toContain('(left assumed)');
  });

  it('stops at the end of input, keeping what was answered', async () => {
    const t = io('no\n');
    const answers = await askFacts([factSpec('state-drift')!, factSpec('data-changed')!], t.io);
    expect([...answers]).toEqual([['state-drift', false]]);
  });
});
