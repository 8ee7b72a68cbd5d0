/**
 * The HCL parser: @cdktf/hcl2json, HashiCorp's HCL library compiled to WebAssembly. Its start costs
 * 95-175 ms (the Go runtime and a 1.7 MB gzipped module), so it loads on the first `.tf`/`.tofu`
 * file of a run and never otherwise: a change that touches no HCL never imports it (a test checks the
 * module cache). `hclStats` counts loads and time for the tests and the benchmark.
 */
import { tracePoint } from '../../git/exec.js';
import { redactSecrets } from './source.js';

export interface HclError {
  line: number;
  column: number;
  reason: string;
}

export interface HclResult {
  body?: Record<string, unknown>;
  error?: HclError;
}

export const hclStats = { loads: 0, startMs: 0, files: 0, parseMs: 0 };

type Parse = (file: string, text: string) => Promise<Record<string, unknown>>;

let parser: Promise<Parse> | undefined;
/** Parses run one at a time (the WebAssembly runtime is single-threaded anyway), so each is timed alone. */
let queue: Promise<unknown> = Promise.resolve();

/** Imports and starts the parser once per process. */
export function loadHcl(): Promise<Parse> {
  parser ??= (async () => {
    const t0 = performance.now();
    hclStats.loads++;
    const mod = (await import('@cdktf/hcl2json')) as unknown as { parse?: Parse; default?: { parse: Parse } };
    const parse = mod.parse ?? mod.default!.parse;
    await parse('rollwright-warm-up.tf', ''); // waits for the WebAssembly runtime
    hclStats.startMs = performance.now() - t0;
    tracePoint(`terraform: HCL parser ready in ${hclStats.startMs.toFixed(1)} ms`);
    return parse;
  })();
  return parser;
}

/** Whether the parser was loaded in this process. */
export function hclLoaded(): boolean {
  return parser !== undefined;
}

/** Parses one file; a syntax error comes back with its line, column and reason (never the source text). */
export async function parseHcl(file: string, text: string): Promise<HclResult> {
  const parse = await loadHcl();
  const run = queue.then(async (): Promise<HclResult> => {
    const t0 = performance.now();
    try {
      return { body: await parse(file, text) };
    } catch (e) {
      return { error: hclError(e instanceof Error ? e.message : String(e)) };
    } finally {
      hclStats.files++;
      hclStats.parseMs += performance.now() - t0;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** `parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of an expression...]`. */
export function hclError(message: string): HclError {
  const m = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^;\]]*)(?:; ([^\]]*))?/.exec(message);
  if (!m) return { line: 1, column: 1, reason: clip(redactSecrets(message.replace(/^parse config: /, ''))) };
  const detail = m[4] ? `: ${m[4].trim()}` : '';
  return { line: Number(m[1]), column: Number(m[2]), reason: clip(redactSecrets(`${m[3]!.trim()}${detail}`)) };
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
