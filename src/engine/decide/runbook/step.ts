import type { Finding } from '../../../core/finding.js';
import { sh } from '../shell.js';
import type { DecisionInput, RunbookStep } from '../types.js';

/**
 * Runbook step builders: each returns steps with exact commands built from real names (quoted by
 * `sh` when they need it). The CLI commands follow the tools' own documentation (README.md, "Real
 * tool behaviour"); nothing here runs anything.
 */

export function step(text: string, command: string | null = null, check: string | null = null): RunbookStep {
  return { step: text, command, check };
}

/** `<message> (<file>:<line>)` */
export function cite(f: Finding): string {
  return `${f.message} (${f.file}:${f.line})`;
}

/** The directory of a repository path (`.` for the root). */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i <= 0 ? '.' : file.slice(0, i);
}

// ---------------------------------------------------------------------------------------------
// Objects and ledger records

export interface ObjectRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** `finding.object` is `<group>/<kind>/<namespace>/<name>` (core group empty). */
export function parseObject(object: string | undefined): ObjectRef | null {
  if (!object) return null;
  const parts = object.split('/');
  if (parts.length !== 4) return null;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return { group, kind, namespace, name };
}

/** `Deployment shop/web` (the kubernetes surface's `describeObject`) as kind, namespace, name. */
export function parseWorkload(text: unknown): { kind: string; namespace: string; name: string } | null {
  if (typeof text !== 'string') return null;
  const m = /^(\w+) (?:([^/\s]+)\/)?([^/\s]+)$/.exec(text);
  return m ? { kind: m[1]!, namespace: m[2] ?? 'default', name: m[3]! } : null;
}

/** `rollwright record <type>` for the incident (or the change, where the ledger allows it). */
export function recordCmd(
  input: DecisionInput,
  type: string,
  data: ReadonlyArray<[string, string]>,
  opts: { needsIncident?: boolean; raw?: string } = {},
): string {
  const incident = input.ledger?.incident ?? null;
  const subject = incident
    ? `--incident ${sh(incident)}`
    : opts.needsIncident
      ? '--incident "$INCIDENT"'
      : `--change ${sh(input.change)}`;
  const fields = data.map(([k, v]) => ` --data ${sh(`${k}=${v}`)}`).join('');
  return `rollwright record ${type} ${subject}${fields}${opts.raw ? ` ${opts.raw}` : ''}`;
}
