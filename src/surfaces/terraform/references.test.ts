import { describe, expect, it } from 'vitest';
import type { ModuleSpace, TfModuleCall, TfResource } from './model.js';
import { holdersOf } from './references.js';

const NO_LINES = new Map<string, number>();
const resource = (type: string, name: string, args: Record<string, unknown>, modulePrefix = ''): TfResource => ({
  address: `${modulePrefix}${type}.${name}`,
  mode: 'managed',
  type,
  name,
  modulePrefix,
  file: 'main.tf',
  line: 1,
  args,
  argLines: NO_LINES,
});
const call = (name: string, args: Record<string, unknown>, dir?: string): TfModuleCall => ({
  address: `module.${name}`,
  name,
  file: 'main.tf',
  line: 1,
  sourceLine: 1,
  versionLine: 1,
  local: dir !== undefined,
  ...(dir !== undefined ? { dir } : {}),
  args,
  argLines: NO_LINES,
});
const space = (resources: TfResource[], modules: TfModuleCall[] = []): ModuleSpace => ({
  dir: '',
  tool: 'terraform',
  files: ['main.tf'],
  resources: new Map(resources.map((r) => [r.address, r])),
  modules: new Map(modules.map((m) => [m.address, m])),
  moved: [],
  removed: [],
  imports: [],
  providers: new Map(),
  values: new Map(),
});

describe('holdersOf', () => {
  const role = resource('aws_iam_role', 'this', { name: 'cluster' });

  it('counts depends_on and lifecycle as holding unless told they only order', () => {
    const waits = resource('aws_eks_cluster', 'this', { name: 'x', depends_on: ['${aws_iam_role.this}'] });
    const uses = resource('aws_eks_node_group', 'this', { node_role_arn: '${aws_iam_role.this.arn}' });
    const s = space([role, waits, uses]);
    expect(holdersOf(s, role).referrers).toEqual(['aws_eks_cluster.this', 'aws_eks_node_group.this']);
    expect(holdersOf(s, role, { ordering: false }).referrers).toEqual(['aws_eks_node_group.this']);
  });

  it('names the calls of modules whose code is not read, and follows inputs into local ones', () => {
    const inside = resource('aws_eks_cluster', 'this', { role_arn: '${var.role_arn}' }, 'module.local.');
    const s = space(
      [role, inside],
      [
        call('remote', { source: 'terraform-aws-modules/eks/aws', iam_role_arn: '${aws_iam_role.this.arn}' }),
        call('local', { source: './modules/eks', role_arn: '${aws_iam_role.this.arn}' }, 'modules/eks'),
      ],
    );
    const h = holdersOf(s, role);
    expect(h.modules).toEqual(['module.remote']);
    expect(h.referrers).toEqual(['module.local.aws_eks_cluster.this']);
  });
});
