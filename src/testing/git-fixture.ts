/**
 * Real git repositories for tests, built in a temporary directory with a fixed identity and fixed
 * dates, so that the same steps always give the same commit ids. Git runs through execFileSync with
 * argument arrays only (never a shell), with the user's global and system config ignored, so tests
 * behave the same on a machine with no git identity and on one with signing hooks configured.
 *
 *   const repo = await GitFixture.create();
 *   const a = repo.commit('add web', { 'apps/web.yaml': text });
 *   const b = repo.commit('drop web', {}, { delete: ['apps/web.yaml'] });
 *   ...
 *   await repo.cleanup();
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

/** The first commit's date; each further commit is one hour later. */
export const FIXTURE_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000;

/** Environment for every git process of a fixture: fixed identity, no user or system config. */
export function fixtureGitEnv(date?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Rollwright Test',
    GIT_AUTHOR_EMAIL: 'test@rollwright.invalid',
    GIT_COMMITTER_NAME: 'Rollwright Test',
    GIT_COMMITTER_EMAIL: 'test@rollwright.invalid',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    TZ: 'UTC',
  };
  if (date !== undefined) {
    env.GIT_AUTHOR_DATE = `@${date} +0000`;
    env.GIT_COMMITTER_DATE = `@${date} +0000`;
  }
  return env;
}

export type FileContent = string | Buffer;

export interface CommitOptions {
  /** Paths to remove before committing. */
  delete?: string[];
  /** `[from, to]` pairs moved with `git mv` (a rename git records as such when the content is similar). */
  move?: Array<[string, string]>;
  /** Allow a commit with no change. */
  allowEmpty?: boolean;
}

export class GitFixture {
  private commits = 0;

  private constructor(readonly dir: string) {}

  /** A new repository with branch `main` in a fresh temporary directory. */
  static create(prefix = 'rollwright-fixture-'): GitFixture {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const f = new GitFixture(dir);
    f.git('init', '-q', '-b', 'main');
    return f;
  }

  /** Runs git in the repository and returns its stdout (trimmed of the final newline). */
  git(...args: string[]): string {
    return this.gitWithInput(undefined, ...args);
  }

  /** Runs git with `input` on stdin. */
  gitWithInput(input: string | undefined, ...args: string[]): string {
    return execFileSync('git', ['-C', this.dir, ...args], {
      env: fixtureGitEnv(FIXTURE_EPOCH + this.commits * 3600),
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
      stdio: [input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    }).replace(/\n$/, '');
  }

  /** The absolute path of a repository path, refusing paths that leave the repository. */
  path(rel: string): string {
    const abs = resolve(this.dir, rel);
    if (!abs.startsWith(this.dir + sep)) throw new Error(`fixture path escapes the repository: ${rel}`);
    return abs;
  }

  /** Writes files into the working tree (directories created as needed); nothing is staged. */
  write(files: Record<string, FileContent>): this {
    for (const [rel, content] of Object.entries(files)) {
      const abs = this.path(rel);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    return this;
  }

  /** Removes files from the working tree; nothing is staged. */
  remove(...paths: string[]): this {
    for (const rel of paths) rmSync(this.path(rel), { force: true, recursive: true });
    return this;
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  /**
   * Writes `files`, applies deletes and moves, stages everything and commits with the next fixed
   * date. Returns the full commit id. `message` may carry trailers after a blank line.
   */
  commit(message: string, files: Record<string, FileContent> = {}, opts: CommitOptions = {}): string {
    for (const [from, to] of opts.move ?? []) {
      mkdirSync(dirname(this.path(to)), { recursive: true });
      this.git('mv', '--', from, to);
    }
    this.write(files);
    if (opts.delete?.length) this.remove(...opts.delete);
    this.git('add', '-A');
    this.gitWithInput(
      message.endsWith('\n') ? message : `${message}\n`,
      '-c',
      'commit.gpgsign=false',
      'commit',
      '-q',
      '--no-verify',
      '--cleanup=strip',
      ...(opts.allowEmpty ? ['--allow-empty'] : []),
      '-F',
      '-',
    );
    this.commits++;
    return this.head();
  }

  /** Full id of a revision. */
  rev(rev = 'HEAD'): string {
    return this.git('rev-parse', '--verify', '--quiet', `${rev}^{commit}`);
  }

  head(): string {
    return this.rev('HEAD');
  }

  /** Creates a branch at a revision and switches to it (for histories that diverge). */
  branch(name: string, at = 'HEAD'): this {
    this.git('switch', '-q', '-c', name, at);
    return this;
  }

  switch(name: string): this {
    this.git('switch', '-q', name);
    return this;
  }

  /**
   * The state a user would notice: HEAD, the index (staged blob ids), the status, and the bytes of
   * every file in the working tree. Reads only; equal snapshots mean an untouched repository.
   */
  snapshot(): string {
    const files = this.git('ls-files', '-z', '--cached', '--others', '--exclude-standard')
      .split('\0')
      .filter(Boolean)
      .sort();
    const contents = files.map((f) => {
      try {
        return `${f}\0${readFileSync(this.path(f)).toString('base64')}`;
      } catch {
        return `${f}\0(missing)`;
      }
    });
    return [
      this.git('rev-parse', 'HEAD'),
      this.git('ls-files', '--stage'),
      this.git('status', '--porcelain=v1', '--untracked-files=all'),
      ...contents,
    ].join('\n');
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
