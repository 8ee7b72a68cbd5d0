/**
 * What the ledger commands share on the CLI side: opening the store from its flags, and reading the
 * payload of an event (data pairs, data files).
 */
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../core/errors.js';
import { Ledger } from '../ledger/store.js';
import { resolveLedgerStore, type ResolvedStore, type Where } from './store-resolution.js';

export type { Where } from './store-resolution.js';

/** The ledger the flags name (store-resolution.ts), opened; `create` makes it when it does not exist. */
export async function openFromFlags(values: Where, create: boolean): Promise<{ ledger: Ledger; store: ResolvedStore }> {
  const store = await resolveLedgerStore(values, { create });
  return { ledger: await Ledger.open(store.spec, { create }), store };
}

/** Runs `fn` with a ledger opened from the flags, closing it whatever happens. */
export async function withLedger<T>(
  values: Where,
  create: boolean,
  fn: (l: Ledger, store: ResolvedStore) => Promise<T>,
): Promise<T> {
  const { ledger, store } = await openFromFlags(values, create);
  try {
    return await fn(ledger, store);
  } finally {
    await ledger.close();
  }
}

/**
 * `--data key=value` pairs into a payload: `a.b=x` nests (`{a: {b: "x"}}`), a repeated key makes a
 * list. Values stay strings; the payload schema of the event type converts what it needs.
 */
export function parseDataPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--data ${JSON.stringify(pair)}: write key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    const path = key.split('.');
    if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype'))
      throw new UsageError(`--data ${JSON.stringify(pair)}: bad key ${JSON.stringify(key)}`);
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node = node[part] = Object.create(null) as Record<string, unknown>;
      else if (typeof next === 'object' && next !== null && !Array.isArray(next))
        node = next as Record<string, unknown>;
      else throw new UsageError(`--data ${JSON.stringify(pair)}: ${part} is already a value`);
    }
    const leaf = path[path.length - 1]!;
    const prev = node[leaf];
    if (prev === undefined) node[leaf] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else if (typeof prev === 'string') node[leaf] = [prev, value];
    else throw new UsageError(`--data ${JSON.stringify(pair)}: ${leaf} is already an object`);
  }
  return plain(out) as Record<string, unknown>;
}

function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/**
 * `--data-file F`: a JSON or YAML mapping. For `change.declared`, a declaration file as written in
 * the repository (`change:` at the root) is accepted as is; for `change.assessed`, the JSON of
 * `rollwright assess -o json` is reduced to its class, gate, findings and revisions.
 */
export async function readDataFile(path: string, type: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path);
  }
  let value: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new InputError(`not JSON: ${(e as Error).message}`, path);
    }
  } else {
    const { parseSingleYaml } = await import('../core/yaml.js');
    const r = parseSingleYaml(text);
    if (r.error) throw new InputError(`does not parse: ${r.error.reason}`, path, r.error.line, r.error.column);
    value = r.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('the data file must hold a mapping of payload keys', path);
  let obj = value as Record<string, unknown>;
  if (type === 'change.declared' && 'change' in obj && Object.keys(obj).length === 1) {
    const inner = obj.change;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
      throw new InputError('change: must be a mapping', path);
    obj = { ...(inner as Record<string, unknown>), source: path };
  }
  if (type === 'change.assessed' && obj.schema === 'rollwright.assessment/v1') {
    const gate = obj.gate as { passed?: boolean } | undefined;
    obj = {
      class: obj.class,
      ...(gate && typeof gate.passed === 'boolean' ? { gate: gate.passed ? 'passed' : 'failed' } : {}),
      ...(Array.isArray(obj.findings) ? { findings: obj.findings.length } : {}),
      ...(typeof obj.base === 'string' ? { base: obj.base } : {}),
      ...(typeof obj.head === 'string' ? { head: obj.head } : {}),
      report: path,
    };
  }
  return obj;
}
