import type * as z from 'zod/mini';
import type { OptionsZod } from './config-schema.js';
import type { RollbackClass } from './classes.js';
import type { Effect } from './effects.js';
import type { Finding, Location, MessageData, Severity } from './finding.js';
import type { PlaybookId } from './playbooks.js';

/**
 * What a rule's findings mean to the incident decision, next to their class: the playbook they point
 * to and their effects. A message's own meaning replaces the rule's effects (`database/data-mutation`
 * destroys data, its `insert` message has external effects to compensate) and inherits its playbook.
 */
export interface DecisionMeaning {
  /** None: the surface's playbook when it has one, else a bad application release. */
  playbook?: PlaybookId;
  effects: readonly Effect[];
}

/**
 * A finding about input rollwright could not read or render: the finding is reported as not assessed
 * (`unassessed` in the JSON, "class held because ... could not be assessed" in the summaries), never
 * as data destroyed. Both are message templates filled from the finding's data; `reason` defaults to
 * the message itself.
 */
export interface UnassessedSpec {
  reason?: string;
  remedy: string;
}

/**
 * The fact a finding states, so that the same fact seen from several views (a raw file and the rendered
 * overlay, a surface's rule and the revert's) is reported once. `id` names the fact from the finding's
 * data (the same string from every rule that can state it); findings with the same id about the same
 * source file (a rendered copy counts as its kustomization) are one, reported by the lowest `rank`
 * (the most precise view), which names the others.
 */
export interface FactSpec {
  id: (data: MessageData) => string | undefined;
  rank: number;
}

/** A message is its text, optionally with the class, severity and decision meaning of this outcome. */
export interface MessageSpec {
  text: string;
  class?: RollbackClass;
  severity?: Severity;
  decision?: DecisionMeaning;
  /** This outcome is "not assessed" (the rule's `unassessed` otherwise); `false` when it is not. */
  unassessed?: UnassessedSpec | false;
  /** The fact this outcome states, when other views can state it too (the rule's `fact` otherwise). */
  fact?: FactSpec;
}

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters for rollback, in a few sentences. */
  rationale: string;
  /** What to do instead, or how to make the change reversible. */
  fix?: string;
  /** Where the real behaviour is documented: upstream source or docs (URLs or source function names). */
  references?: string[];
}

export interface ReportExtra {
  /** `<group>/<kind>/<namespace>/<name>` of the object concerned. */
  object?: string;
}

/**
 * How a rule reports a finding: by message id, with the data its messages' placeholders read. `D` is
 * the rule's own data type where others read it (`dataOf`), so both sides are checked by the compiler.
 */
export type Report<M extends string, D extends MessageData = MessageData> = (
  messageId: M,
  data: D,
  at: Location,
  extra?: ReportExtra,
) => void;

export interface RuleMeta<M extends string = string> {
  /** The file name of the rule module, kebab-case. */
  id: string;
  surface: string;
  /** The class of the rule's findings unless a message says otherwise. */
  class: RollbackClass;
  severity: Severity;
  docs: RuleDocs;
  messages: Record<M, string | MessageSpec>;
  /** What its findings mean to the incident decision, unless a message says otherwise. */
  decision?: DecisionMeaning;
  /**
   * The rule reports input it could not assess (unless a message says `unassessed: false`): its
   * findings say what could not be assessed and how to assess it, and hold the class without
   * claiming any effect.
   */
  unassessed?: UnassessedSpec;
  /** The fact its findings state, when other views can state it too (see FactSpec). */
  fact?: FactSpec;
  /**
   * Findings of this rule fail the gate whatever a declaration says: the input itself must be fixed
   * (a file that cannot be read, a rule that failed, a secret committed in plain text).
   */
  blocksGate?: boolean;
  /**
   * Why a finding of this rule can never be accepted or ignored (a secret committed in plain text: no
   * reason makes it safe). An `accept:` entry, inline comment or `ignore` rule naming it is refused.
   */
  neverAccepted?: string;
  /**
   * The rule describes the tree, not a change: a guard a resource lacks, a retention policy that deletes
   * claims. `rollwright lint` reports it; `assess` drops its findings, because a change that adds such
   * an object is no harder to roll back for it (the risk is for a later change, which its own rules judge).
   */
  treeOnly?: true;
  /**
   * The rule's findings (all of them, or those of the listed messages) report a property present in the
   * files, not only a difference: `rollwright lint`, which reads a whole tree as if it were added,
   * reports them as the tree's reversibility smells.
   */
  smell?: true | readonly M[];
  /**
   * Options a config may re-parameterise (`rules: { <key>: { options: {...} } }`): their defaults, and
   * a schema built on demand (zod loads only when a config file is validated, never at start-up).
   */
  options?: RuleOptions;
}

