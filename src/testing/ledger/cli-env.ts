/** Whole-process tests of the ledger commands: the built CLI, with a store flag per test store. */
import { cleanEnv, cli, type RunResult } from '../cli.js';
import type { StoreSpec } from '../../ledger/store-spec.js';
import { recordArgs, type ExampleStep } from './example.js';

/** The environment of a CLI run: no ROLLWRIGHT_STORE, _ACTOR or _SIGNING_KEY from the developer's shell. */
export function ledgerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv();
  delete env.ROLLWRIGHT_STORE;
  delete env.ROLLWRIGHT_ACTOR;
  delete env.ROLLWRIGHT_SIGNING_KEY;
  return { ...env, ...extra };
}

export function storeFlag(spec: StoreSpec): string {
  return spec.kind === 'sqlite' ? `sqlite:${spec.path}` : spec.url;
}

/** `rollwright <args> --store <spec>`, in `cwd`. */
export function run(spec: StoreSpec, args: string[], cwd?: string): Promise<RunResult> {
  return cli([...args, '--store', storeFlag(spec)], { env: ledgerEnv(), ...(cwd ? { cwd } : {}) });
}

/** Records steps one process each, failing with the CLI's stderr when one fails. */
export async function recordAll(spec: StoreSpec, steps: ExampleStep[], cwd?: string): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (const s of steps) {
    const r = await run(spec, recordArgs(s), cwd);
    if (r.code !== 0) throw new Error(`record ${s.type} exited ${r.code}: ${r.stderr}`);
    out.push(r);
  }
  return out;
}
