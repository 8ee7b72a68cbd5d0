import { defineRule } from '../../../core/rule.js';
import { PART_OF, resourceFamily } from '../data/resource-families.js';
import type { ModuleSpace, TfContext } from '../model.js';

export type GiantStateData = {
  dir: string;
  resources: number;
  repeated: string;
  count: number;
  families: string;
};

/**
 * One root module (one state) that manages many resources of unrelated families. Every module
 * directory of the tree that no other directory calls as a local module is a root; its local child
 * modules are expanded into it (remote modules are not read, so their resources are not counted).
 */
export default defineRule<TfContext, 'giant', GiantStateData>({
  id: 'giant-state',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  smell: true,
  treeOnly: true,
  options: {
    defaults: { minResources: 40, minFamilies: 4 },
    schema: (z) =>
      z.strictObject({
        minResources: z.optional(z.int().check(z.positive())),
        minFamilies: z.optional(z.int().check(z.positive())),
      }),
  },
  docs: {
    summary:
      'One Terraform/OpenTofu root module (one state) manages many resources of unrelated families (by default 40 or more resource blocks across 4 or more families).',
    rationale:
      'A root module has one state, one lock and one plan. Everything in it is rolled back together: restoring an earlier state version (`terraform state push` of a versioned backend object) reverts every resource of every family it holds, not only the one the incident is about, and a plan after a revert of the code shows the whole stack. The state lock is held by any plan or apply of any of its families (`terraform plan` locks the state by default), so a database fix waits behind a network change, and a stuck lock blocks every rollback at once. HashiCorp recommends splitting configurations by blast radius, rate of change and ownership. A family is the provider and service prefix of the type (aws_iam, aws_rds, aws_eks, google_sql; AWS networking types without a prefix count as aws_vpc, `aws_db_*` as aws_rds); identity, keys, logs and metrics, security groups, parameters, secrets and certificates (aws_iam, aws_rolesanywhere, aws_kms, aws_cloudwatch, aws_security_group, aws_ssm, aws_secretsmanager, aws_acm...) and the utility providers (random, null, time, tls) accompany every stack and count as resources but never as a family; objects written into a cluster (helm, kubernetes, kubectl providers) are one family, kubernetes; the nodes of a cluster (aws_ec2 instances, launch templates, autoscaling groups beside aws_eks or aws_ecs) are part of the cluster; and a family with a single block is an accessory, not a stack. Resources are counted by block: a block with `count` or `for_each` is one, its number of instances is unknown without a plan (the message says how many blocks are repeated); resources of local child modules are included (each call expands its own), those of registry and Git modules are not read. Data sources are not counted. The thresholds are options: `rules: { terraform/giant-state: { options: { minResources: 40, minFamilies: 4 } } }`.',
    fix: 'Split the root module along blast radius and rate of change (network, data stores, cluster, applications), each with its own state, and connect them through outputs and `terraform_remote_state` or data sources; move resources with `removed` and `import` blocks (or `terraform state mv` between states) under review.',
    references: [
      'https://developer.hashicorp.com/terraform/language/state/locking',
      'https://developer.hashicorp.com/terraform/cloud-docs/recommended-practices/part1#the-recommended-terraform-workspace-structure',
      'https://developer.hashicorp.com/terraform/language/modules/develop/composition',
      'https://developer.hashicorp.com/terraform/cli/commands/state/push',
    ],
  },
  messages: {
    giant:
      '{{dir}} is one state managing {{resources}} resource blocks{{repeated}} across {{count}} unrelated families ({{families}}): a state revert, a lock or a plan of it takes all of them at once',
  },
  check({ units, report, options }) {
    const minResources = (options.minResources as number | undefined) ?? 40;
    const minFamilies = (options.minFamilies as number | undefined) ?? 4;
    const spaces = units.flatMap((u) => (u.head ? [u.head] : []));
    // A directory another one calls as a local module is a module, not a root of its own.
    const called = new Set<string>();
    for (const s of spaces) for (const m of s.modules.values()) if (m.dir !== undefined) called.add(m.dir);
    for (const space of spaces) {
      if (called.has(space.dir)) continue;
      const found = measure(space);
      if (found.resources < minResources || found.families.size < minFamilies) continue;
      const families = [...found.families].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      report(
        'giant',
        {
          dir: space.dir || '.',
          resources: found.resources,
          repeated: found.repeated
            ? ` (${found.repeated} of them with count or for_each: their instances are not counted)`
            : '',
          count: families.length,
          families: families.map(([f, n]) => `${f}_* ${n}`).join(', '),
        },
        found.at,
      );
    }
  },
});

/** Blocks a family needs to count as a stack of its own. */
const MIN_FAMILY_BLOCKS = 2;

/** Managed resource blocks of a root, by family (supporting families are counted as resources only). */
function measure(space: ModuleSpace): {
  resources: number;
  repeated: number;
  families: Map<string, number>;
  at: { file: string; line: number };
} {
  let resources = 0;
  let repeated = 0;
  const families = new Map<string, number>();
  const repeatedModule = (prefix: string) => {
    // `module.a.module.b.` → module.a, module.a.module.b
    const parts = prefix.split('.').filter(Boolean);
    for (let i = 2; i <= parts.length; i += 2)
      if (space.modules.get(parts.slice(0, i).join('.'))?.repetition) return true;
    return false;
  };
  for (const r of space.resources.values()) {
    if (r.mode !== 'managed') continue;
    resources++;
    if (r.repetition || (r.modulePrefix && repeatedModule(r.modulePrefix))) repeated++;
    const f = resourceFamily(r.type);
    if (!f.supporting) families.set(f.name, (families.get(f.name) ?? 0) + 1);
  }
  for (const { family, of } of PART_OF) {
    const owner = of.find((o) => families.has(o));
    const n = families.get(family);
    if (owner && n) {
      families.set(owner, families.get(owner)! + n);
      families.delete(family);
    }
  }
  // One stray block of a family is an accessory of the stack, not a stack of its own.
  for (const [f, n] of families) if (n < MIN_FAMILY_BLOCKS) families.delete(f);
  const own = [...space.files]
    .filter((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '') === space.dir)
    .sort();
  const at = space.backend
    ? { file: space.backend.file, line: space.backend.line }
    : { file: own.find((f) => /(^|\/)main\.(tf|tofu)$/.test(f)) ?? own[0] ?? space.files[0]!, line: 1 };
  return { resources, repeated, families, at };
}
