import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { configAddress } from './model.js';
import { readPlan } from './read.js';
import { configResource, planJson, rc } from './testing.js';

async function* chunks(text: string, size: number, latin1 = false): AsyncGenerator<Buffer> {
  const b = Buffer.from(text, latin1 ? 'latin1' : 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('readPlan', () => {
  it('keeps compact changes, values only for the types asked, positions in the file', async () => {
    const text = JSON.stringify(
      JSON.parse(
        planJson({
          resource_changes: [
            rc('aws_db_instance.main', ['delete'], { before: { identifier: 'x' } }),
            rc('aws_instance.a', ['update'], { before: { ami: 'y' } }),
          ],
        }),
      ),
      null,
      2,
    );
    const p = await readPlan(chunks(text, 3), 'p.json', { keepValues: (t) => t === 'aws_db_instance' });
    expect(p.formatVersion).toBe('1.2');
    expect(p.terraformVersion).toBe('1.11.4');
    expect(p.changes.map((c) => [c.address, c.actions.join(','), c.values?.before?.identifier])).toEqual([
      ['aws_db_instance.main', 'delete', 'x'],
      ['aws_instance.a', 'update', undefined],
    ]);
    expect(p.changes[0]!.position.line).toBe(
      text.split('\n').findIndex((l) => l.includes('"address": "aws_db_instance.main"')),
    );
    expect(p.complete).toBe(true);
    expect(p.errored).toBe(false);
  });

  it('resolves dependents through modules, outputs, depends_on and the prior state', async () => {
    const text = planJson({
      configuration: {
        root_module: {
          resources: [
            configResource('aws_vpc.main', []),
            { ...configResource('aws_instance.bastion', []), depends_on: ['aws_vpc.main'] },
            configResource('aws_lb.front', ['module.net.subnet_ids']),
          ],
          module_calls: {
            net: {
              expressions: { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
              module: {
                resources: [configResource('aws_subnet.a', ['var.vpc_id'])],
                outputs: { subnet_ids: { expression: { references: ['aws_subnet.a.id', 'aws_subnet.a'] } } },
              },
            },
          },
        },
      },
      prior_state: {
        values: {
          root_module: {
            resources: [{ address: 'aws_route53_record.x', depends_on: ['aws_lb.front'] }],
            child_modules: [
              { resources: [{ address: 'module.net.aws_route_table.rt[0]', depends_on: ['aws_vpc.main'] }] },
            ],
          },
        },
      },
    });
    const p = await readPlan(chunks(text, 64), 'p.json');
    expect(p.dependents('aws_vpc.main')).toEqual([
      'aws_instance.bastion',
      'aws_lb.front',
      'aws_route53_record.x',
      'module.net.aws_route_table.rt',
      'module.net.aws_subnet.a',
    ]);
    expect(p.dependents('aws_lb.front')).toEqual(['aws_route53_record.x']);
  });

  it('refuses changes without an address or actions', async () => {
    const text = JSON.stringify({ format_version: '1.2', planned_values: {}, resource_changes: [{ change: {} }] });
    await expect(readPlan(chunks(text, 10), 'p.json')).rejects.toThrow(InputError);
    await expect(readPlan(chunks(text, 10), 'p.json')).rejects.toThrow(
      /resource_changes\[0\] has no address or no change\.actions/,
    );
  });
});

describe('readPlan: fields of the wrong type and bytes that are not UTF-8', () => {
  const good = () => JSON.parse(planJson({ resource_changes: [rc('aws_db_instance.main', ['delete'])] }));
  const mutate = (f: (p: Record<string, any>) => void): string => {
    const p = good();
    f(p);
    return JSON.stringify(p, null, 2);
  };
  const read = (text: string | Buffer, size = 7) =>
    readPlan(
      chunks(typeof text === 'string' ? text : text.toString('latin1'), size, typeof text !== 'string'),
      'p.json',
    );

  it.each([
    [
      'terraform_version',
      (p: any) => (p.terraform_version = 5),
      /terraform_version: expected a string, found a number/,
    ],
    ['complete', (p: any) => (p.complete = 'yes'), /complete: expected true or false, found a string/],
    ['errored', (p: any) => (p.errored = 1), /errored: expected true or false, found a number/],
    ['applyable', (p: any) => (p.applyable = {}), /applyable: expected true or false, found an object/],
    ['resource_changes', (p: any) => (p.resource_changes = {}), /resource_changes: expected an array, found an object/],
    ['a change', (p: any) => (p.resource_changes = ['x']), /resource_changes\[0\]: expected an object, found a string/],
    [
      'type',
      (p: any) => (p.resource_changes[0].type = 5),
      /resource_changes\[0\]\.type: expected a string, found a number/,
    ],
    [
      'mode',
      (p: any) => (p.resource_changes[0].mode = 'resource'),
      /resource_changes\[0\]\.mode: expected "managed" or "data", found "resource"/,
    ],
    [
      'address',
      (p: any) => (p.resource_changes[0].address = ['a']),
      /resource_changes\[0\]\.address: expected a string, found an array/,
    ],
    [
      'change',
      (p: any) => (p.resource_changes[0].change = 'delete'),
      /resource_changes\[0\]\.change: expected an object, found a string/,
    ],
    [
      'actions',
      (p: any) => (p.resource_changes[0].change.actions = 'delete'),
      /resource_changes\[0\]\.change\.actions: expected an array, found a string/,
    ],
    [
      'replace_paths',
      (p: any) => (p.resource_changes[0].change.replace_paths = 'id'),
      /resource_changes\[0\]\.change\.replace_paths: expected an array, found a string/,
    ],
    ['configuration', (p: any) => (p.configuration = []), /configuration: expected an object, found an array/],
    ['output_changes', (p: any) => (p.output_changes = 'x'), /output_changes: expected an object, found a string/],
  ])('%s of the wrong type is an input error naming the field and its line', async (_name, f, message) => {
    const text = mutate(f);
    const e = await read(text).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(message);
    expect((e as InputError).file).toBe('p.json');
    expect((e as InputError).line).toBeGreaterThan(1);
  });

  it('null stands for an absent field', async () => {
    const p = await read(mutate((p) => ((p.terraform_version = null), (p.output_changes = null))));
    expect(p.changes).toHaveLength(1);
    expect(p.terraformVersion).toBeUndefined();
  });

  it('a string that is not UTF-8 is an error with its line, in a decoded field or a skipped value', async () => {
    const text = mutate((p) => (p.resource_changes[0].change.before = { identifier: 'MARK' }));
    const line = text.split('\n').findIndex((l) => l.includes('MARK')) + 1;
    const bad = Buffer.from(text.replace('MARK', '\u00ff\u00fe'), 'latin1'); // 0xff 0xfe: never UTF-8
    for (const size of [5, 64, 1 << 16]) {
      const e = (await read(bad, size).catch((x: unknown) => x)) as InputError;
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/not valid UTF-8/);
      expect(e.line).toBe(line);
    }
    const inAddress = Buffer.from(
      mutate((p) => (p.resource_changes[0].name = '\u00c3')),
      'latin1',
    ); // a cut-short sequence
    const e = (await read(inAddress).catch((x: unknown) => x)) as InputError;
    expect(e.message).toMatch(/not valid UTF-8/);
    expect(e.line).toBe(
      mutate(() => {})
        .split('\n')
        .findIndex((l) => l.includes('"name"')) + 1,
    );
  });

  it('a character split between two chunks is valid', async () => {
    const text = mutate((p) => (p.resource_changes[0].change.before = { identifier: 'é€😀'.repeat(20) }));
    for (const size of [1, 2, 3, 5]) expect((await read(text, size)).changes).toHaveLength(1);
  });
});

describe('configAddress', () => {
  it('drops instance keys, quoted brackets included', () => {
    expect(configAddress('module.a[0].aws_x.y["k]ey"]')).toBe('module.a.aws_x.y');
    expect(configAddress('aws_x.y')).toBe('aws_x.y');
  });
});
