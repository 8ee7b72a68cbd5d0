import { dataBearing } from './data/data-bearing-types.js';
import { nameArguments } from './data/name-arguments.js';
import { differ, type Term } from './term.js';
import { termOf } from './value.js';
import { instancesOf } from './count.js';
import { manifestIdentity } from './kube-objects.js';
import type { ModuleSpace, TfModuleCall, TfRemoved, TfResource, TfUnit } from './model.js';

/**
 * What a change does to the address space of a module directory: resources that leave it and how
 * (moved, forgotten, destroyed), resources that enter it, and the removed-and-added pairs of the
 * same type that are likely renames without a `moved` block. Computed once per unit, shared by
 * `moved-block-missing` and `resource-removed` so that an address is reported by one of them only.
 */
export interface AddressDiff {
  /** Same-type pairs with no moved block: one removed, one added (by name, or the only candidates). */
  renames: Array<{ from: TfResource; to: TfResource }>;
  /** A removed resource with several same-type additions: a rename is likely, to which one is not. */
  ambiguous: Array<{ from: TfResource; candidates: TfResource[] }>;
  /** Module calls removed and added with the same source: renames of the whole module. */
  moduleRenames: Array<{ from: TfModuleCall; to: TfModuleCall; contents: TfResource[] }>;
  /**
   * Managed resources that leave (removed, renamed, moved away) but had no instance at base: their
   * count/for_each, or a module call's they sit in, is zero with the inputs the configuration gives.
   */
  neverExisted: Array<{ resource: TfResource; why: string }>;
  /** Managed resources removed with nothing that takes their place. */
  destroyed: Array<{ resource: TfResource; block?: TfRemoved }>;
  /** Removed with a `removed` block that keeps the object (`destroy = false`). */
  forgotten: Array<{ resource: TfResource | TfModuleCall; block: TfRemoved }>;
  /** Module calls removed whose contents are not visible (remote sources), not moved, not forgotten. */
  modulesRemoved: Array<{ call: TfModuleCall; block?: TfRemoved }>;
  /** Same address both sides, count/for_each changed in a way Terraform does not move implicitly. */
  repetition: Array<{ before: TfResource; after: TfResource }>;
  /** Moved blocks at base that are gone at head. */
  movedRemoved: Array<{ from: string; to: string; file: string; line: number }>;
  /**
   * Module calls at the same address whose code is read at one revision only (a local path at one,
   * a registry or git source at the other): Terraform plans the difference between two codes, one of
   * which is not in the repository. Nothing under them is reported as removed, added or moved.
   */
  codeUnread: Array<{ before: TfModuleCall; after: TfModuleCall }>;
}

const memo = new WeakMap<TfUnit, AddressDiff>();

const EMPTY: ModuleSpace = {
  dir: '',
  tool: 'terraform',
  files: [],
  resources: new Map(),
  modules: new Map(),
  moved: [],
  removed: [],
  imports: [],
  providers: new Map(),
  values: new Map(),
};

/** `aws_x.y[0]` -> `aws_x.y`. */
function stripKeys(a: string): string {
  return a.replace(/\[[^\]]*\]/g, '');
}

function covers(prefix: string, address: string): boolean {
  const p = stripKeys(prefix);
  return address === p || address.startsWith(`${p}.`);
}

