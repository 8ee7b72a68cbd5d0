import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config-schema.js';
import { allRules } from '../registry.js';
import { loadConfig } from '../engine/assess.js';
import { defaultConfig, kubeMinor, requiresDeclaration, ruleSettings } from './config.js';
import { memoryRepo } from '../testing/rule-tester.js';

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

describe('loadConfig (rule options)', () => {
  const load = (text: string) => loadConfig(memoryRepo({}, { '.rollwright.yaml': text }), undefined, allRules());

  it('accepts options a rule declares', async () => {
    const c = await load('rules:\n  kubernetes/mutable-image-tag:\n    options:\n      allow: ["localhost:5000/**"]\n');
    expect(c.rules['kubernetes/mutable-image-tag']).toEqual({ options: { allow: ['localhost:5000/**'] } });
  });
  it('rejects options of the wrong shape, naming the path', async () => {
    await expect(load('rules:\n  kubernetes/mutable-image-tag:\n    options:\n      allow: "x"\n')).rejects.toThrow(
      /\.rollwright\.yaml:4: rules\.kubernetes\/mutable-image-tag\.options\.allow: expected a list, got "x"/,
    );
  });
  it('rejects options for a rule that takes none', async () => {
    await expect(load('rules:\n  kubernetes/image-changed:\n    options: {a: 1}\n')).rejects.toThrow(
      /takes no options/,
    );
  });
  it('rejects an unknown rule', async () => {
    await expect(load('rules:\n  kubernetes/nope: off\n')).rejects.toThrow(/no such rule/);
  });
  it('names the file and line of a YAML error', async () => {
    await expect(load('rules:\n  - [\n')).rejects.toThrow(/\.rollwright\.yaml:\d+/);
  });
});

describe('loadConfig: errors that say what to fix', () => {
  const load = (text: string) => loadConfig(memoryRepo({}, { '.rollwright.yaml': text }), undefined, allRules());
  const message = (text: string) =>
    load(text).then(
      () => 'no error',
      (e: Error) => e.message,
    );

  it.each([
    [
      'a mistyped top-level key',
      'kubernetes:\n  version: "1.30"\nenviroments:\n  prod: {paths: [x/**]}\n',
      '.rollwright.yaml:3: enviroments: unknown key "enviroments": did you mean "environments"? (allowed: kubernetes, environments, declarations, limits, database, ignore, ledger, rules, rollbackSLO, serve)',
    ],
    [
      'a mistyped nested key',
      'environments:\n  prod:\n    path: [x/**]\n',
      '.rollwright.yaml:3: environments.prod.path: unknown key "path": did you mean "paths"? (allowed: paths, requireDeclaration, evidence)',
    ],
    [
      'an enum value, with the allowed values',
      'database:\n  dialect: postgress\n',
      '.rollwright.yaml:2: database.dialect: "postgress" is not one of postgres, mysql: did you mean "postgres"?',
    ],
    [
      'a union (severity or mapping) judged as the shape written, one reason only',
      'rules:\n  kubernetes/image-changed: warn\n',
      '.rollwright.yaml:2: rules.kubernetes/image-changed: "warn" is not one of off, info, warning, error: did you mean "warning"?',
    ],
    [
      'the mapping form of the same union',
      'rules:\n  kubernetes/image-changed:\n    severty: error\n',
      '.rollwright.yaml:3: rules.kubernetes/image-changed.severty: unknown key "severty": did you mean "severity"? (allowed: severity, options)',
    ],
    [
      'a union given neither shape',
      'rules:\n  kubernetes/image-changed: 3\n',
      '.rollwright.yaml:2: rules.kubernetes/image-changed: expected one of off, info, warning, error or a mapping, got number 3',
    ],
    [
      'an ignore entry without a reason',
      'ignore:\n  - paths: [vendor/**]\n',
      '.rollwright.yaml:2: ignore[0].reason: say why these files are safe to leave unread',
    ],
    [
      'every problem, each with its line',
      'limits:\n  maxFileBytes: -1\nenviroments: {}\n',
      '.rollwright.yaml:2: limits.maxFileBytes: must be greater than 0, got number -1\n.rollwright.yaml:3: enviroments: unknown key "enviroments": did you mean "environments"? (allowed: kubernetes, environments, declarations, limits, database, ignore, ledger, rules, rollbackSLO, serve)',
    ],
    [
      'a glob picomatch would misread',
      'environments:\n  prod:\n    paths: ["clusters/prod/**", "clusters/[prod/**"]\n',
      '.rollwright.yaml:3: environments.prod.paths[1]: glob "clusters/[prod/**": [ is never closed: close it or escape it as \\[',
    ],
    [
      'a mistyped rule key',
      'rules:\n  kubernetes/image-change: off\n',
      '.rollwright.yaml:2: rules.kubernetes/image-change: no such rule: did you mean kubernetes/image-changed? (see `rollwright rules`)',
    ],
  ])('%s', async (_, text, want) => {
    expect(await message(text)).toBe(want);
  });
});
