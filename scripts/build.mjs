// Bundles the CLI into dist/ with code splitting, so each command and each heavy parser
// is loaded only when it is used (start-up cost follows the command, not the product).
// Builds into a fresh folder and swaps it in, so a failed build never leaves dist/ half-written.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const out = process.env.ROLLWRIGHT_DIST ?? 'dist';
const tmp = `${out}.tmp-${process.pid}`;

try {
  await build({
    entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    legalComments: 'none',
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    define: { __VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  await rm(out, { recursive: true, force: true });
  await rename(tmp, out);
} catch (e) {
  await rm(tmp, { recursive: true, force: true });
  process.exitCode = 1;
  if (!e?.errors) console.error(e);
}
