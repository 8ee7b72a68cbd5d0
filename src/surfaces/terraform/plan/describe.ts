import type { AttributeReader } from '../data/data-bearing-types.js';
import { configAddress, deletes, isReplace, type Blast, type ChangeValues, type PlanChange } from './model.js';

/** Reads an attribute of a change's old or new object; sensitive and absent attributes read as undefined. */
export function attributeReader(values: ChangeValues | undefined, side: 'before' | 'after'): AttributeReader {
  const obj = values?.[side];
  const mask = side === 'before' ? values?.beforeSensitive : values?.afterSensitive;
  return (name) => {
    if (!obj || typeof obj !== 'object') return undefined;
    if (mask === true) return undefined;
    if (typeof mask === 'object' && mask !== null && (mask as Record<string, unknown>)[name]) return undefined;
    return obj[name];
  };
}

const REASONS: Record<string, string> = {
  replace_because_tainted: 'because it is tainted',
  replace_by_request: 'as requested with -replace',
  replace_by_triggers: 'because replace_triggered_by fired',
  delete_because_no_resource_config: 'because its block was removed from the configuration',
  delete_because_no_module: 'because its module call was removed',
  delete_because_wrong_repetition: 'because count/for_each changed and its instance address with it',
  delete_because_count_index: 'because count no longer includes this index',
  delete_because_each_key: 'because for_each no longer includes this key',
  delete_because_no_move_target: 'because a moved block points at an address that does not exist',
};

/** Why Terraform plans this action, from `action_reason` and `replace_paths` (attribute names only). */
export function reasonText(c: PlanChange): string {
  if (c.deposed !== undefined) return `(deposed object ${c.deposed}, left by an interrupted create-before-destroy)`;
  if (c.actionReason === 'replace_because_cannot_update' || (c.actionReason === undefined && c.replacePaths?.length)) {
    const paths = (c.replacePaths ?? []).map((p) => p.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.'));
    return paths.length
      ? `because ${paths.join(', ')} changed, which cannot be updated in place`
      : 'because an attribute changed that cannot be updated in place';
  }
  return c.actionReason ? (REASONS[c.actionReason] ?? c.actionReason.replace(/_/g, ' ')) : '';
}

const MAX_LISTED = 8;
/** The k smallest strings seen, sorted, in O(k) per item: a blast radius can hold every resource of a plan. */
class Smallest {
  readonly items: string[] = [];
  count = 0;
  constructor(private readonly k: number) {}
  add(s: string): void {
    this.count++;
    const a = this.items;
    if (a.length === this.k && s >= a[a.length - 1]!) return;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, s);
    if (a.length > this.k) a.pop();
  }
  text(): string {
    return (
      this.items.join(', ') + (this.count > this.items.length ? `, and ${this.count - this.items.length} more` : '')
    );
  }
}

const GROUP = new WeakMap<PlanChange, number>();

/** 0 deleted, 1 re-created, 2 updated, 3 anything else; memoised per change. */
function group(c: PlanChange): number {
  let g = GROUP.get(c);
  if (g === undefined) {
    const a = c.actions;
    g = isReplace(a) ? 1 : deletes(a) ? 0 : a.length === 1 && a[0] === 'update' ? 2 : 3;
    GROUP.set(c, g);
  }
  return g;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The resources of this plan that depend on `change`'s resource, by what the plan does to them, as data
 * and as a clause to append to a message: "; replacing it also re-creates 3 dependents (a, b, c)".
 */
export function blastOf(
  change: PlanChange,
  eachDependent: (configAddress: string, visit: (address: string) => void) => void,
  changesByConfig: ReadonlyMap<string, readonly PlanChange[]>,
): Blast {
  const deleted = new Smallest(MAX_LISTED);
  const recreated = new Smallest(MAX_LISTED);
  const updated = new Smallest(MAX_LISTED);
  const rest = new Smallest(MAX_LISTED);
  const groups = [deleted, recreated, updated, rest];
  eachDependent(configAddress(change.address), (addr) => {
    const list = changesByConfig.get(addr);
    if (list === undefined) return;
    for (const c of list) {
      if (c.mode !== 'managed' || c.address === change.address) continue;
      groups[group(c)]!.add(c.address);
    }
  });
  const count = deleted.count + recreated.count + updated.count + rest.count;
  if (count === 0) return { count: 0, addresses: [], text: '' };
  const verb = isReplace(change.actions) ? 'replacing' : 'deleting';
  const parts: string[] = [];
  let noun = false;
  const part = (what: string, ds: Smallest) => {
    if (!ds.count) return;
    parts.push(`${what} ${noun ? ds.count : plural(ds.count, 'dependent')} (${ds.text()})`);
    noun = true;
  };
  part('deletes', deleted);
  part('re-creates', recreated);
  part('updates', updated);
  let text = parts.length ? `; ${verb} it also ${joinParts(parts)}` : '';
  if (rest.count)
    text += text
      ? `; ${plural(rest.count, 'more dependent')} unchanged in this plan (${rest.text()})`
      : `; ${verb} it leaves ${plural(rest.count, 'dependent')} unchanged in this plan (${rest.text()})`;
  const addresses = [...deleted.items, ...recreated.items, ...updated.items, ...rest.items].sort();
  return { count, addresses, text };
}

function joinParts(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
