// What several bench scripts share: the environment their git processes run in, and seeded
// randomness (the same seed draws the same commits, sizes and choices on every machine and Node
// version; no Math.random). The generated benchmark corpus depends on rng: changing it changes
// the corpus, so bump CORPUS_VERSION in corpus.mjs with it.
import { execFileSync } from 'node:child_process';

/** git without the user's or the system's configuration, prompts or locale. */
export const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** GIT_ENV with the author and committer of the commits a benchmark makes in its generated repositories. */
export const COMMIT_ENV = {
  ...GIT_ENV,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@rollwright.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@rollwright.invalid',
};

/** git -C DIR ARGS in a generated repository (COMMIT_ENV), its output trimmed. */
export function gitIn(dir, args) {
  return execFileSync('git', ['-C', dir, ...args], { env: COMMIT_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();
}

/** mulberry32: a small 32-bit PRNG, uniform in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` items of `xs` drawn without replacement (seeded Fisher-Yates), kept in their original order. */
export function sampleOf(xs, n, seed) {
  const next = rng(seed);
  const idx = xs.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => xs[i]);
}
