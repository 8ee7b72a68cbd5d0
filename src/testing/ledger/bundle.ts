/**
 * Bundles a TypeScript entry (the append worker) into one CommonJS file that plain `node` runs, for
 * tests and the benchmark that need real separate processes. better-sqlite3 and pg-native stay
 * external: the bundle is written under the repository's node_modules/.cache so that they resolve
 * from node_modules (esbuild keeps `import()` of externals, and ESM resolution ignores NODE_PATH).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function bundleWorker(outDir?: string): Promise<string> {
  if (outDir === undefined) {
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    outDir = mkdtempSync(join(cache, 'rollwright-worker-'));
  }
  const { build } = await import('esbuild');
  const out = join(outDir, 'append-worker.cjs');
  await build({
    entryPoints: [join(ROOT, 'src/testing/ledger/append-worker.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', 'pg-native'],
    logLevel: 'warning',
  });
  return out;
}

export function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...extra };
}
