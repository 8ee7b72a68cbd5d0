/**
 * Which ledger a command uses: the pure parts as tables, then whole processes in real git
 * repositories, each with a state directory of its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLiteralPassword } from '../core/config-schema.js';
import { defaultLedgerPath, expandVars, normalizeRemoteUrl, parseStoreSpec, stateHome } from '../ledger/store-spec.js';
import { cli, ensureBuilt } from '../testing/cli.js';
import { ledgerEnv, storeFlag } from '../testing/ledger/cli-env.js';
import { testStores } from '../testing/ledger/stores.js';
import { GitFixture } from '../testing/git-fixture.js';

const stores = testStores();
const fixtures: GitFixture[] = [];
beforeAll(async () => {
  await ensureBuilt();
});
afterAll(() => {
  for (const f of fixtures) f.cleanup();
});

describe('the pure parts', () => {
  it.each([
    ['git@github.com:acme/platform.git', 'github.com/acme/platform'],
    ['https://github.com/acme/platform', 'github.com/acme/platform'],
    ['https://user:token@GitHub.com/acme/platform.git/', 'github.com/acme/platform'],
    ['ssh://git@github.com:22/acme/platform.git', 'github.com/acme/platform'],
    ['git://github.com/acme/platform.git', 'github.com/acme/platform'],
    ['gitlab.example:group/sub/app.git', 'gitlab.example/group/sub/app'],
    ['/srv/git/platform.git', '/srv/git/platform'],
    ['file:///srv/git/platform.git', '/srv/git/platform'],
  ])('normalizeRemoteUrl(%j) = %j', (url, want) => {
    expect(normalizeRemoteUrl(url)).toBe(want);
  });

  it('parses stores: PostgreSQL URLs, sqlite:PATH and plain paths relative to a base; refuses others', () => {
    expect(parseStoreSpec('postgres://u@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(parseStoreSpec('sqlite:l.db', '--store', '/base')).toEqual({ kind: 'sqlite', path: '/base/l.db' });
    expect(parseStoreSpec('.rollwright/ledger.db', '--store', '/repo')).toEqual({
      kind: 'sqlite',
      path: '/repo/.rollwright/ledger.db',
    });
    expect(parseStoreSpec('/abs/l.db', '--store', '/repo')).toEqual({ kind: 'sqlite', path: '/abs/l.db' });
    expect(() => parseStoreSpec('mysql://root:pw@db/x')).toThrow(/is not a store/);
    expect(() => parseStoreSpec('postgres://[bad')).toThrow(/not a valid PostgreSQL URL/);
    expect(() => parseStoreSpec('sqlite:')).toThrow(/sqlite: needs a path/);
  });

  it('the state directory follows XDG_STATE_HOME when absolute, else ~/.local/state', () => {
    expect(stateHome({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' })).toBe('/x/state');
    expect(stateHome({ XDG_STATE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.local/state');
    expect(stateHome({ HOME: '/home/u' })).toBe('/home/u/.local/state');
    const a = defaultLedgerPath(
      { kind: 'origin', value: 'github.com/acme/platform', name: 'platform' },
      { XDG_STATE_HOME: '/s' },
    );
    expect(a).toMatch(/^\/s\/rollwright\/platform-[0-9a-f]{16}\/ledger\.db$/);
    expect(
      defaultLedgerPath(
        { kind: 'root-commit', value: 'github.com/acme/platform', name: 'platform' },
        { XDG_STATE_HOME: '/s' },
      ),
    ).not.toBe(a);
  });

  it('expands ${VAR} from the environment; an unset one is an error naming it', () => {
    expect(expandVars('postgres://rw:${PW}@db/l', { PW: 'x' }, 'w')).toBe('postgres://rw:x@db/l');
    expect(() => expandVars('${NOPE}', {}, '.rollwright.yaml: ledger.store')).toThrow(
      '.rollwright.yaml: ledger.store: the variable NOPE is not set',
    );
    expect(() => expandVars('${1X}', {}, 'w')).toThrow(/is not a variable reference/);
  });

  it.each([
    ['postgres://rw@db/ledger', false],
    ['postgres://rw:${LEDGER_PW}@db/ledger', false],
    ['${LEDGER_URL}', false],
    ['postgres://rw:hunter2@db/ledger', true],
    ['postgres://db/ledger?password=hunter2', true],
    ['postgres://db/ledger?sslmode=require', false],
    ['sqlite:.rollwright/ledger.db', false],
  ])('hasLiteralPassword(%j) is %s', (url, want) => {
    expect(hasLiteralPassword(url)).toBe(want);
  });
});

function repo(origin?: string): GitFixture {
  const f = GitFixture.create('rollwright-store-');
  fixtures.push(f);
  f.commit('first', { 'README.md': 'x\n' });
  if (origin) f.git('remote', 'add', 'origin', origin);
  return f;
}

function state(): string {
  return mkdtempSync(join(tmpdir(), 'rollwright-state-'));
}

const record = (change: string) => ['record', 'change.merged', '--change', change];

describe('rollwright: which store', () => {
  it('defaults to a file in the state directory, one per repository: clones of one origin share it', async () => {
    const home = state();
    const env = ledgerEnv({ XDG_STATE_HOME: home });
    const a = repo('git@github.com:acme/platform.git');
    const b = repo('https://github.com/acme/platform');
    const r1 = await cli([...record('CHG-1'), '--verbose'], { env, cwd: a.dir });
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toMatch(
      /^rollwright: ledger store: .*\/rollwright\/platform-[0-9a-f]{16}\/ledger\.db \(the default store of github\.com\/acme\/platform\)\n$/,
    );
    const r2 = await cli([...record('CHG-2'), '--repo', b.dir], { env });
    expect(r2.stdout).toMatch(/^recorded #2 /);
    expect(r2.stderr).toBe('');
    expect(readdirSync(join(home, 'rollwright'))).toEqual([expect.stringMatching(/^platform-[0-9a-f]{16}$/)]);
    expect(existsSync(join(a.dir, '.rollwright'))).toBe(false);
    const v = await cli(['ledger', 'verify'], { env, cwd: b.dir });
    expect(v.stdout).toMatch(
      /^ledger ok: 2 events in one chain, .* in .*ledger\.db \(the default store of github\.com\/acme\/platform\)\n$/,
    );
    expect(JSON.parse((await cli(['ledger', 'verify', '-o', 'json'], { env, cwd: b.dir })).stdout).storeSource).toBe(
      'default',
    );

    // No origin: keyed by the first commit; not a repository: by its path.
    const c = repo();
    const r3 = await cli([...record('CHG-3'), '--verbose'], { env, cwd: c.dir });
    expect(r3.stdout).toMatch(/^recorded #1 /);
    expect(r3.stderr).toContain(`(the default store of the repository whose first commit is ${c.head().slice(0, 12)})`);
    const plain = mkdtempSync(join(tmpdir(), 'rollwright-plain-'));
    const r4 = await cli([...record('CHG-4'), '--verbose'], { env, cwd: plain });
    expect(r4.stdout).toMatch(/^recorded #1 /);
    expect(r4.stderr).toMatch(/\(the default store of \/.*rollwright-plain-[^/]+\)\n$/);
    expect(readdirSync(join(home, 'rollwright'))).toHaveLength(3);
  });

  it('an old ledger inside the work tree is used, kept out of commits, and how to move it is said', async () => {
    const home = state();
    const env = ledgerEnv({ XDG_STATE_HOME: home });
    const f = repo('git@github.com:acme/old.git');
    const old = join(f.dir, '.rollwright', 'ledger.db');
    // Written by an older rollwright: the file is there, the exclude is not.
    mkdirSync(join(f.dir, '.rollwright'));
    const made = await cli([...record('CHG-1'), '--store', `sqlite:${old}`], {
      env: { ...env, XDG_STATE_HOME: home },
      cwd: f.dir,
    });
    expect(made.code, made.stderr).toBe(0);
    writeFileSync(join(f.dir, '.git', 'info', 'exclude'), '# git ls-files --others --exclude-from=.git/info/exclude\n');
    const r = await cli(record('CHG-2'), { env, cwd: f.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^recorded #2 /);
    expect(r.stderr).toContain(`rollwright: using the ledger inside the work tree, ${old}: the default store is now `);
    expect(r.stderr).toMatch(
      /Move it there with\n {4}mkdir -p .*\/rollwright\/old-[0-9a-f]{16} && mv .*\.rollwright\/ledger\.db .*\/ledger\.db\n/,
    );
    expect(r.stderr).toContain('rollwright: the ledger .rollwright/ledger.db is inside the work tree of');
    expect(readFileSync(join(f.dir, '.git', 'info', 'exclude'), 'utf8')).toContain(
      '\n/.rollwright/ledger.db\n/.rollwright/ledger.db-*\n',
    );
    expect(f.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    // Excluded once: the next run says only that the old default is in use, and --verbose says why.
    const again = await cli([...record('CHG-3'), '--verbose'], { env, cwd: f.dir });
    expect(again.stderr).not.toContain('is inside the work tree of');
    expect(again.stderr).toContain('using the ledger inside the work tree');
    expect(again.stderr).toContain(`rollwright: ledger store: ${old} (the old default inside the work tree)\n`);

    // Moved as said: the new default is used, quietly, and holds the history.
    const line = /mkdir -p (\S+) && mv (\S+) (\S+)/.exec(r.stderr)!;
    mkdirSync(line[1]!, { recursive: true });
    execFileSync('mv', [line[2]!, line[3]!]);
    const moved = await cli(record('CHG-4'), { env, cwd: f.dir });
    expect(moved.stdout).toMatch(/^recorded #4 /);
    expect(moved.stderr).toBe('');
    // A new old-style file next to it is named, not silently ignored.
    const stray = await cli([...record('CHG-5'), '--store', old], { env, cwd: f.dir });
    expect(stray.stdout).toMatch(/^recorded #1 /);
    const both = await cli(['ledger', 'verify'], { env, cwd: f.dir });
    expect(both.stdout).toMatch(/^ledger ok: 4 events/);
    expect(both.stderr).toContain(`a ledger also exists inside the work tree, ${old}, and is not used`);
  });

  it("a linked worktree shares its repository's default store and exclude file; an empty ROLLWRIGHT_STORE is unset", async () => {
    const home = state();
    const env = ledgerEnv({ XDG_STATE_HOME: home, ROLLWRIGHT_STORE: '' });
    const f = repo();
    const wt = mkdtempSync(join(tmpdir(), 'rollwright-worktree-'));
    f.git('worktree', 'add', '-q', '-b', 'hotfix', join(wt, 'hotfix'));
    const other = join(wt, 'hotfix');
    const first = await cli([...record('CHG-1'), '--verbose'], { env, cwd: f.dir });
    expect(first.code, first.stderr).toBe(0);
    const second = await cli([...record('CHG-2'), '--verbose'], { env, cwd: other });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^recorded #2 /);
    const said = (r: { stderr: string }) =>
      /^rollwright: ledger store: (.*) \(the default store of the repository/m.exec(r.stderr)?.[1];
    expect(said(second)).toBe(said(first));
    expect(said(first)).toMatch(new RegExp(`^${home}/rollwright/`));
    // A ledger kept inside the linked worktree: the exclude file is the repository's, shared by both.
    const inside = await cli([...record('CHG-1'), '--store', 'audit/ledger.db'], { env, cwd: other });
    expect(inside.code, inside.stderr).toBe(0);
    expect(inside.stderr).toContain(
      `added it to ${join(f.dir, '.git', 'info', 'exclude')} so that git never commits it`,
    );
    expect(
      execFileSync('git', ['-C', other, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' }),
    ).toBe('');
  });

  it('--store inside the work tree: added to .git/info/exclude with a message, unless git already ignores it', async () => {
    const env = ledgerEnv({ XDG_STATE_HOME: state() });
    const f = repo();
    const r = await cli([...record('CHG-1'), '--store', '.rollwright/ledger.db'], { env, cwd: f.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `rollwright: the ledger .rollwright/ledger.db is inside the work tree of ${f.dir}: added it to ${join(f.dir, '.git', 'info', 'exclude')} so that git never commits it\n`,
    );
    expect(f.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    f.git('add', '-A');
    expect(f.git('diff', '--cached', '--name-only')).toBe('');
    const quiet = await cli([...record('CHG-2'), '--store', '.rollwright/ledger.db'], { env, cwd: f.dir });
    expect(quiet.stderr).toBe('');
    // Ignored by the repository's own .gitignore: nothing to add, nothing said.
    const g = repo();
    g.commit('ignore', { '.gitignore': 'audit/\n' });
    const ignored = await cli([...record('CHG-1'), '--store', 'audit/ledger.db'], { env, cwd: g.dir });
    expect(ignored.stderr).toBe('');
    expect(readFileSync(join(g.dir, '.git', 'info', 'exclude'), 'utf8')).not.toContain('audit');
    // Already committed: said, with how to untrack it.
    const h = repo();
    const inRepo = join(h.dir, 'ledger.db');
    await cli([...record('CHG-1'), '--store', inRepo], { env, cwd: tmpdir() });
    h.git('add', '-f', 'ledger.db');
    h.git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'oops');
    const tracked = await cli([...record('CHG-2'), '--store', inRepo], { env, cwd: tmpdir() });
    expect(tracked.stderr).toContain(`rollwright: the ledger ledger.db is committed in the repository at ${h.dir}`);
    expect(tracked.stderr).toContain('git rm --cached ledger.db');
  });

  it('ROLLWRIGHT_STORE and ledger.store in .rollwright.yaml name a shared store; --store > ROLLWRIGHT_STORE > config > default', async () => {
    const kind = stores.kinds.includes('postgres') ? 'postgres' : 'sqlite';
    const shared = await stores.fresh(kind);
    const home = state();
    const f = repo('git@github.com:acme/shared.git');
    f.commit('config', { '.rollwright.yaml': 'ledger:\n  store: ${TEAM_LEDGER}\n' });
    const env = ledgerEnv({ XDG_STATE_HOME: home, TEAM_LEDGER: storeFlag(shared) });
    const viaConfig = await cli([...record('CHG-1'), '--verbose'], { env, cwd: f.dir });
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(viaConfig.stderr).toMatch(/\(ledger\.store in \.rollwright\.yaml\)\n$/);
    expect(existsSync(join(home, 'rollwright'))).toBe(false);
    const envStore = join(stores.dir(), `env-${Date.now()}.db`);
    const flagStore = join(stores.dir(), `flag-${Date.now()}.db`);
    const cases: Array<[Record<string, string>, string[], RegExp]> = [
      [{}, [], /\(ledger\.store in \.rollwright\.yaml\)/],
      [{ ROLLWRIGHT_STORE: `sqlite:${envStore}` }, [], /env-\d+\.db \(ROLLWRIGHT_STORE\)/],
      [{ ROLLWRIGHT_STORE: `sqlite:${envStore}` }, ['--store', flagStore], /flag-\d+\.db \(--store\)/],
    ];
    for (const [extra, flags, origin] of cases) {
      const r = await cli(['ledger', 'verify', '--verbose', ...flags], { env: { ...env, ...extra }, cwd: f.dir });
      expect(r.stderr).toMatch(origin);
    }
    // The variable unset: an error naming it, not a silent fallback to the default.
    const unset = await cli(record('CHG-2'), { env: ledgerEnv({ XDG_STATE_HOME: home }), cwd: f.dir });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toBe(
      `rollwright: ${join(f.dir, '.rollwright.yaml')}: ledger.store: the variable TEAM_LEDGER is not set\n`,
    );
    // A password in the file is refused, and not repeated.
    f.write({ '.rollwright.yaml': 'ledger:\n  store: postgres://rw:hunter2@db.internal/ledger\n' });
    const pw = await cli(record('CHG-2'), { env, cwd: f.dir });
    expect(pw.code).toBe(2);
    expect(pw.stderr).toMatch(
      /\.rollwright\.yaml: ledger\.store: a password here would be committed with the repository: .*PGPASSWORD/,
    );
    expect(pw.stderr).not.toContain('hunter2');
    // A relative sqlite path in the config is the repository's.
    f.write({ '.rollwright.yaml': 'ledger:\n  store: sqlite:var/ledger.db\n' });
    const rel = await cli([...record('CHG-2'), '--verbose'], { env, cwd: join(f.dir) });
    expect(rel.code, rel.stderr).toBe(0);
    expect(existsSync(join(f.dir, 'var', 'ledger.db'))).toBe(true);
  });
});
