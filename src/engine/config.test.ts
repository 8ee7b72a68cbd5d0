import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config-schema.js';
import { defaultConfig, kubeMinor, requiresDeclaration, ruleSettings } from './config.js';

describe('config', () => {
  it('defaultConfig (no zod at start-up) equals the schema defaults', () => {
    expect(defaultConfig()).toEqual(ConfigSchema.parse({}));
  });
  it('prod and production require declarations by default', () => {
    const c = defaultConfig();
    expect(requiresDeclaration(c, 'prod')).toBe(true);
    expect(requiresDeclaration(c, 'production')).toBe(true);
    expect(requiresDeclaration(c, 'staging')).toBe(false);
  });
  it('reads rule settings', () => {
    const c = ConfigSchema.parse({
      rules: { 'a/b': 'off', 'a/c': 'error', 'a/d': { severity: 'info', options: { x: 1 } } },
    });
    expect(ruleSettings(c, 'a/b')).toEqual({ off: true, options: {} });
    expect(ruleSettings(c, 'a/c')).toEqual({ off: false, severity: 'error', options: {} });
    expect(ruleSettings(c, 'a/d')).toEqual({ off: false, severity: 'info', options: { x: 1 } });
    expect(ruleSettings(c, 'a/e')).toEqual({ off: false, options: {} });
  });
  it('parses the Kubernetes version', () => {
    expect(kubeMinor(ConfigSchema.parse({ kubernetes: { version: '1.25' } }))).toBe(25);
    const unquoted = ConfigSchema.safeParse({ kubernetes: { version: 1.3 } });
    expect(unquoted.success).toBe(false);
    expect(unquoted.error?.issues[0]?.message).toMatch(/quoted string/);
    expect(kubeMinor(ConfigSchema.parse({ kubernetes: { version: 'v1.30.2' } }))).toBe(30);
    expect(ConfigSchema.safeParse({ kubernetes: { version: 'latest' } }).success).toBe(false);
  });
  it('rejects unknown keys (typos are errors, not silent defaults)', () => {
    expect(ConfigSchema.safeParse({ environment: {} }).success).toBe(false);
    expect(ConfigSchema.safeParse({ environments: { prod: { path: ['x'] } } }).success).toBe(false);
  });
});
