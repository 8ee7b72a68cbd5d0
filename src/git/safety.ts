/**
 * A repository rollwright assesses is untrusted input, its git configuration included: a CI job may
 * assess a prepared work tree, an unpacked archive or a cached checkout whose `.git/config` (or a file
 * it includes) names commands. Every git process rollwright starts therefore runs with:
 *
 * - an environment built here: no inherited `GIT_*` variable (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
 *   GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_CONFIG*, GIT_NAMESPACE,
 *   GIT_CEILING_DIRECTORIES, GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND... all change what is read or run),
 *   then a fixed set: no terminal prompt, no optional locks, no system config, no replace objects,
 *   no transport protocol at all, and `true`/`cat` as editor and pager;
 * - `--no-pager` and a `-c` override (command-line scope, which wins over every file) of each
 *   setting git's documentation (git-config(1), githooks(5), gitattributes(5)) describes as running a
 *   command, listed in SAFE_CONFIG with what each one runs;
 * - for commands that touch a work tree (`assess --worktree`, the temporary worktree of a revert),
 *   an override of every filter, diff and merge driver the configuration defines, whatever its name
 *   (`.gitattributes` only names drivers; their commands come from the configuration), read with
 *   `git config --list --name-only` in the directory the commands run in (driverOverrides).
 *
 * Settings that git itself honours only from protected configuration (system, global, command line),
 * such as `uploadpack.packObjectsHook`, cannot come from a repository and are left alone; rollwright
 * never runs upload-pack, fetch or push.
 */

/**
 * Each setting that names a command (or changes which objects or which merge resolutions are read),
 * with a value that runs nothing. Values are what git reads as "none": an empty string for the
 * commands whose empty value disables them, `false` for booleans.
 */
export const SAFE_CONFIG: ReadonlyArray<readonly [key: string, value: string, runs: string]> = [
  ['core.fsmonitor', 'false', 'the file system monitor hook, run by any command that reads the index'],
  ['core.hooksPath', '/dev/null', 'every hook (pre-commit, post-checkout, reference-transaction, post-merge...)'],
  ['core.pager', 'cat', 'the pager'],
  ['core.editor', 'true', 'the message editor'],
  ['sequence.editor', 'true', 'the rebase instruction editor'],
  ['core.askPass', '', 'the password prompt program'],
  ['core.sshCommand', 'false', 'ssh for fetch and push'],
  ['core.alternateRefsCommand', 'true', 'the command listing the refs of an alternate'],
  ['core.useReplaceRefs', 'false', 'refs/replace/* substituting other objects for the ones asked for'],
  ['credential.helper', '', 'credential helpers (an empty value clears the list)'],
  ['diff.external', '', 'the external diff program'],
  ['log.showSignature', 'false', 'gpg.program, to verify signatures while listing commits'],
  ['commit.gpgSign', 'false', 'gpg.program, to sign the temporary revert commit'],
  ['tag.gpgSign', 'false', 'gpg.program, to sign tags'],
  ['gpg.program', 'false', 'the OpenPGP program'],
  ['gpg.openpgp.program', 'false', 'the OpenPGP program'],
  ['gpg.x509.program', 'false', 'the X.509 signing program'],
  ['gpg.ssh.program', 'false', 'the SSH signing program'],
  ['gpg.ssh.defaultKeyCommand', 'false', 'the command that picks an SSH signing key'],
  ['protocol.allow', 'never', 'every transport (ext:: runs a command); with GIT_ALLOW_PROTOCOL empty'],
  ['protocol.ext.allow', 'never', 'ext:: transports, which run a command'],
  ['protocol.file.allow', 'never', 'file:// transports'],
  ['submodule.recurse', 'false', 'commands in submodules, with their own configuration'],
  ['rerere.enabled', 'false', 'recorded conflict resolutions replayed into a revert'],
  ['rerere.autoUpdate', 'false', 'recorded conflict resolutions staged into a revert'],
  ['gc.auto', '0', 'automatic housekeeping (and its pre-auto-gc hook) after a commit'],
  ['maintenance.auto', 'false', 'automatic maintenance after a commit'],
  ['i18n.logOutputEncoding', 'UTF-8', 'nothing: the encoding of the commit listing rollwright parses'],
  ['color.ui', 'false', 'nothing: colour codes in output rollwright parses'],
];

