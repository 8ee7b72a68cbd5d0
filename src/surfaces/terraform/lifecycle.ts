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
