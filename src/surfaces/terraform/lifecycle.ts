import { instancesOf } from './count.js';
import type { TfResource, TfUnit } from './model.js';

/** The resource at head that a base address became: the same address, or the target of a moved block. */
export function headTwin(unit: TfUnit, baseAddress: string): TfResource | undefined {
  const head = unit.head;
  if (!head) return undefined;
  const same = head.resources.get(baseAddress);
  if (same) return same;
  const moved = head.moved.find((m) => m.from === baseAddress);
  return moved ? head.resources.get(moved.to) : undefined;
}

/**
 * Every managed resource of the base that stays at head (at its address, or moved), with its head
 * twin, in the units that parse at both sides: what a rule about a lifecycle guard compares. A
 * resource with no instance at base (its `count`/`for_each`, or a module call's it sits in, is zero
 * with the inputs the configuration gives) has no object to replace or guard, and is left out.
 */
export function keptResources(units: readonly TfUnit[]): Array<{ before: TfResource; after: TfResource }> {
  const out: Array<{ before: TfResource; after: TfResource }> = [];
  for (const unit of units) {
    if (unit.broken || !unit.base || !unit.head) continue;
    for (const before of unit.base.resources.values()) {
      if (before.mode !== 'managed') continue;
      const after = headTwin(unit, before.address);
      if (after && instancesOf(unit.base, before).state !== 'off') out.push({ before, after });
    }
  }
  return out;
}