/** Options before the subcommand: no pager, then every override. */
const SAFE_ARGS: readonly string[] = Object.freeze([
  '--no-pager',
  ...SAFE_CONFIG.flatMap(([k, v]) => ['-c', `${k}=${v}`]),
]);

/** The arguments git starts with, before `-C <dir>` and the subcommand. */
export function safeArgs(extra: readonly string[] = []): string[] {
  return [...SAFE_ARGS, ...extra];
}

/**
 * Inherited GIT_* variables kept: the identity and dates of the one commit rollwright makes (a
 * revert), and the operator's choice of global config file (where a CI job keeps safe.directory; any
 * setting in it that runs a command is overridden like the repository's).
 */
const KEPT = new Set([
  'GIT_CONFIG_GLOBAL',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
]);

/** The environment of every git process: the caller's, without GIT_*, with the fixed safe values. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k) || KEPT.has(k)) env[k] = v;
  return {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    // An empty allow-list: no protocol at all, whatever protocol.<name>.allow the repository sets.
    GIT_ALLOW_PROTOCOL: '',
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_PAGER: 'cat',
    GIT_EDITOR: 'true',
    GIT_SEQUENCE_EDITOR: 'true',
    LC_ALL: 'C',
    ...extra,
  };
}

/** The variables of a filter, diff or merge driver that name a command, and the value that runs none. */
const DRIVER_KEYS: Record<string, ReadonlyArray<readonly [string, string]>> = {
  // gitattributes(5), "filter": an empty clean/smudge/process is no filter; not required, so none is needed.
  filter: [
    ['clean', ''],
    ['smudge', ''],
    ['process', ''],
    ['required', 'false'],
  ],
  // gitattributes(5), "diff": the external diff command and the text conversion of the driver.
  diff: [
    ['command', ''],
    ['textconv', ''],
    ['cachetextconv', 'false'],
  ],
  // gitattributes(5), "merge": a custom low-level merge driver. `exit 1` (run by git through the shell)
  // reports a conflict, so a path with a custom merge driver is a conflict of the revert, never merged
  // by the repository's command.
  merge: [['driver', 'exit 1']],
};

/**
 * `-c` overrides of every filter, diff and merge driver, and every `protocol.<name>.allow`, named in
 * `git config --list --name-only -z` output. A driver name git cannot take on its command line (one
 * with `=` or a newline) is refused: no such name is needed by anyone, and it could not be disarmed.
 */
export function driverOverrides(listing: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const key of listing.split('\0')) {
    if (!key) continue;
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first < 0 || last === first) continue;
    const section = key.slice(0, first).toLowerCase();
    const name = key.slice(first + 1, last);
    const variable = key.slice(last + 1).toLowerCase();
    if (section === 'protocol' && variable === 'allow') {
      if (/[=\n]/.test(name)) throw unsafeName(key);
      if (!seen.has(key)) out.push('-c', `protocol.${name}.allow=never`);
      seen.add(key);
      continue;
    }
    const vars = DRIVER_KEYS[section];
    if (!vars) continue;
    const id = `${section}.${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (/[=\n]/.test(name)) throw unsafeName(key);
    for (const [v, value] of vars) out.push('-c', `${id}.${v}=${value}`);
  }
  return out;
}

function unsafeName(key: string): Error {
  return new Error(
    `the repository's git configuration defines ${JSON.stringify(key)}, a name git cannot override on its command line; rollwright will not run git commands that could run it`,
  );
}
