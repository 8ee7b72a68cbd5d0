// Writes docs/cli.md, the CLI reference, from the command tables (src/cli/reference.ts): `npm run docs`
// (which also writes docs/rules.md through the built CLI). src/cli/reference.test.ts fails when the
// file and the tables disagree.
//
// The reference module is bundled to CommonJS with every package left to node_modules: modules a
// command loads only when it runs (the server's dashboard, the engines) are bundled lazily and never
// initialised here, so the `?raw` assets they import are left unresolved.
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'node_modules', '.cache', 'rollwright-docs');
const out = join(dir, `reference-${process.pid}.cjs`);
await mkdir(dir, { recursive: true });
try {
  await build({
    entryPoints: [join(root, 'src/cli/reference.ts')],
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
  const { renderReference } = createRequire(import.meta.url)(out);
  await writeFile(join(root, 'docs/cli.md'), await renderReference());
} finally {
  await rm(out, { force: true });
}
