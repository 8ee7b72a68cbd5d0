// Loads a TypeScript module of src/ from a script: bundled to CommonJS with esbuild, every package
// left to node_modules, `?raw` assets left unresolved (modules that import them are loaded lazily and
// never initialised here). The bundle is removed once `use` is done with the module.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** Runs `use` with the exports of `entry` (a path relative to the repository root). */
export async function withBundled(entry, use) {
  const dir = join(root, 'node_modules', '.cache', 'rollwright-scripts');
  const out = join(dir, `${basename(entry, '.ts')}-${process.pid}.cjs`);
  await mkdir(dir, { recursive: true });
  try {
    await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      outfile: out,
      logLevel: 'warning',
      plugins: [
        {
          name: 'raw-unused',
          setup(b) {
            b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: args.path, external: true }));
          },
        },
      ],
    });
    return await use(createRequire(import.meta.url)(out));
  } finally {
    await rm(out, { force: true });
  }
}
