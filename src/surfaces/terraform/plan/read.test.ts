import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { configAddress } from './model.js';
import { readPlan } from './read.js';
import { configResource, planJson, rc } from './testing.js';

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
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

describe('configAddress', () => {
  it('drops instance keys, quoted brackets included', () => {
    expect(configAddress('module.a[0].aws_x.y["k]ey"]')).toBe('module.a.aws_x.y');
    expect(configAddress('aws_x.y')).toBe('aws_x.y');
  });
});
