import { createInterface } from 'node:readline';
import type { FactSpec } from '../engine/decide/facts.js';
import { parseFactValue } from '../engine/decide/facts.js';
import type { FactValue } from '../engine/decide/types.js';

/**
 * Questions on a terminal (docs/decide.md): each fact the decision needs and cannot infer is asked on
 * stderr, with what each answer does to the decision, and read from stdin. Only asked when both are
 * terminals; a non-interactive run lists the facts as assumptions instead.
 */
export interface PromptIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Asks each fact in order. A yes/no fact takes y, yes, n, no (and true/false, 1/0); a text fact any
 * non-empty value. An empty answer (or `?`, `skip`) leaves the fact unanswered: it stays an
 * assumption. End of input stops asking. Returns the answers given.
 */
export async function askFacts(specs: readonly FactSpec[], io: PromptIO): Promise<Map<string, FactValue>> {
  const answers = new Map<string, FactValue>();
  if (specs.length === 0) return answers;
  const rl = createInterface({ input: io.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const say = (s: string) => io.output.write(s);
  try {
    say(
      `rollwright needs ${specs.length === 1 ? 'one fact' : `${specs.length} facts`} it cannot infer (Enter leaves a fact assumed):\n`,
    );
    outer: for (const spec of specs) {
      say(`\n${spec.question}\n`);
      if (spec.type === 'boolean') {
        say(`  yes: ${spec.ifYes}\n  no:  ${spec.ifNo}\n`);
      } else {
        say(`  a value: ${spec.ifYes}\n  Enter:   ${spec.ifNo}\n`);
      }
      for (let tries = 0; tries < 3; tries++) {
        say(`  ${spec.name} ${spec.type === 'boolean' ? '[y/n]' : '[value]'}: `);
        const next = await lines.next();
        if (next.done) {
          say('\n');
          break outer;
        }
        const raw = next.value.trim();
        if (raw === '' || raw === '?' || raw.toLowerCase() === 'skip') {
          say(`  (left assumed)\n`);
          break;
        }
        try {
          answers.set(spec.name, parseFactValue(spec.name, raw));
          break;
        } catch {
          say(`  answer yes or no (or Enter to leave it assumed)\n`);
        }
      }
    }
  } finally {
    rl.close();
  }
  return answers;
}

/**
 * One line asked on the terminal: `question` (with its explanation) on the output, the answer read
 * from the input; `validate` returns a reason to ask again (three tries). Empty input, or the end of
 * input, returns undefined.
 */
export async function askLine(
  question: string,
  io: PromptIO,
  validate: (answer: string) => Promise<string | undefined> = async () => undefined,
): Promise<string | undefined> {
  const rl = createInterface({ input: io.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (let tries = 0; tries < 3; tries++) {
      io.output.write(question);
      const next = await lines.next();
      if (next.done) {
        io.output.write('\n');
        return undefined;
      }
      const answer = next.value.trim();
      if (answer === '') return undefined;
      const problem = await validate(answer);
      if (problem === undefined) return answer;
      io.output.write(`  ${problem}\n`);
    }
    return undefined;
  } finally {
    rl.close();
  }
}
