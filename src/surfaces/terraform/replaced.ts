import { instancesOf } from './count.js';
import { dataBearing } from './data/data-bearing-types.js';
import { forceNew } from './data/force-new-attributes.js';
import { identityless } from './data/identityless-types.js';
import { derivedOutputs } from './data/module-outputs.js';
import { keptResources } from './lifecycle.js';
import type { ModuleSpace, TfResource, TfUnit } from './model.js';
import { holdersOf } from './references.js';
import { callerPrefix } from './space.js';
import { compareVersions } from './versions.js';
import { floorOf } from './version-range.js';
import { canonical, differ, termOf, type Ref, type Source, type Term } from './value.js';

/**
 * What the configuration says about an argument the provider cannot update in place (ForceNew) on a
 * resource that stays:
 * - `certain`: two values that differ;
 * - `through`: read from an object the change creates afresh or replaces, known only after apply (`chain` names it);
 * - `source`: read from a different module output or data source (`chain` names both), or from the same
 *   output of a registry module whose inputs give it new objects;
 * - `uncertain`: the expression changed and the configuration does not tell the values apart;
 * - `inPlace`: it changes, but the provider the configuration requires updates it in place.
 * `partOf` names the consumers, all replaced or destroyed by the same change, of an identity whose
 * only use is theirs; `provider` tells which provider releases replace an argument that later ones update.
 */
export interface ForceNewChange {
  after: TfResource;
  attribute: string;
  breaks: string;
  kind: 'certain' | 'through' | 'source' | 'uncertain' | 'inPlace';
  chain?: string;
  provider?: string;
  partOf?: string[];
}

const cache = new WeakMap<TfUnit, ForceNewChange[]>();

/** Every ForceNew argument that changes in a unit that parses at both sides (memoised per unit). */
export function forceNewChanges(unit: TfUnit): ForceNewChange[] {
  let out = cache.get(unit);
  if (!out) cache.set(unit, (out = compute(unit)));
  return out;
}

/** The addresses of the resources a unit's change certainly replaces through a ForceNew argument. */
export function replacedResources(unit: TfUnit): Set<string> {
  return new Set(
    forceNewChanges(unit)
      .filter((c) => c.kind !== 'uncertain' && c.kind !== 'inPlace')
      .map((c) => c.after.address),
  );
}

/** The value of `attribute` (`name`, or `block.name` in a nested block) as written; undefined when not set. */
function valueAt(r: TfResource, attribute: string): unknown {
  const [first, second] = attribute.split('.');
  const v = r.args[first!];
  if (second === undefined) return v;
  const block: unknown = Array.isArray(v) ? v[0] : v;
  return typeof block === 'object' && block !== null ? (block as Record<string, unknown>)[second] : undefined;
}