export interface RuleOptions {
  defaults: Record<string, unknown>;
  schema: (zod: OptionsZod) => z.ZodMiniType;
}

export type RuleCheck<Ctx, M extends string, D extends MessageData = MessageData> = (
  ctx: Ctx & { report: Report<M, D>; options: Record<string, unknown> },
) => void | Promise<void>;

export interface Rule<
  Ctx = unknown,
  M extends string = string,
  D extends MessageData = MessageData,
> extends RuleMeta<M> {
  check: RuleCheck<Ctx, M, D>;
}

export type AnyRule = Rule<any, string>;

export function defineRule<Ctx, M extends string, D extends MessageData = MessageData>(
  rule: Rule<Ctx, M, D>,
): Rule<Ctx, M, D> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`rule id must be kebab-case: ${rule.id}`);
  return rule;
}

export function ruleKey(rule: Pick<RuleMeta, 'surface' | 'id'>): string {
  return `${rule.surface}/${rule.id}`;
}

/**
 * A message's text, class and severity, the rule's where the message has none of its own, and its
 * "not assessed" meaning (the message's, else the rule's; absent when neither or `false`).
 */
export type ResolvedMessage = Required<Pick<MessageSpec, 'text' | 'class' | 'severity'>> & {
  unassessed?: UnassessedSpec;
  fact?: FactSpec;
};

export function messageSpec(rule: RuleMeta, messageId: string): ResolvedMessage {
  const m = (rule.messages as Record<string, string | MessageSpec>)[messageId];
  if (m === undefined) throw new Error(`rule ${ruleKey(rule)} has no message '${messageId}'`);
  const spec: MessageSpec = typeof m === 'string' ? { text: m } : m;
  const resolved: ResolvedMessage = {
    text: spec.text,
    class: spec.class ?? rule.class,
    severity: spec.severity ?? rule.severity,
  };
  const unassessed = spec.unassessed === undefined ? rule.unassessed : spec.unassessed;
  if (unassessed) resolved.unassessed = unassessed;
  const fact = spec.fact ?? rule.fact;
  if (fact) resolved.fact = fact;
  return resolved;
}

/**
 * The decision meaning of a rule's message: the message's own effects (else the rule's), and the
 * message's playbook, else the rule's. Undefined when neither says anything (an unknown message id
 * reads as the rule's).
 */
export function decisionOf(rule: RuleMeta, messageId: string): DecisionMeaning | undefined {
  const m = Object.prototype.hasOwnProperty.call(rule.messages, messageId)
    ? (rule.messages as Record<string, string | MessageSpec>)[messageId]
    : undefined;
  const own = typeof m === 'object' ? m.decision : undefined;
  if (!own) return rule.decision;
  const playbook = own.playbook ?? rule.decision?.playbook;
  return playbook ? { playbook, effects: own.effects } : { effects: own.effects };
}

/** Whether a rule's message reports a reversibility smell (see RuleMeta.smell). */
export function isSmell(rule: Pick<RuleMeta, 'smell'>, messageId: string): boolean {
  return rule.smell === true || (rule.smell !== undefined && rule.smell.includes(messageId));
}

/**
 * Whether every finding of the rule is one `rollwright lint` (a whole tree read as added) leaves out:
 * none of its messages is a smell or says what could not be assessed, it is not the engine's own, and
 * none states a fact another rule's finding could be merged with. Such a rule is not run on a tree.
 */
export function describesChangesOnly(rule: RuleMeta): boolean {
  if (rule.surface === 'core' || rule.smell === true || (rule.smell !== undefined && rule.smell.length > 0))
    return false;
  for (const id of Object.keys(rule.messages)) {
    const spec = messageSpec(rule, id);
    if (spec.unassessed || spec.fact) return false;
  }
  return true;
}

/** Whether a finding is one of `rule`'s. */
export function isFindingOf(f: Pick<Finding, 'rule'>, rule: Pick<RuleMeta, 'surface' | 'id'>): boolean {
  return f.rule === ruleKey(rule);
}

/**
 * The data of a finding of `rule`, typed as the rule reports it (`defineRule<Ctx, M, D>`); undefined
 * for another rule's finding, or one without data. Readers of a finding's data (the incident decision)
 * go through it, so a rule that renames a datum breaks their build, not their output.
 */
export function dataOf<D extends MessageData>(
  f: Pick<Finding, 'rule' | 'data'>,
  rule: Pick<RuleMeta, 'surface' | 'id'> & { check: RuleCheck<any, any, D> },
): D | undefined {
  return isFindingOf(f, rule) ? (f.data as D | undefined) : undefined;
}
