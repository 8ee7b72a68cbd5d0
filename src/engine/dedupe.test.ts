import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { dedupeFacts, sourceOf } from './dedupe.js';

const finding = (rule: string, file: string, line: number, object?: string): Finding => ({
  rule,
  surface: rule.split('/')[0]!,
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  message: `${rule} says so`,
  messageId: 'changed',
  file,
  line,
  ...(object ? { object } : {}),
});

describe('dedupeFacts: the same fact from several views, reported once', () => {
  const raw = finding('kustomize/selector-labels-changed', 'deploy/prod/kustomization.yaml', 4);
  const web = finding(
    'kubernetes/immutable-field-changed',
    'deploy/prod/kustomization.yaml (rendered)',
    11,
    'apps/Deployment/prod/web',
  );
  const api = finding(
    'kubernetes/immutable-field-changed',
    'deploy/prod/kustomization.yaml (rendered)',
    40,
    'apps/Deployment/prod/api',
  );
  const other = finding(
    'kubernetes/immutable-field-changed',
    'deploy/staging/kustomization.yaml (rendered)',
    11,
    'apps/Deployment/staging/web',
  );

  it('keeps the most precise view (lowest rank, a file over a rendered copy) and names the others', () => {
    const facts = new Map([
      [raw, { id: 'immutable:spec.selector', rank: 0 }],
      [web, { id: 'immutable:spec.selector', rank: 1 }],
      [api, { id: 'immutable:spec.selector', rank: 1 }],
      [other, { id: 'immutable:spec.selector', rank: 1 }],
    ]);
    const out = dedupeFacts([web, raw, api, other], facts);
    expect(out.map((f) => `${f.rule} ${f.file}`)).toEqual([
      'kustomize/selector-labels-changed deploy/prod/kustomization.yaml',
      // Another overlay is another source: its own finding stays.
      'kubernetes/immutable-field-changed deploy/staging/kustomization.yaml (rendered)',
    ]);
    expect(out[0]!.message).toContain(
      'also seen as: kubernetes/immutable-field-changed at deploy/prod/kustomization.yaml (rendered):11 (apps/Deployment/prod/web); kubernetes/immutable-field-changed at deploy/prod/kustomization.yaml (rendered):40',
    );
    expect(out[0]!.data?.otherViews).toMatch(/prod\/api/);
  });

  it('two findings of one rule are two objects, never merged; findings without a fact are untouched', () => {
    const a = finding('kubernetes/plaintext-secret', 'secrets.yaml', 3, '/Secret/x/a');
    const b = finding('kubernetes/plaintext-secret', 'secrets.yaml', 9, '/Secret/x/b');
    const c = finding('kubernetes/unknown-kind', 'secrets.yaml', 12);
    const facts = new Map([
      [a, { id: 'plaintext-secret', rank: 1 }],
      [b, { id: 'plaintext-secret', rank: 1 }],
    ]);
    expect(dedupeFacts([a, b, c], facts)).toEqual([a, b, c]);
  });

  it('different facts or different sources do not merge', () => {
    const x = finding('kustomize/image-digest-changed', 'k/kustomization.yaml', 5);
    const y = finding('kubernetes/image-changed', 'k/kustomization.yaml (rendered)', 17);
    const facts = new Map([
      [x, { id: 'image-to-tag:registry.example.com/web', rank: 0 }],
      [y, { id: 'image-to-tag:registry.example.com/api', rank: 1 }],
    ]);
    expect(dedupeFacts([x, y], facts)).toHaveLength(2);
  });

  it('a rendered copy stands for its kustomization', () => {
    expect(sourceOf('a/kustomization.yaml (rendered)')).toBe('a/kustomization.yaml');
    expect(sourceOf('a/deploy.yaml')).toBe('a/deploy.yaml');
  });
});