function compute(unit: TfUnit): ForceNewChange[] {
  if (unit.broken || !unit.base || !unit.head) return [];
  const [base, head] = [unit.base, unit.head];
  const pairs = keptResources([unit]).flatMap(({ before, after }) => {
    const row = before.type === after.type ? forceNew(after.type) : undefined;
    if (!row) return [];
    return row.attributes.flatMap((attribute) => {
      const [va, vb] = [valueAt(before, attribute), valueAt(after, attribute)];
      if (va === undefined || vb === undefined) return [];
      const a = termOf(base, before.modulePrefix, va, before);
      const b = termOf(head, after.modulePrefix, vb, after);
      return [{ after, attribute, breaks: row.breaks, a, b, inPlace: row.inPlaceFrom?.[attribute] }];
    });
  });
  // Objects the head creates afresh, then those replaced through them, until nothing is added.
  const renewed = newInHead(unit);
  const verdicts = new Map<(typeof pairs)[number], Pick<ForceNewChange, 'kind' | 'chain'>>();
  for (let changed = true; changed;) {
    changed = false;
    for (const p of pairs) {
      const seen = verdicts.get(p);
      if (seen && seen.kind !== 'uncertain') continue;
      let v: Pick<ForceNewChange, 'kind' | 'chain'> | undefined;
      const through = differ(p.a, p.b) ? undefined : renewedRef(unit, p.b, renewed);
      const source = through ? undefined : sourceChange(unit, p.a, p.b);
      if (differ(p.a, p.b)) v = { kind: 'certain' };
      else if (through)
        v = {
          kind: 'through',
          chain: `${through.ref.address}${through.ref.attribute ? `.${through.ref.attribute}` : ''} (${through.why})`,
        };
      else if (source) v = { kind: 'source', chain: source };
      else if (movedText(unit, canonical(p.a)) !== canonical(p.b) && !p.a.outside && !p.b.outside)
        v = { kind: 'uncertain' };
      if (!v) continue;
      verdicts.set(p, v);
      if (v.kind !== 'uncertain' && !p.inPlace && !renewed.has(p.after.address)) {
        renewed.set(p.after.address, `${p.after.address} is replaced: its ${p.attribute} changes`);
        changed = true;
      }
    }
  }
  const out: ForceNewChange[] = [];
  for (const p of pairs) {
    const v = verdicts.get(p);
    if (!v) continue;
    const change: ForceNewChange = { after: p.after, attribute: p.attribute, breaks: p.breaks, ...v };
    if (p.inPlace && v.kind !== 'uncertain') {
      const constraint = head.providers.get(p.inPlace.provider)?.version;
      const lowest = constraint === undefined ? undefined : floorOf(constraint);
      if (lowest !== undefined && compareVersions(lowest, p.inPlace.version) >= 0) change.kind = 'inPlace';
      change.provider =
        change.kind === 'inPlace'
          ? `the configuration requires ${p.inPlace.provider} provider "${constraint}", and ${p.inPlace.version} and later update it in place`
          : `${p.inPlace.provider} provider ${p.inPlace.version} and later update it in place, but the configuration allows older ones (${constraint === undefined ? 'no version constraint' : `"${constraint}"`}), which replace it`;
    }
    out.push(change);
  }
  markPartOf(unit, out);
  return out;
}

/** A base value's text with the addresses that `moved` blocks rename written as at head (the same objects). */
function movedText(unit: TfUnit, text: string): string {
  let out = text;
  for (const m of unit.head!.moved)
    out = out.replace(new RegExp(`(^|[^\\w.])${m.from.replace(/[.[\]]/g, '\\$&')}(?=[.[\\s,)]|$)`, 'g'), `$1${m.to}`);
  return out;
}

/**
 * Resources of the head that the change creates afresh at an address the base had no instance at
 * (a rename with no moved block, or an instance switched on): Terraform knows their computed
 * attributes (`id`, `arn`, ...) only after apply.
 */
function newInHead(unit: TfUnit): Map<string, string> {
  const out = new Map<string, string>();
  const [base, head] = [unit.base!, unit.head!];
  const movedTo = new Set(head.moved.map((m) => m.to.replace(/\[[^\]]*\]$/, '')));
  for (const r of head.resources.values()) {
    if (r.mode !== 'managed' || movedTo.has(r.address) || instancesOf(head, r).state === 'off') continue;
    const was = base.resources.get(r.address);
    if (!was) out.set(r.address, `${r.address} is new in this change (no moved block brings an old object to it)`);
    else if (instancesOf(base, was).state === 'off')
      out.set(r.address, `${r.address} had no instance before the change and has one now`);
  }
  return out;
}

/** The first reference of a term to a renewed object's attribute that its configuration does not set. */
function renewedRef(
  unit: TfUnit,
  t: Term,
  renewed: ReadonlyMap<string, string>,
): { ref: Ref; why: string } | undefined {
  for (const ref of t.refs) {
    const why = renewed.get(ref.address);
    if (!why) continue;
    const r: TfResource | undefined = unit.head!.resources.get(ref.address);
    // An argument the configuration sets is known at plan time even on a new object.
    if (ref.attribute && r && r.args[ref.attribute] !== undefined) continue;
    return { ref, why };
  }
  return undefined;
}

/** `module.vpc's private_subnets`, `data.aws_subnets.default's ids`. */
function named(sources: readonly Source[]): string {
  return [...new Set(sources.map((s) => `${s.instance}'s ${s.name}`))].join(' and ');
}

