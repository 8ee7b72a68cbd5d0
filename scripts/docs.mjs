// Writes docs/cli.md, the CLI reference, from the command tables (src/cli/reference.ts): `npm run docs`
// (which also writes docs/rules.md through the built CLI, and the rule pages through the rule tests).
// src/cli/reference.test.ts fails when the file and the tables disagree.
//
// The reference module is bundled to CommonJS (scripts/bundle-ts.mjs): modules a command loads only
// when it runs (the server's dashboard, the engines) are bundled lazily and never initialised here.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root, withBundled } from './bundle-ts.mjs';

await withBundled('src/cli/reference.ts', async ({ renderReference }) =>
  writeFile(join(root, 'docs/cli.md'), await renderReference()),
);
