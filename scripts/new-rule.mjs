// `npm run new-rule -- <surface>/<id>`: writes src/surfaces/<surface>/rules/<id>.ts, its case table
// <id>.test.ts, and registers it in the surface's rules/index.ts (src/testing/new-rule.ts, bundled
// here with esbuild as scripts/docs.mjs bundles the reference). Refuses an unknown surface or an id
// that exists.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const key = process.argv[2];
if (!key || process.argv.length > 3) {
  process.stderr.write('usage: npm run new-rule -- <surface>/<id>\n');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'node_modules', '.cache', 'rollwright-new-rule');
const out = join(dir, `new-rule-${process.pid}.cjs`);
await mkdir(dir, { recursive: true });
try {
  await build({
    entryPoints: [join(root, 'src/testing/new-rule.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  const { writeNewRule } = createRequire(import.meta.url)(out);
  let written;
  try {
    written = writeNewRule(root, key);
  } catch (e) {
    process.stderr.write(`new-rule: ${e.message}\n`);
    process.exitCode = 1;
  }
  if (written) {
    for (const f of written) process.stdout.write(`wrote ${f}\n`);
    const test = written[1];
    process.stdout.write(
      `next: fill in the TODOs, make the case table fail first (npx vitest run ${test}), then run npm run docs for its page\n`,
    );
  }
} finally {
  await rm(out, { force: true });
}
