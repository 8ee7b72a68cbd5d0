import { describe, expect, it } from 'vitest';
import { driverOverrides, gitEnv, safeArgs, SAFE_CONFIG } from './safety.js';

describe('git safety', () => {
  it('overrides every driver the configuration names, whatever its case, once', () => {
    const listing = [
      'core.bare',
      'filter.LFS.smudge',
      'filter.LFS.clean',
      'diff.sops.textconv',
      'merge.ours.driver',
      'merge.a.b.driver',
      'protocol.ext.allow',
      'remote.origin.url',
      '',
    ].join('\0');
    expect(driverOverrides(listing)).toEqual([
      ...['clean=', 'smudge=', 'process=', 'required=false'].flatMap((v) => ['-c', `filter.LFS.${v}`]),
      ...['command=', 'textconv=', 'cachetextconv=false'].flatMap((v) => ['-c', `diff.sops.${v}`]),
      '-c',
      'merge.ours.driver=exit 1',
      '-c',
      'merge.a.b.driver=exit 1',
      '-c',
      'protocol.ext.allow=never',
    ]);
  });

  it('refuses a driver name git cannot take on its command line', () => {
    expect(() => driverOverrides('filter.a=b.smudge\0')).toThrow(/cannot override/);
  });

  it('starts every command with no pager and the fixed overrides', () => {
    const args = safeArgs(['-c', 'x.y=z']);
    expect(args[0]).toBe('--no-pager');
    expect(args).toContain('core.fsmonitor=false');
    expect(args).toContain('core.hooksPath=/dev/null');
    expect(args.slice(-2)).toEqual(['-c', 'x.y=z']);
    expect(SAFE_CONFIG.length * 2 + 1).toBe(args.length - 2);
  });

  it('builds an environment without inherited GIT_* variables but the identity and the global config file', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        GIT_DIR: '/x',
        GIT_WORK_TREE: '/',
        GIT_CONFIG_PARAMETERS: "'core.fsmonitor=x'",
        GIT_AUTHOR_NAME: 'A',
        GIT_CONFIG_GLOBAL: '/dev/null',
        HOME: '/home/x',
      });
      const env = gitEnv();
      expect(env.GIT_DIR).toBeUndefined();
      expect(env.GIT_WORK_TREE).toBeUndefined();
      expect(env.GIT_CONFIG_PARAMETERS).toBeUndefined();
      expect(env.GIT_AUTHOR_NAME).toBe('A');
      expect(env.GIT_CONFIG_GLOBAL).toBe('/dev/null');
      expect(env.HOME).toBe('/home/x');
      expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', GIT_NO_REPLACE_OBJECTS: '1', GIT_ALLOW_PROTOCOL: '' });
    } finally {
      process.env = saved;
    }
  });
});
