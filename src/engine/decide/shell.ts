/**
 * Shell-safe printing of runbook commands. Commands are printed for a person to run, never executed
 * by rollwright; names that come from the repository (an Application name, a flag key, a path) are
 * quoted when they hold anything but `[A-Za-z0-9._/:@=-]`, so a pasted command means what it shows.
 */
const SAFE = /^[A-Za-z0-9._/:@=-]+$/;

/** One word: as is when safe, else in single quotes (a single quote becomes `'\''`). */
export function sh(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line from literal words and values. Literal words (the tool, its sub-commands, its flags)
 * are trusted; every value goes through `sh`. Use `cmd\`argocd app set ${name}\``.
 */
export function cmd(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += (typeof v === 'number' ? String(v) : sh(v)) + strings[i + 1]!;
  });
  return out;
}
