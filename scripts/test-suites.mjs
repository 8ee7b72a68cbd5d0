// Which test files drive a binary (terraform, PostgreSQL, the built CLI as a process, Chromium, a
// registry, Alertmanager or Prometheus): `npm run test:fast` leaves them out for the edit-test loop;
// `npm test` runs everything. A file is binary-backed when its text uses one of these helpers or
// names one of these programs, so a new test is classified by what it does, not by a hand-kept list.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What makes a test file binary-backed, and why. */
export const BINARY_BACKED = [
  [/testing\/cli(\.js)?'|dist\/cli\.cjs/, 'runs the built CLI as a process'],
  [
    /testing\/serve(\.js)?'.*\b(startServe|makeToken)\b|\b(startServe|makeToken)\b[\s\S]*testing\/serve/,
    'runs `rollwright serve` as a process',
  ],
  [/testing\/postgres(\.js)?'|testing\/ledger\/stores(\.js)?'/, 'starts a PostgreSQL server'],
  [/testing\/registry(\.js)?'/, 'starts a CNCF Distribution registry'],
  [/playwright-core/, 'drives Chromium'],
  [/(spawn|execFile)\w*\(\s*['"]terraform['"]/, 'runs terraform'],
  [/\/usr\/bin\/(prometheus|chromium)|\bbinary\(/, 'starts Alertmanager, Prometheus or Chromium'],
];

const ROOTS = ['src', 'bench', 'examples', 'scripts'];

function testFiles(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === '.work' ? [] : testFiles(root, p);
    return d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The binary-backed test files under `root`, relative to it, each with the first reason that holds. */
export function binaryBackedTests(root) {
  return ROOTS.flatMap((dir) => testFiles(root, dir))
    .map((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const hit = BINARY_BACKED.find(([re]) => re.test(text));
      return hit ? { file: relative(root, join(root, file)).split('\\').join('/'), why: hit[1] } : undefined;
    })
    .filter(Boolean)
    .sort((a, b) => a.file.localeCompare(b.file));
}