export function addressDiff(unit: TfUnit): AddressDiff {
  const cached = memo.get(unit);
  if (cached) return cached;
  const base = unit.base ?? EMPTY;
  const head = unit.head ?? EMPTY;
  const out: AddressDiff = {
    renames: [],
    ambiguous: [],
    moduleRenames: [],
    destroyed: [],
    forgotten: [],
    modulesRemoved: [],
    repetition: [],
    movedRemoved: [],
    codeUnread: [],
    neverExisted: [],
  };
  for (const after of head.modules.values()) {
    const before = base.modules.get(after.address);
    if (before && (before.local !== after.local || (before.dir === undefined) !== (after.dir === undefined)))
      out.codeUnread.push({ before, after });
  }
  const unread = (a: string) => out.codeUnread.some(({ after }) => a.startsWith(`${after.address}.`));
  const movedFrom = (a: string) => head.moved.some((m) => covers(m.from, a));
  const movedTo = (a: string) => head.moved.some((m) => covers(m.to, a));
  const removedBlock = (a: string) => head.removed.find((r) => covers(r.from, a));

  // Modules: removed calls, and renames (removed and added with the same source and version).
  const goneCalls = [...base.modules.values()].filter(
    (m) => !head.modules.has(m.address) && !movedFrom(m.address) && !unread(m.address),
  );
  const newCalls = [...head.modules.values()].filter(
    (m) => !base.modules.has(m.address) && !movedTo(m.address) && !unread(m.address),
  );
  const renamedPrefixes: Array<[string, string]> = [];
  for (const gone of goneCalls) {
    const block = removedBlock(gone.address);
    if (block) {
      if (block.destroy === false) out.forgotten.push({ resource: gone, block });
      else if (gone.dir === undefined) out.modulesRemoved.push({ call: gone, block });
      continue;
    }
    const twins = newCalls.filter(
      (n) => n.source === gone.source && n.version === gone.version && parentOf(n.address) === parentOf(gone.address),
    );
    if (twins.length === 1) {
      const to = twins[0]!;
      newCalls.splice(newCalls.indexOf(to), 1);
      const contents = [...base.resources.values()].filter(
        (r) => r.mode === 'managed' && r.address.startsWith(`${gone.address}.`),
      );
      out.moduleRenames.push({ from: gone, to, contents });
      renamedPrefixes.push([`${gone.address}.`, `${to.address}.`]);
      continue;
    }
    if (gone.dir === undefined) out.modulesRemoved.push({ call: gone });
  }
  const inRenamed = (a: string, side: 0 | 1) => renamedPrefixes.some((p) => a.startsWith(p[side]));

  const removed: TfResource[] = [];
  for (const r of base.resources.values()) {
    if (
      r.mode !== 'managed' ||
      head.resources.has(r.address) ||
      movedFrom(r.address) ||
      inRenamed(r.address, 0) ||
      unread(r.address)
    )
      continue;
    const was = instancesOf(base, r);
    if (was.state === 'off') {
      out.neverExisted.push({ resource: r, why: was.why });
      continue;
    }
    const block = removedBlock(r.address);
    if (block?.destroy === false) out.forgotten.push({ resource: r, block });
    else if (block) out.destroyed.push({ resource: r, block });
    else removed.push(r);
  }
  const added = [...head.resources.values()].filter(
    (r) =>
      r.mode === 'managed' &&
      !base.resources.has(r.address) &&
      !movedTo(r.address) &&
      !inRenamed(r.address, 1) &&
      !unread(r.address) &&
      // With no instance at head it takes no removed object's place.
      instancesOf(head, r).state !== 'off',
  );

  const byType = new Map<string, TfResource[]>();
  for (const a of added) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  const unpaired: TfResource[] = [];
  // A stateless resource whose only same-type addition sets an argument to another literal value is
  // replaced, not renamed: it is destroyed (resource-removed), the other created. Data-bearing types
  // stay paired: a rename that also edits an argument must not lose the data. Two manifests of
  // different Kubernetes objects (another kind, name or namespace) are two objects likewise.
  const replacement = (r: TfResource, c: TfResource) =>
    !dataBearing(r.type) && (literalConflict(r, c) || nameConflict(base, r, head, c) || kubeConflict(r, c));
  // First the same name in another module (`aws_sg.api` -> `module.x.aws_sg.api`), then lone pairs.
  for (const r of removed) {
    const cands = (byType.get(r.type) ?? []).filter((c) => !replacement(r, c));
    const same = cands.filter((c) => c.name === r.name);
    if (same.length === 1) {
      out.renames.push({ from: r, to: same[0]! });
      const all = byType.get(r.type)!;
      all.splice(all.indexOf(same[0]!), 1);
    } else unpaired.push(r);
  }
  for (const r of unpaired) {
    const all = byType.get(r.type) ?? [];
    const cands = all.filter((c) => !replacement(r, c));
    const others = unpaired.filter((u) => u.type === r.type);
    if (cands.length === 1 && others.length === 1) {
      out.renames.push({ from: r, to: cands[0]! });
      all.splice(all.indexOf(cands[0]!), 1);
    } else if (cands.length > 0) out.ambiguous.push({ from: r, candidates: [...cands] });
    else out.destroyed.push({ resource: r });
  }

  for (const after of head.resources.values()) {
    const before = base.resources.get(after.address);
    if (!before || before.mode !== 'managed' || before.repetition === after.repetition) continue;
    // Terraform moves `a` <-> `a[0]` by itself when count is turned on or off; for_each has no implicit move.
    if (before.repetition !== 'for_each' && after.repetition !== 'for_each') continue;
    if (instancesOf(base, before).state === 'off') continue;
    const handled = head.moved.some((m) => stripKeys(m.from) === after.address || stripKeys(m.to) === after.address);
    if (!handled) out.repetition.push({ before, after });
  }

  for (const m of base.moved)
    if (!head.moved.some((h) => h.from === m.from && h.to === m.to) && unit.head && !unread(m.from) && !unread(m.to))
      out.movedRemoved.push({ from: m.from, to: m.to, file: m.file, line: m.line });

  memo.set(unit, out);
  return out;
}

