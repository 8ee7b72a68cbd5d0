// The CLI under test, as a private build: other work in the tree may rebuild dist/ mid-run. It is
// built (not copied) into the snapshot folder, because the V8 code cache the build makes names the
// bundle's final path (see scripts/launcher.cjs): a copied dist/ would run without its cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the CLI into `dir` (replacing it) and returns the path of its `cli.cjs`. */
export function snapshotCli(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    env: { ...process.env, ROLLWRIGHT_DIST: dir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return join(dir, 'cli.cjs');
}
