import { posix } from 'node:path';

/** A file that may define what gather looks for but could not be read, and why: never taken as "none". */
export interface Unread {
  file: string;
  line: number;
  reason: string;
}

export const MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml'];

/** `./apps/web/` → `apps/web`; '' for the repository root; undefined for a path that leaves it. */
export function repoPath(p: string): string | undefined {
  const n = posix.normalize(p.trim().replace(/\/+$/, '') || '.');
  if (n === '.' || n === './') return '';
  if (n === '..' || n.startsWith('../') || n.startsWith('/')) return undefined;
  return n.replace(/^\.\//, '');
}

export function covers(dir: string, file: string): boolean {
  return dir === '' || file === dir || file.startsWith(`${dir}/`);
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
