// Builds dist/cli.cjs (the `rollwright` executable) and dist/index.mjs (the library).
//
// The CLI is one CommonJS file: on Node 20 a single CJS bundle starts about 10 ms faster than the
// same code split into ESM chunks (measured with bench/, see README "Performance"). Heavy parts stay
// lazy: every `await import(...)` in the source becomes a lazily initialised module inside the bundle,
// so the YAML parser, zod and each reporter run their top-level code only when a command needs them.
// Builds into a fresh folder and swaps it in, so a failed build never leaves dist/ half-written.
import { build } from 'esbuild';
import { chmod, readFile, rename, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const out = process.env.ROLLWRIGHT_DIST ?? 'dist';
const tmp = `${out}.tmp-${process.pid}`;
const common = {
  bundle: true,
  // Native and WebAssembly packages load from node_modules at run time, and only when used.
  external: [
    'better-sqlite3',
    'pg-native',
    '@cdktf/hcl2json',
    'libpg-query',
    '@electric-sql/pglite',
    'node-sql-parser',
    // Only `revert --check` uses these: Kubernetes object schemas and the CEL of admission policies.
    'kubernetes-models',
    '@kubernetes-models/*',
    '@marcbachmann/cel-js',
    // Only the ledger commands use these; from node_modules they cost nothing to a run that does not.
    'kysely',
    'pg',
  ],
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

try {
  await build({
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: tmp,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    minifySyntax: true,
    banner: { js: '#!/usr/bin/env node' },
  });
  await build({
    ...common,
    entryPoints: { index: 'src/index.ts' },
    outdir: tmp,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await chmod(`${tmp}/cli.cjs`, 0o755);
  await rm(out, { recursive: true, force: true });
  await rename(tmp, out);
} catch (e) {
  await rm(tmp, { recursive: true, force: true });
  process.exitCode = 1;
  if (!e?.errors) console.error(e);
}
