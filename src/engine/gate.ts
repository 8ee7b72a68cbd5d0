import { compareClasses, atLeast, type RollbackClass } from '../core/classes.js';
import type { Declaration } from '../core/declaration.js';
import type { Finding } from '../core/finding.js';
import { requiresDeclaration, type RollwrightConfig } from '../core/config.js';

export interface GateResult {
  passed: boolean;
  reasons: string[];
}

export interface GateInput {
  inferred: RollbackClass;
  findings: readonly Finding[];
  declaration: Declaration | null;
  declarationProblems: readonly string[];
  environments: readonly string[];
  config: RollwrightConfig;
  failOn?: RollbackClass;
  /** Keys of rules whose findings fail the gate whatever the declaration says (RuleMeta.blocksGate). */
  blocking?: ReadonlySet<string>;
}

const IRREVERSIBLE: readonly RollbackClass[] = ['compensatable', 'non-recoverable-without-restore'];

/** "none", "none expected before cleanup job", "n/a": a declaration that claims no irreversible effect. */
function declaresNone(effects: readonly string[] | undefined): boolean {
  return !effects || effects.length === 0 || effects.every((e) => /^\s*(none|n\/a|no\b|nothing)/i.test(e));
}

/**
 * The declaration gate (docs/gate.md): a production change must declare how it would be undone, and
 * the declaration may not be more optimistic than the evidence. Every failure carries its reason.
 */
export function evaluateGate(input: GateInput): GateResult {
  const reasons: string[] = [];
  const { declaration: d, inferred } = input;
  // A finding a person accepted or ignored, with a reason, is reported but judged no more.
  const findings = input.findings.filter((f) => f.suppression === undefined);
  const requiring = input.environments.filter((e) => requiresDeclaration(input.config, e));

  for (const p of input.declarationProblems) reasons.push(`declaration is invalid: ${p}`);

  if (!d) {
    if (requiring.length)
      reasons.push(
        `environment ${requiring.join(', ')} requires a change declaration: add .rollwright/changes/<id>.yaml ` +
          `or Rollback-Class/Rollback-Method trailers (the evidence says ${inferred})`,
      );
  } else {
    const why = findings
      .filter((f) => f.class === inferred)
      .slice(0, 3)
      .map((f) => `${f.rule} at ${f.file}:${f.line}`);
    if (!d.rollbackClass) reasons.push(`declaration (${d.source}) has no rollbackClass`);
    else if (compareClasses(d.rollbackClass, inferred) < 0)
      reasons.push(
        `declared class ${d.rollbackClass} is more optimistic than the evidence: ${inferred}` +
          (why.length ? ` (${why.join('; ')})` : ''),
      );
    const effective = d.rollbackClass && compareClasses(d.rollbackClass, inferred) > 0 ? d.rollbackClass : inferred;
    if (!d.rollbackMethod)
      reasons.push(`declaration (${d.source}) has no rollbackMethod: say how the change is undone`);
    if (effective !== 'fully-reversible' && !(d.verification && d.verification.some((v) => v.trim())))
      reasons.push(`declaration (${d.source}) has no verification, required for class ${effective}`);
    if (effective === 'reversible-with-compatibility-window' && !hasWindow(d))
      reasons.push(`declaration (${d.source}) has no rollbackWindow, required for class ${effective}`);
    if (IRREVERSIBLE.includes(inferred) && declaresNone(d.irreversibleEffects)) {
      const effects = findings.filter((f) => IRREVERSIBLE.includes(f.class)).slice(0, 3);
      reasons.push(
        `the evidence shows irreversible effects that the declaration does not list in irreversibleEffects: ` +
          effects.map((f) => `${f.message} (${f.file}:${f.line})`).join('; '),
      );
    }
  }

  // Input that must be fixed (unreadable, a failed rule, a leaked secret) fails whatever is declared.
  const blocking = findings.filter((f) => f.severity === 'error' && input.blocking?.has(f.rule));
  if (blocking.length) reasons.push(`${count(blocking, 'finding')} that no declaration can accept: ${where(blocking)}`);
  // Other error findings (a deleted volume, a dangling reference) need a declaration that owns them;
  // with one, the class and irreversible-effect checks above judge it.
  const errors = findings.filter((f) => f.severity === 'error' && !input.blocking?.has(f.rule));
  if (errors.length && !d)
    reasons.push(
      `${count(errors, 'error finding')} and no declaration that accepts ${errors.length === 1 ? 'it' : 'them'}: ${where(errors)}`,
    );

  if (input.failOn && atLeast(inferred, input.failOn))
    reasons.push(`class ${inferred} is at or worse than --fail-on ${input.failOn}`);

  return { passed: reasons.length === 0, reasons };
}

function hasWindow(d: Declaration): boolean {
  const w = d.rollbackWindow;
  if (w === undefined) return false;
  if (typeof w === 'string') return w.trim() !== '';
  return Object.values(w).some((v) => v.trim() !== '');
}

function count(list: readonly Finding[], noun: string): string {
  return `${list.length} ${noun}${list.length === 1 ? '' : 's'}`;
}

function where(list: readonly Finding[]): string {
  return (
    list
      .slice(0, 3)
      .map((f) => `${f.rule} at ${f.file}:${f.line}`)
      .join('; ') + (list.length > 3 ? '; ...' : '')
  );
}
