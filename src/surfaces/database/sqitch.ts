/**
 * A sqitch plan (`sqitch.plan`): the order sqitch deploys changes in, their dependencies, tags and
 * reworked changes. sqitch deploys in plan order and refuses a plan in which a change requires a change
 * that is unknown or planned after it (App::Sqitch::Plan `check_changes`: `Unknown change "x" required by
 * change "y"`, `Change "y" planned N changes before required change "x"`); the same checks are made here.
 *
 * Syntax (sqitch 1.x): `%pragma=value` header lines, blank lines, `#` comments, change lines
 * `[+|-]name [dep dep] 2024-01-01T00:00:00Z Planner <email> # note` and tag lines `@tag <timestamp> ...`.
 * A dependency is `change`, `change@tag`, `@tag`, `project:change`, or `!change` (a conflict).
 */
import { InputError } from '../../core/errors.js';

export interface SqitchDependency {
  /** As written. */
  raw: string;
  conflict: boolean;
  /** Another project's change (`project:change`): not in this plan. */
  project?: string;
  change?: string;
  tag?: string;
}

export interface SqitchChange {
  name: string;
  /** `-name` plans a revert of an earlier deploy. */
  op: 'deploy' | 'revert';
  requires: SqitchDependency[];
  conflicts: SqitchDependency[];
  /** 1-based line in the plan. */
  line: number;
  /** Tags planned after this change up to the next instance of the same name (rework), in order. */
  tagsAfter: string[];
  /** Whether the same name is planned again later (the change was reworked): its scripts are `name@tag.sql`. */
  reworked: boolean;
}

export interface SqitchPlan {
  project?: string;
  changes: SqitchChange[];
  /** Tag name -> index of the change it follows (-1: before any change). */
  tags: Map<string, number>;
}

const TAG_LINE = /^@(\S+)/;
const CHANGE_LINE = /^([+-])?([^\s[@#:]\S*?)(?:\s+\[([^\]]*)\])?(?:\s+|$)/;

export function parseSqitchPlan(text: string, file = 'sqitch.plan'): SqitchPlan {
  const plan: SqitchPlan = { changes: [], tags: new Map() };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('%')) {
      const m = /^%\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m?.[1] === 'project') plan.project = m[2];
      continue;
    }
    const t = TAG_LINE.exec(line);
    if (t) {
      const name = t[1]!;
      if (plan.tags.has(name)) throw new InputError(`tag "@${name}" is planned twice`, file, i + 1);
      plan.tags.set(name, plan.changes.length - 1);
      for (let j = plan.changes.length - 1; j >= 0; j--) {
        plan.changes[j]!.tagsAfter.push(name);
      }
      continue;
    }
    const c = CHANGE_LINE.exec(line);
    if (!c) throw new InputError(`cannot read this plan line: ${JSON.stringify(line)}`, file, i + 1);
    const deps = (c[3] ?? '').split(/\s+/).filter(Boolean).map(parseDependency);
    plan.changes.push({
      name: c[2]!,
      op: c[1] === '-' ? 'revert' : 'deploy',
      requires: deps.filter((d) => !d.conflict),
      conflicts: deps.filter((d) => d.conflict),
      line: i + 1,
      tagsAfter: [],
      reworked: false,
    });
  }
  // A change deployed again after a tag was reworked: the earlier instance's scripts are `name@tag.sql`,
  // named by a tag between the two (a `-name` revert line, or no tag between, is not a rework).
  const last = new Map<string, number>();
  plan.changes.forEach((ch, idx) => {
    if (ch.op !== 'deploy') return;
    const prev = last.get(ch.name);
    if (prev !== undefined) {
      const earlier = plan.changes[prev]!;
      const after = new Set(tagsPlannedAfter(plan, idx));
      const between = earlier.tagsAfter.filter((x) => !after.has(x));
      if (between.length) {
        earlier.reworked = true;
        earlier.tagsAfter = between;
      }
    }
    last.set(ch.name, idx);
  });
  return plan;
}

function tagsPlannedAfter(plan: SqitchPlan, idx: number): string[] {
  return [...plan.tags].filter(([, at]) => at >= idx).map(([name]) => name);
}

export function parseDependency(raw: string): SqitchDependency {
  let s = raw;
  const conflict = s.startsWith('!');
  if (conflict) s = s.slice(1);
  const dep: SqitchDependency = { raw, conflict };
  const colon = s.indexOf(':');
  if (colon > 0) {
    dep.project = s.slice(0, colon);
    s = s.slice(colon + 1);
  }
  const at = s.indexOf('@');
  if (at >= 0) {
    dep.tag = s.slice(at + 1);
    s = s.slice(0, at);
  }
  if (s) dep.change = s;
  return dep;
}

export interface PlanProblem {
  line: number;
  message: string;
}

/**
 * What sqitch itself refuses: a requirement that is unknown or planned later (sqitch's own wording),
 * and a conflict with a change deployed before it and not reverted since (sqitch refuses to deploy).
 * Another project's dependencies cannot be checked from this plan and are returned apart.
 */
export function checkSqitchPlan(plan: SqitchPlan): { problems: PlanProblem[]; external: string[] } {
  const problems: PlanProblem[] = [];
  const external: string[] = [];
  const position = new Map<string, number>();
  plan.changes.forEach((c, i) => {
    if (!position.has(c.name)) position.set(c.name, i);
  });
  const deployed = new Set<string>();
  plan.changes.forEach((c, i) => {
    for (const d of c.requires) {
      if (d.project && d.project !== plan.project) {
        external.push(`${d.raw} (required by ${c.name})`);
        continue;
      }
      if (d.change === undefined) {
        // `@tag`: the tag must be planned before this change.
        const at = d.tag !== undefined ? plan.tags.get(d.tag) : undefined;
        if (at === undefined || at >= i)
          problems.push({ line: c.line, message: `Unknown tag "@${d.tag}" required by change "${c.name}"` });
        continue;
      }
      const p = position.get(d.change);
      if (p === undefined)
        problems.push({ line: c.line, message: `Unknown change "${d.change}" required by change "${c.name}"` });
      else if (p > i)
        problems.push({
          line: c.line,
          message: `Change "${c.name}" planned ${p - i} change${p - i === 1 ? '' : 's'} before required change "${d.change}"`,
        });
      else if (p === i) problems.push({ line: c.line, message: `Change "${c.name}" requires itself` });
    }
    for (const d of c.conflicts) {
      if (d.project && d.project !== plan.project) continue;
      if (d.change !== undefined && deployed.has(d.change))
        problems.push({
          line: c.line,
          message: `Change "${c.name}" conflicts with change "${d.change}", deployed before it and not reverted: sqitch refuses to deploy it`,
        });
    }
    if (c.op === 'deploy') deployed.add(c.name);
    else deployed.delete(c.name);
  });
  return { problems, external };
}
