import { describe, expect, it } from 'vitest';
import type { Location, MessageData } from './finding.js';
import { defineToggleRule, type Move, type Sides } from './toggle.js';

interface Thing {
  name: string;
  flag?: boolean;
  mode?: string;
}
type Pair = Sides<Thing>;

const meta = {
  id: 'thing-toggled',
  surface: 'test',
  class: 'fully-reversible',
  severity: 'info',
  docs: { summary: 'A thing is toggled.', rationale: 'The template under test.' },
} as const;

/** Runs a rule's check on pairs and returns `messageId data-json file:line [object]` per report. */
async function run(rule: ReturnType<typeof defineToggleRule<Pair[], string, Pair>>, pairs: Pair[]) {
  const out: string[] = [];
  const report = (id: string, data: MessageData, at: Location, extra?: { object?: string }) =>
    out.push(`${id} ${JSON.stringify(data)} ${at.file}:${at.line}${extra ? ` ${extra.object}` : ''}`);
  await rule.check(Object.assign(pairs, { report, options: {} }));
  return out;
}

const thing = (flag: boolean | undefined, name = 't'): Thing => (flag === undefined ? { name } : { name, flag });

describe('defineToggleRule', () => {
  const every = defineToggleRule({
    ...meta,
    messages: { added: 'a', on: 'b', off: 'c', kept: 'd' },
    pairs: (ps: Pair[]) => ps,
    switches: [
      {
        read: (t) => t.flag === true,
        moves: { added: 'added', on: 'on', off: 'off', kept: 'kept' },
        data: ({ after }, now, was) => ({ name: after.name, now, was: String(was) }),
        at: ({ after }, move: Move) => ({ file: `${after.name}.yaml`, line: move.length }),
      },
    ],
  });

  it('keeps the metadata and makes a normal rule', () => {
    expect([every.id, every.surface, every.class, every.severity, every.docs, every.messages]).toEqual([
      meta.id,
      meta.surface,
      meta.class,
      meta.severity,
      meta.docs,
      { added: 'a', on: 'b', off: 'c', kept: 'd' },
    ]);
    expect(typeof every.check).toBe('function');
    expect(Object.keys(every)).not.toContain('switches');
  });

  it.each<[string, boolean | undefined | 'absent', boolean | undefined, string | undefined]>([
    ['new and on', 'absent', true, 'added {"name":"t","now":true,"was":"undefined"} t.yaml:5'],
    ['new and off', 'absent', false, undefined],
    ['new and unset', 'absent', undefined, undefined],
    ['turned on', false, true, 'on {"name":"t","now":true,"was":"false"} t.yaml:2'],
    ['turned on from unset', undefined, true, 'on {"name":"t","now":true,"was":"false"} t.yaml:2'],
    ['turned off', true, false, 'off {"name":"t","now":false,"was":"true"} t.yaml:3'],
    ['removed (unset)', true, undefined, 'off {"name":"t","now":false,"was":"true"} t.yaml:3'],
    ['kept on', true, true, 'kept {"name":"t","now":true,"was":"true"} t.yaml:4'],
    ['kept off', false, undefined, undefined],
  ])('%s', async (_, was, now, expected) => {
    const pair: Pair = was === 'absent' ? { after: thing(now) } : { before: thing(was), after: thing(now) };
    expect(await run(every, [pair])).toEqual(expected ? [expected] : []);
  });

  it('reports only the moves it lists, with messages chosen per pair, and the object when asked', async () => {
    const rule = defineToggleRule({
      ...meta,
      messages: { onA: 'a', onB: 'b' },
      pairs: (ps: Pair[]) => ps,
      object: ({ after }) => `obj/${after.name}`,
      switches: [
        {
          read: (t) => t.flag === true,
          moves: { on: ({ after }) => (after.name === 'a' ? 'onA' : 'onB') },
          data: ({ after }) => ({ name: after.name }),
          at: () => ({ file: 'f', line: 1 }),
        },
      ],
    });
    const pairs: Pair[] = [
      { before: thing(false, 'a'), after: thing(true, 'a') },
      { before: thing(false, 'b'), after: thing(true, 'b') },
      { after: thing(true, 'c') },
      { before: thing(true, 'd'), after: thing(false, 'd') },
    ];
    expect(await run(rule, pairs)).toEqual(['onA {"name":"a"} f:1 obj/a', 'onB {"name":"b"} f:1 obj/b']);
  });

  it('takes pairs found asynchronously, and stays synchronous when they are at hand', async () => {
    const spec = {
      ...meta,
      messages: { on: 'on' },
      switches: [
        {
          read: (t: Thing) => t.flag === true,
          moves: { on: 'on' as const },
          data: ({ after }: Pair) => ({ name: after.name }),
          at: () => ({ file: 'f', line: 1 }),
        },
      ],
    };
    const pairs: Pair[] = [{ before: thing(false), after: thing(true) }];
    const later = defineToggleRule({ ...spec, pairs: async (ps: Pair[]) => ps });
    expect(await run(later, pairs)).toEqual(['on {"name":"t"} f:1']);
    const now = defineToggleRule({ ...spec, pairs: (ps: Pair[]) => ps });
    expect(now.check(Object.assign([...pairs], { report: () => undefined, options: {} }))).toBeUndefined();
  });

  it('reads an enum as on and off, and a value as changed, switch by switch in order', async () => {
    const rule = defineToggleRule({
      ...meta,
      messages: { enabled: 'e', disabled: 'd', mode: 'm' },
      pairs: (ps: Pair[]) => ps,
      switches: [
        {
          read: (t) => t.mode ?? 'disabled',
          on: (mode: string) => mode === 'enabled',
          moves: { added: 'enabled', on: 'enabled', off: 'disabled' },
          data: (_, now) => ({ mode: now }),
          at: () => ({ file: 'f', line: 1 }),
        },
        {
          read: (t) => t.mode ?? '',
          moves: { changed: 'mode' },
          data: (_, now, was) => ({ from: was, to: now }),
          at: () => ({ file: 'f', line: 2 }),
        },
      ],
    });
    const pair = (was: string | undefined | null, now?: string): Pair => ({
      ...(was === null ? {} : { before: was === undefined ? { name: 't' } : { name: 't', mode: was } }),
      after: now === undefined ? { name: 't' } : { name: 't', mode: now },
    });
    expect(await run(rule, [pair('warn', 'enabled')])).toEqual([
      'enabled {"mode":"enabled"} f:1',
      'mode {"from":"warn","to":"enabled"} f:2',
    ]);
    expect(await run(rule, [pair('enabled', 'warn')])).toEqual([
      'disabled {"mode":"warn"} f:1',
      'mode {"from":"enabled","to":"warn"} f:2',
    ]);
    expect(await run(rule, [pair('warn', undefined)])).toEqual(['mode {"from":"warn","to":""} f:2']);
    expect(await run(rule, [pair(null, 'enabled')])).toEqual(['enabled {"mode":"enabled"} f:1']);
    expect(await run(rule, [pair(null, 'warn'), pair('warn', 'warn')])).toEqual([]);
  });
});
