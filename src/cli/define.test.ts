import { describe, expect, expectTypeOf, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { closest, defineCommand, flagsOf, subcommand, type OptionValues } from './define.js';
import { outputOption } from './flags.js';

const TABLE = {
  base: { type: 'string', metavar: 'REV', description: 'base revision' },
  head: { type: 'string', metavar: 'REV', default: 'HEAD', description: 'head revision' },
  worktree: { type: 'boolean', description: 'the working tree' },
  'change-id': { type: 'string', metavar: 'ID', description: 'the change' },
  fact: { type: 'string', metavar: 'NAME=VALUE', repeatable: true, description: 'a fact' },
  port: { type: 'string', metavar: 'N', default: '8080', parse: (v: string) => Number(v), description: 'port' },
  output: outputOption(['text', 'json']),
} as const;

/** A command that returns what its run received, as JSON. */
function echo() {
  return defineCommand({
    name: 'echo',
    usage: ['rollwright echo [flags]'],
    options: TABLE,
    run: async (opts) => ({ stdout: JSON.stringify(opts), exitCode: 0 }),
  });
}

async function values(argv: string[]): Promise<unknown> {
  return JSON.parse((await echo().main(argv)).stdout);
}

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UsageError);
  return e as UsageError;
}

describe('defineCommand: the values a run receives', () => {
  it('are typed from the table: defaults and booleans always set, the rest optional, choices as a union', () => {
    expectTypeOf<OptionValues<typeof TABLE>>().toEqualTypeOf<{
      head: string;
      worktree: boolean;
      port: number;
      output: 'text' | 'json';
      base?: string;
      changeId?: string;
      fact?: string[];
    }>();
  });

  it('camel-case the names, apply defaults (through parse) and leave absent flags out', async () => {
    expect(await values([])).toEqual({ head: 'HEAD', worktree: false, port: 8080, output: 'text' });
    expect(
      await values(['--base', 'a', '--change-id=X', '--worktree', '--fact', 'a=1', '--fact', 'b=2', '-o', 'json']),
    ).toEqual({
      base: 'a',
      head: 'HEAD',
      worktree: true,
      changeId: 'X',
      fact: ['a=1', 'b=2'],
      port: 8080,
      output: 'json',
    });
  });

  it('refuse a value that is not a choice, naming the flag and the choices', async () => {
    const e = await usageError(echo().main(['-o', 'yaml']));
    expect(e.message).toBe('--output: "yaml" is not one of text, json');
  });

  it('keep parseArgs messages for unknown flags and missing values, and suggest the flag meant', async () => {
    const e = await usageError(echo().main(['--bsae', 'x']));
    expect(e.message).toBe("Unknown option '--bsae'");
    expect(e.hint).toBe('Did you mean --base?');
    expect((await usageError(echo().main(['--change', 'x']))).hint).toBe('Did you mean --change-id?');
    expect((await usageError(echo().main(['--frobnicate']))).hint).toBeUndefined();
    expect((await usageError(echo().main(['--base']))).message).toBe("Option '--base <value>' argument missing");
    expect((await usageError(echo().main(['extra']))).message).toMatch(/^Unexpected argument 'extra'/);
  });

  it('answer --help with the help, before running anything', async () => {
    const r = await echo().main(['--help', '--base', 'x']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        'Usage: rollwright echo [flags]',
        '',
        'Flags:',
        '      --base REV         base revision',
        '      --head REV         head revision (default: HEAD)',
        '      --worktree         the working tree',
        '      --change-id ID     the change',
        '      --fact NAME=VALUE  a fact (repeatable)',
        '      --port N           port (default: 8080)',
        '  -o, --output FORMAT    output format: text (default) or json',
        '  -h, --help             show this help',
        '',
      ].join('\n'),
    );
  });
});

