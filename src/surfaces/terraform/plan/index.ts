import { InputError } from '../../../core/errors.js';
import type { Report, Rule } from '../../../core/rule.js';
import type { Surface, SurfaceContext } from '../../../core/surface.js';
import { tracePoint } from '../../../git/exec.js';
import type { RollwrightConfig } from '../../../core/config.js';
import { RECOVERY_ATTRIBUTES, TYPES_WITH_RECOVERY } from '../data/data-bearing-types.js';
import planIncomplete from '../rules/plan-incomplete.js';
import { planRules } from '../rules/index.js';
import { KUBE_OBJECT_ATTRIBUTES, writesKubeObject } from '../data/kube-resource-kinds.js';
import { networkKind } from '../data/network-types.js';
import { VERSION_ATTRIBUTES } from '../data/version-attributes.js';
import { blastOf } from './describe.js';
import { configAddress, type Blast, type PlanChange, type PlanContext, type PlanModel } from './model.js';
import { readPlan, readPlanFile } from './read.js';

/** What assessing a plan needs from its caller: the engine's rule runner and the config. */
export interface PlanRun {
  config: RollwrightConfig;
  run<Ctx>(rules: readonly Rule<Ctx, string>[], ctx: Ctx): Promise<void>;
  reporter<M extends string>(rule: Rule<any, M>): Report<M>;
}

const VERSION_TYPES = new Set(VERSION_ATTRIBUTES.map((v) => v.type));

/** The attributes plan rules read from before/after values: nothing else is decoded. */
export const PLAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...RECOVERY_ATTRIBUTES,
  ...VERSION_ATTRIBUTES.map((v) => v.attribute),
  'ttl',
  ...KUBE_OBJECT_ATTRIBUTES,
]);

/** Resource types whose before/after values a plan rule reads; every other change is kept without values. */
export function keepValues(type: string): boolean {
  return TYPES_WITH_RECOVERY.has(type) || VERSION_TYPES.has(type) || networkKind(type) === 'dns' || writesKubeObject(type);
}

/** The context plan rules run with. */
export function planContext(plan: PlanModel, config: RollwrightConfig): PlanContext {
  const byConfig = new Map<string, PlanChange[]>();
  for (const c of plan.changes) {
    const k = configAddress(c.address);
    const list = byConfig.get(k);
    if (list) list.push(c);
    else byConfig.set(k, [c]);
  }
  const memo = new Map<PlanChange, Blast>();
  return {
    plan,
    config,
    at: (item) => ({ file: plan.file, line: item.position.line || 1, column: item.position.column || 1 }),
    blast(c) {
      let b = memo.get(c);
      if (!b) memo.set(c, (b = blastOf(c, plan.eachDependent, byConfig)));
      return b;
    },
  };
}

/** Runs the plan rules on a plan already read. */
export async function assessPlanModel(plan: PlanModel, run: PlanRun): Promise<void> {
  await run.run(planRules, planContext(plan, run.config));
  tracePoint(`terraform plan assessed: ${plan.changes.length} resource changes`);
}

/**
 * `rollwright plan PLAN.json` and `rollwright assess --plan PLAN.json`: streams the file, then runs the
 * plan rules. A plan that cannot be read is an input error (exit 2), with the byte offset when cut short.
 */
export async function assessPlanFile(path: string, run: PlanRun, display = path): Promise<PlanModel> {
  const plan = await readPlanFile(path, display, { keepValues, attributes: PLAN_ATTRIBUTES });
  tracePoint(`terraform plan read: ${plan.bytes} bytes, ${plan.changes.length} resource changes`);
  await assessPlanModel(plan, run);
  return plan;
}

/**
 * Plan JSON files inside a change set (`*.tfplan.json`, `tfplan.json`): the same rules through the
 * engine's surface path. Used by the rule case tables; not registered, since a plan committed to Git
 * is rare (and holds sensitive values in plain text).
 */
export const terraformPlan: Surface = {
  id: 'terraform',
  name: 'Terraform/OpenTofu plan JSON',
  summary: 'Plan JSON from `terraform show -json` / `tofu show -json`.',
  claims: (path) => /(^|\/)([^/]*\.)?tfplan\.json$/.test(path),
  rules: planRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    for (const f of ctx.files) {
      if (f.newText === undefined) continue;
      let plan: PlanModel;
      try {
        plan = await readPlan(oneChunk(f.newText), f.path, { keepValues, attributes: PLAN_ATTRIBUTES });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        ctx.reporter(planIncomplete)(
          'unreadable',
          { reason: withoutLocation(e.message, f.path) },
          { file: f.path, line: e.line ?? 1, ...(e.column !== undefined ? { column: e.column } : {}) },
        );
        continue;
      }
      await ctx.run(planRules, planContext(plan, ctx.config));
    }
  },
};

/** An InputError's message without its `file:line:column: ` prefix (the finding carries them). */
function withoutLocation(message: string, file: string): string {
  return message.startsWith(file) ? message.slice(file.length).replace(/^(:\d+)*: /, '') : message;
}

async function* oneChunk(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}
