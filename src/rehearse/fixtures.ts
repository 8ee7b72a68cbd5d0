/** The bundled example's migrations (examples/gitops): base plus history steps 21-23, as one folder. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairMigrations, type MigrationPair } from './migrations.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/gitops/', import.meta.url));

export function exampleMigrations(): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (dir: string) => {
    for (const n of readdirSync(dir)) files[`db/migrations/${n}`] = readFileSync(join(dir, n), 'utf8');
  };
  add(join(EXAMPLE, 'base/db/migrations'));
  for (const step of readdirSync(join(EXAMPLE, 'history')).sort())
    if (/^2[1-3]-/.test(step)) add(join(EXAMPLE, 'history', step, 'files/db/migrations'));
  return files;
}

export function examplePairs(): MigrationPair[] {
  return pairMigrations(exampleMigrations());
}

export function exampleQueries(): Array<{ file: string; text: string }> {
  const file = 'db/queries/shop.sql';
  return [{ file, text: readFileSync(join(EXAMPLE, 'base', file), 'utf8') }];
}
