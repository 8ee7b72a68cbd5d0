import type { Location, MessageData } from './finding.js';
import { defineRule, type Rule, type RuleMeta } from './rule.js';

/**
 * Toggle rules: a setting switched on or off (a boolean, or an enum read as on and off) on something
 * the change keeps or adds: a Flux object suspended, Argo CD self-heal turned on, a Terraform
 * resource's prevent_destroy removed, a policy moved from Audit to Enforce, a flag's default flipped.
 * Such a rule is data: the things that carry the switch, paired across the change; how a side reads;
 * which message each move reports; what a finding says and where. `defineToggleRule` makes the rule.
 */

/** One thing at both sides of the change: `before` is absent when the change adds it. */
export interface Sides<T> {
  before?: T | undefined;
  after: T;
}

/**
 * How a switch moved between the sides: `added` (the thing is new, the switch on), `on` (off, then
 * on), `off` (on, then off), `kept` (on at both sides of a thing the change touches), and, for a
 * setting read as a value rather than on and off, `changed` (another value at head than at base).
 */
export type Move = 'added' | 'on' | 'off' | 'kept' | 'changed';

export interface Switch<P extends Sides<unknown>, M extends string, V, D extends MessageData = MessageData> {
  /** The setting at one side. */
  read(side: P['after'], pair: P): V;
  /** Whether a value is on (default: `=== true`). */
  on?(value: V): boolean;
  /** The message each move reports (a move not listed reports nothing), or a function choosing it. */
  moves: Partial<Record<Move, M | ((pair: P) => M)>>;
  /** The finding's data (the rule's typed data, as `dataOf` reads it): `was` is undefined when the thing is new. */
  data(pair: P, now: V, was: V | undefined): D;
  /** Where the finding points. */
  at(pair: P, move: Move): Location;
}

/**
 * A toggle rule's data. It takes what `defineRule` takes besides its check (class, messages, docs, the
 * decision meaning of its findings), and `D`, the type of its findings' data, as `defineRule<Ctx, M, D>`.
 */
export interface ToggleRuleSpec<
  Ctx,
  M extends string,
  P extends Sides<unknown>,
  D extends MessageData = MessageData,
> extends RuleMeta<M> {
  /** Every thing the rule reads in its context, paired across the change (found asynchronously if need be). */
  pairs(ctx: Ctx): Iterable<P> | Promise<Iterable<P>>;
  /**
   * The switches of a thing, read in this order. `D` is never inferred from them: a rule whose data
   * others read names it (`defineToggleRule<Ctx, M, P, D>`), and the switches' data is checked against it.
   */
  switches: ReadonlyArray<Switch<P, M, any, NoInfer<D>>>;
  /** The object a finding is about (`<group>/<kind>/<namespace>/<name>`, a resource address). */
  object?(pair: P): string;
}

/** A rule from a toggle's data: for each pair and switch, the move found reports its message. */
export function defineToggleRule<Ctx, M extends string, P extends Sides<unknown>, D extends MessageData = MessageData>(
  spec: ToggleRuleSpec<Ctx, M, P, D>,
): Rule<Ctx, M, D> {
  const { pairs, switches, object, ...meta } = spec;
  return defineRule<Ctx, M, D>({
    ...meta,
    check(ctx) {
      const walk = (found: Iterable<P>) => {
        for (const pair of found)
          for (const sw of switches) {
            const now = sw.read(pair.after, pair);
            const was = pair.before === undefined ? undefined : sw.read(pair.before, pair);
            const move = moveOf(sw, pair.before !== undefined, was, now);
            if (move === undefined) continue;
            const message = sw.moves[move];
            if (message === undefined) continue;
            const id = typeof message === 'function' ? message(pair) : message;
            const data = sw.data(pair, now, was);
            if (object) ctx.report(id, data, sw.at(pair, move), { object: object(pair) });
            else ctx.report(id, data, sw.at(pair, move));
          }
      };
      const found = pairs(ctx);
      // Synchronous when the pairs are at hand: no turn of the microtask queue per rule.
      return found instanceof Promise ? found.then(walk) : walk(found);
    },
  });
}

function moveOf<V>(sw: Switch<any, string, V, any>, existed: boolean, was: V | undefined, now: V): Move | undefined {
  if ('changed' in sw.moves) return existed && was !== now ? 'changed' : undefined;
  const on = sw.on ?? ((v: V) => v === true);
  const isOn = on(now);
  if (!existed) return isOn ? 'added' : undefined;
  const wasOn = on(was as V);
  return isOn ? (wasOn ? 'kept' : 'on') : wasOn ? 'off' : undefined;
}