describe('defineCommand: subcommands', () => {
  const WHERE = { store: { type: 'string', metavar: 'STORE', description: 'the store' } } as const;
  const calls: string[] = [];
  const cmd = defineCommand({
    name: 'ledger',
    usage: ['rollwright ledger verify|export'],
    options: { listen: { type: 'string', metavar: 'ADDR', description: 'address' }, ...WHERE },
    extraArgs: (args) => `ledger takes no arguments (got ${args.join(' ')})`,
    run: async (opts) => (calls.push(`ledger ${opts.listen}`), { stdout: '', exitCode: 0 }),
    subcommands: {
      verify: subcommand({
        summary: 'verify',
        options: { ...WHERE, output: outputOption(['text', 'json']) },
        run: async (opts) => (calls.push(`verify ${opts.output}`), { stdout: '', exitCode: 0 }),
      }),
      token: subcommand({
        summary: 'tokens',
        subcommands: {
          create: subcommand({
            summary: 'create',
            options: { scope: { type: 'string', metavar: 'S', description: 'scope' }, ...WHERE },
            refuses: { output: 'it prints the token alone' },
            run: async (opts, args) => (calls.push(`create ${opts.scope} ${args}`), { stdout: '', exitCode: 0 }),
          }),
          list: subcommand({
            summary: 'list',
            args: [{ name: 'ID', description: 'an id' }],
            options: { ...WHERE, output: outputOption(['text', 'json']) },
            run: async (_, args) => (calls.push(`list ${args.join(',')}`), { stdout: '', exitCode: 0 }),
          }),
        },
      }),
    },
  });

  it('run the (sub)command the arguments name, with its own flags', async () => {
    calls.length = 0;
    await cmd.main(['--listen', ':1']);
    await cmd.main(['verify', '-o', 'json']);
    await cmd.main(['token', 'create', '--scope', 'read']);
    await cmd.main(['token', 'list', 'a', 'b', '--store', 's']);
    expect(calls).toEqual(['ledger :1', 'verify json', 'create read ', 'list a,b']);
  });

  it('refuse a flag the subcommand does not take, saying which one does or why not', async () => {
    expect((await usageError(cmd.main(['verify', '--listen', 'x']))).message).toBe(
      'ledger verify does not take --listen (ledger does)',
    );
    expect((await usageError(cmd.main(['--scope', 'x']))).message).toBe(
      'ledger does not take --scope (token create does)',
    );
    expect((await usageError(cmd.main(['token', 'list', '--listen', 'x']))).message).toBe(
      'ledger token does not take --listen (ledger does)',
    );
    expect((await usageError(cmd.main(['token', 'create', '-o', 'json']))).message).toBe(
      'ledger token create does not take --output: it prints the token alone',
    );
  });

  it('name a missing or unknown subcommand, and arguments where none are taken', async () => {
    expect((await usageError(cmd.main(['token']))).message).toBe('ledger token needs a subcommand: create or list');
    const e = await usageError(cmd.main(['token', 'lsit']));
    expect(e.message).toBe('unknown ledger token subcommand "lsit": create or list');
    expect(e.hint).toBe('Did you mean ledger token list?');
    expect((await usageError(cmd.main(['nope']))).message).toBe('ledger takes no arguments (got nope)');
    const typo = await usageError(cmd.main(['tokn', 'list']));
    expect(typo.message).toBe('ledger takes no arguments (got tokn list)');
    expect(typo.hint).toBe('Did you mean ledger token?');
    expect((await usageError(cmd.main(['verify', 'x', 'y']))).message).toBe(
      'ledger verify takes no arguments, got x y',
    );
  });

  it('refuse two declarations of one flag that parse differently', () => {
    const bad = defineCommand({
      name: 'bad',
      usage: [],
      subcommands: {
        a: subcommand({
          summary: 'a',
          options: { x: { type: 'boolean', description: 'x' } },
          run: async () => ({ stdout: '', exitCode: 0 }),
        }),
        b: subcommand({
          summary: 'b',
          options: { x: { type: 'string', metavar: 'X', description: 'x' } },
          run: async () => ({ stdout: '', exitCode: 0 }),
        }),
      },
    });
    expect(() => flagsOf(bad)).toThrow(/--x is declared twice/);
  });

  it('take a flag once where a sibling repeats it: the message the table gives, else the last value', async () => {
    const cmd = defineCommand({
      name: 'keys',
      usage: [],
      subcommands: {
        check: subcommand({
          summary: 'check',
          options: { key: { type: 'string', metavar: 'PUB', repeatable: true, description: 'keys to trust' } },
          run: async (opts) => ({ stdout: JSON.stringify(opts.key), exitCode: 0 }),
        }),
        sign: subcommand({
          summary: 'sign',
          options: {
            key: { type: 'string', metavar: 'KEY', several: 'keys sign signs with one --key', description: 'the key' },
            label: { type: 'string', metavar: 'L', description: 'a label' },
          },
          run: async (opts) => ({ stdout: JSON.stringify([opts.key, opts.label]), exitCode: 0 }),
        }),
      },
    });
    expect((await cmd.main(['check', '--key', 'a', '--key', 'b'])).stdout).toBe('["a","b"]');
    expect((await cmd.main(['sign', '--key', 'a'])).stdout).toBe('["a",null]');
    expect((await usageError(cmd.main(['sign', '--key', 'a', '--key', 'b']))).message).toBe(
      'keys sign signs with one --key',
    );
    expect((await cmd.main(['sign', '--key', 'a', '--label', 'x', '--label', 'y'])).stdout).toBe('["a","y"]');
  });
});

describe('closest', () => {
  it.each([
    ['bsae', 'base'],
    ['worktre', 'worktree'],
    ['databse-url', 'database-url'],
    ['change', 'change-id'],
    ['frobnicate', undefined],
    ['x', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(closest(word, ['base', 'head', 'worktree', 'database-url', 'change-id', 'help'])).toBe(expected);
  });
});