const NOT_IDENTITY = new Set(['tags', 'tags_all', 'lifecycle', 'depends_on', 'count', 'for_each', 'provider']);

/**
 * Whether two blocks of the same type set one argument to two different literal values
 * (`policy_arn = "...WorkerNodePolicy"` against `"...workersNodePolicy"`): the added one is another
 * object, not the removed one under a new name. Expressions are not compared (a rename into a module
 * often rewrites them), nor tags.
 */
function literalConflict(a: TfResource, b: TfResource): boolean {
  for (const [k, va] of Object.entries(a.args)) {
    if (NOT_IDENTITY.has(k)) continue;
    const vb = b.args[k];
    const lit = (v: unknown) =>
      (typeof v === 'string' && !v.includes('${')) || typeof v === 'number' || typeof v === 'boolean';
    if (lit(va) && lit(vb) && va !== vb) return true;
  }
  return false;
}

/**
 * The name a block gives its object, as far as the configuration says: `name` when it is certainly a
 * string, else `name_prefix` followed by the unique suffix the provider adds. Undefined when neither
 * says (a conditional that may be null, a name the provider generates).
 */
function nameOf(space: ModuleSpace, r: TfResource): Term | undefined {
  const row = nameArguments(r.type);
  if (!row) return undefined;
  const term = (arg: string) => (r.args[arg] === undefined ? undefined : termOf(space, r.modulePrefix, r.args[arg], r));
  const name = term(row.name);
  if (name && (name.known ? typeof name.value === 'string' && name.value !== '' : name.present === true)) return name;
  if (name && !(name.known && name.value === null)) return undefined;
  const prefix = row.prefix === undefined ? undefined : term(row.prefix);
  const start = prefix?.known ? (typeof prefix.value === 'string' ? prefix.value : undefined) : prefix?.head;
  if (!prefix || !start) return undefined;
  return {
    known: false,
    text: `${prefix.known ? start : prefix.text}<unique suffix>`,
    head: start,
    outside: prefix.outside,
    refs: prefix.refs,
  };
}

/**
 * Whether two blocks name their objects differently by an argument the provider cannot change in
 * place (`aws_iam_instance_profile.name` against another `name_prefix`): a moved block between them
 * would still plan a replacement, so they are two objects.
 */
function nameConflict(base: ModuleSpace, a: TfResource, head: ModuleSpace, b: TfResource): boolean {
  const [x, y] = [nameOf(base, a), nameOf(head, b)];
  return x !== undefined && y !== undefined && differ(x, y);
}

/**
 * Whether two `kubectl_manifest`/`kubernetes_manifest` blocks write different Kubernetes objects: the
 * group or kind differs, or the name or namespace where both manifests state it. A moved block between
 * them would make the provider turn one object into another.
 */
function kubeConflict(a: TfResource, b: TfResource): boolean {
  const [x, y] = [manifestIdentity(a), manifestIdentity(b)];
  if (!x || !y) return false;
  const both = (k: 'name' | 'namespace') => x[k] !== undefined && y[k] !== undefined && x[k] !== y[k];
  return x.group !== y.group || x.kind !== y.kind || both('name') || both('namespace');
}

function parentOf(address: string): string {
  const i = address.lastIndexOf('module.');
  return i <= 0 ? '' : address.slice(0, i);
}
