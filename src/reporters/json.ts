import type { Finding } from '../core/finding.js';
import type { Assessment } from '../engine/assess.js';

/**
 * One finding as the JSON contracts print it (assess, lint), keys in a fixed order; `extra` (lint's
 * `fix`) goes after `messageId`. An accepted or ignored finding carries its `suppression`.
 */
export function findingJson(f: Finding, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rule: f.rule,
    surface: f.surface,
    class: f.class,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    object: f.object ?? null,
    messageId: f.messageId,
    ...extra,
    ...(f.column !== undefined ? { column: f.column } : {}),
    ...(f.data ? { data: f.data } : {}),
    ...(f.unassessed ? { unassessed: f.unassessed } : {}),
    // Owned by a person with a reason: still reported, out of the gate and the class.
    ...(f.suppression ? { suppression: f.suppression } : {}),
  };
}

/**
 * `-o json`: the contract of `rollwright assess` (schema `rollwright.assessment/v1`).
 * Key order is fixed so that output is byte-stable for the same input.
 */
export function renderJson(a: Assessment): string {
  const out = {
    schema: a.schema,
    base: a.base,
    head: a.head,
    class: a.class,
    // What could not be assessed, and whether it holds the class (assessments read back from before the
    // list existed have none).
    unassessed: a.unassessed ?? [],
    findings: a.findings.map((f) => findingJson(f)),
    declaration: a.declaration,
    gate: a.gate,
    environments: a.environments,
    skipped: a.skipped,
    stats: a.stats,
    // `assess --rehearse` only: the rehearsal reports (rollwright.rehearsal/v1), an extra key.
    ...(a.rehearsal !== undefined ? { rehearsal: a.rehearsal } : {}),
    // `assess --live` only: the rollback targets checked (rollwright.targets/v1), an extra key.
    ...(a.targets !== undefined ? { targets: a.targets } : {}),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
