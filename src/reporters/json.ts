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
  return [...renderJsonChunks(a)].join('');
}

/** Findings per piece of renderJsonChunks. */
const FINDINGS_PER_CHUNK = 1000;

/**
 * renderJson's text in pieces, for writing as they are made: the findings of a change of 50,000 files
 * are about a hundred megabytes of JSON, which as one string (and the buffer it is written from, and
 * the objects it is made of) was most of the run's peak memory. The pieces joined are exactly
 * renderJson's text: the findings are each stringified alone and indented to their depth (a JSON
 * string never holds a raw newline, so indenting after every newline is exact).
 */
export function* renderJsonChunks(a: Assessment): Generator<string> {
  const text = JSON.stringify(assessmentJson(a, []), null, 2) + '\n';
  // The top-level key, at two spaces: the keys of nested objects are indented deeper.
  const empty = '\n  "findings": [],\n';
  const at = text.indexOf(empty);
  if (a.findings.length === 0 || at < 0) {
    yield a.findings.length === 0 ? text : JSON.stringify(assessmentJson(a, a.findings), null, 2) + '\n';
    return;
  }
  let piece = `${text.slice(0, at)}\n  "findings": [`;
  for (let i = 0; i < a.findings.length; i++) {
    piece += `${i ? ',' : ''}\n    ${JSON.stringify(findingJson(a.findings[i]!), null, 2).replace(/\n/g, '\n    ')}`;
    if ((i + 1) % FINDINGS_PER_CHUNK === 0) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}\n  ],\n${text.slice(at + empty.length)}`;
}

function assessmentJson(a: Assessment, findings: readonly Finding[]) {
  return {
    schema: a.schema,
    base: a.base,
    head: a.head,
    class: a.class,
    // What could not be assessed, and whether it holds the class (assessments read back from before the
    // list existed have none).
    unassessed: a.unassessed ?? [],
    findings: findings.map((f) => findingJson(f)),
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
}
