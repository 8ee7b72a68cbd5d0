import { describe, expect, it } from 'vitest';
import { isValidName, nameProblem, runbookName, runbookRef, UnsafeNameError } from './names.js';

describe('Kubernetes names', () => {
  it.each([
    ['web', 'dns1123-subdomain', true],
    ['web-1.prod.example', 'dns1123-subdomain', true],
    ['0web', 'dns1123-subdomain', true],
    ['a'.repeat(253), 'dns1123-subdomain', true],
    ['a'.repeat(254), 'dns1123-subdomain', false],
    ['Web', 'dns1123-subdomain', false],
    ['web-', 'dns1123-subdomain', false],
    ['web..prod', 'dns1123-subdomain', false],
    ['.web', 'dns1123-subdomain', false],
    ['--all', 'dns1123-subdomain', false],
    ['--server=evil.example.com', 'dns1123-subdomain', false],
    ['-n', 'dns1123-label', false],
    ['web;rm -rf /', 'dns1123-subdomain', false],
    ['we b', 'dns1123-subdomain', false],
    ['web\n', 'dns1123-subdomain', false],
    ['$(id)', 'dns1123-subdomain', false],
    ['flux-system', 'dns1123-label', true],
    ['a'.repeat(63), 'dns1123-label', true],
    ['a'.repeat(64), 'dns1123-label', false],
    ['prod.eu', 'dns1123-label', false],
    ['1svc', 'dns1035-label', false],
    ['svc1', 'dns1035-label', true],
    ['', 'dns1123-subdomain', false],
  ] as const)('%j as %s: %s', (value, rule, ok) => {
    expect(isValidName(value, rule)).toBe(ok);
  });

  it('says why, and calls a leading dash an option', () => {
    expect(nameProblem('--all')).toMatch(/starts with '-'.*option/);
    expect(nameProblem('Web')).toMatch(/DNS-1123 subdomain/);
    expect(nameProblem('a'.repeat(64), 'dns1123-label')).toMatch(/64 characters long, over the 63/);
  });

  it('runbookName returns a valid name and throws on anything else', () => {
    expect(runbookName('web', 'Kustomization name')).toBe('web');
    expect(() => runbookName('--all', 'Kustomization name')).toThrow(UnsafeNameError);
    expect(() => runbookName('--all', 'Kustomization name')).toThrow(
      /Kustomization name "--all" is not a valid Kubernetes name .*no command is printed with it/,
    );
    expect(runbookRef('argocd', 'web', 'Application')).toBe('argocd/web');
    expect(runbookRef(undefined, 'web', 'Application')).toBe('web');
    expect(() => runbookRef('--server=evil.example.com', 'web', 'Application')).toThrow(/Application namespace/);
  });
});
