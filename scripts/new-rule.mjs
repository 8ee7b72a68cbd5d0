// `npm run new-rule -- <surface>/<id>`: writes src/surfaces/<surface>/rules/<id>.ts, its case table
// <id>.test.ts, and registers it in the surface's rules/index.ts (src/testing/new-rule.ts, loaded
// through scripts/bundle-ts.mjs). Refuses an unknown surface or an id that exists.
import { root, withBundled } from './bundle-ts.mjs';

const key = process.argv[2];
if (!key || process.argv.length > 3) {
  process.stderr.write('usage: npm run new-rule -- <surface>/<id>\n');
  process.exit(2);
}
await withBundled('src/testing/new-rule.ts', ({ writeNewRule }) => {
  let written;
  try {
    written = writeNewRule(root, key);
  } catch (e) {
    process.stderr.write(`new-rule: ${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  for (const f of written) process.stdout.write(`wrote ${f}\n`);
  process.stdout.write(
    `next: fill in the TODOs, make the case table fail first (npx vitest run ${written[1]}), then run npm run docs for its page\n`,
  );
});