/**
 * A value read from module outputs or data sources on both sides that certainly names other objects:
 * no output or data source in common (a module renamed with a `moved` block is the same instance), or
 * the same output of a registry module whose inputs that decide its objects certainly changed.
 */
function sourceChange(unit: TfUnit, a: Term, b: Term): string | undefined {
  const pa = a.known ? a : (a.first ?? a);
  const pb = b.known ? b : (b.first ?? b);
  const pure = (t: Term) => !t.known && t.pure === true && (t.sources?.length ?? 0) > 0;
  if (!pure(pa) || !pure(pb)) return undefined;
  const renamed = new Map(unit.head!.moved.map((m) => [m.from, m.to]));
  const key = (s: Source, atBase: boolean) =>
    `${atBase ? (renamed.get(s.instance) ?? s.instance) : s.instance}\0${s.name}`;
  const sa = pa.sources!;
  const sb = pb.sources!;
  const fallback = !b.known && b.first ? ' (when that is not empty)' : '';
  if (!sa.some((x) => sb.some((y) => key(x, true) === key(y, false))))
    return `${named(sb)}${fallback} instead of ${named(sa)}: neither is resolved here, but different outputs name different objects`;
  // The same outputs on both sides: a registry module whose inputs give them new objects.
  if (sa.length !== sb.length || !sa.every((x) => sb.some((y) => key(x, true) === key(y, false)))) return undefined;
  for (const s of sb) {
    if (s.kind !== 'module') continue;
    const call = unit.head!.modules.get(s.instance);
    const was = unit.base!.modules.get([...renamed].find(([, to]) => to === s.instance)?.[0] ?? s.instance);
    const table = call && was && call.dir === undefined ? derivedOutputs(call.source) : undefined;
    for (const input of table?.outputs[s.name] ?? []) {
      if (was!.args[input] === undefined || call!.args[input] === undefined) continue;
      const ta = termOf(unit.base!, callerPrefix(was!), was!.args[input], was!);
      const tb = termOf(unit.head!, callerPrefix(call!), call!.args[input], call!);
      if (differ(ta, tb)) return `${s.instance}'s ${s.name}, whose input ${input} changes: ${table!.why}`;
    }
  }
  return undefined;
}

/**
 * The managed resources and module calls of a space whose arguments hold `address` (through locals,
 * module inputs and outputs), in the order the space declares them; `depends_on` and `lifecycle` only
 * order and hold nothing.
 */
function consumers(space: ModuleSpace, address: string): Array<{ address: string; resource?: TfResource }> {
  const r = space.resources.get(address);
  if (!r) return [];
  const { referrers, modules } = holdersOf(space, r, { ordering: false });
  const held = new Set(referrers);
  return [
    ...[...space.resources.values()]
      .filter((x) => x.mode === 'managed' && held.has(x.address))
      .map((x) => ({ address: x.address, resource: x })),
    ...[...space.modules.values()].filter((m) => modules.includes(m.address)).map((m) => ({ address: m.address })),
  ];
}

/**
 * An identity replaced (not a data-bearing object) whose every consumer in the configuration is
 * itself replaced or destroyed by the same change: its replacement is part of theirs. Links that only
 * attach it to something (policy attachments, rules) are re-created by the same apply and do not count.
 */
function markPartOf(unit: TfUnit, changes: ForceNewChange[]): void {
  const replaced = new Set(
    changes.filter((c) => c.kind !== 'uncertain' && c.kind !== 'inPlace').map((c) => c.after.address),
  );
  for (const c of changes) {
    if (c.kind === 'uncertain' || c.kind === 'inPlace' || dataBearing(c.after.type)) continue;
    const users = [
      ...consumers(unit.head!, c.after.address),
      ...consumers(unit.base!, c.after.address).filter((u) => u.resource && !unit.head!.resources.has(u.address)),
    ].filter((u) => !u.resource || !identityless(u.resource.type));
    const names = [...new Set(users.map((u) => u.address))];
    if (
      names.length > 0 &&
      users.every((u) => u.resource && (replaced.has(u.address) || !unit.head!.resources.has(u.address)))
    )
      c.partOf = names.map((n) => (unit.head!.resources.has(n) ? `${n} (replaced)` : `${n} (destroyed)`));
  }
}
