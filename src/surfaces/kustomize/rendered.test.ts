/**
 * What the rendered view reports as the change's own: manifests moved unchanged behind a new
 * kustomization are the objects that were already deployed. Rendering is the real `kubectl kustomize`.
 */
import { describe, expect, it } from 'vitest';
import { assessChangeSet } from '../../testing/engine.js';
import { ConfigSchema } from '../../core/config-schema.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { kubernetes } from '../kubernetes/index.js';
import { kustomize } from './index.js';

const deploy = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: ${name}, image: "${image}"}]}
`;

async function tagFindings(before: Record<string, string>, after: Record<string, string>) {
  const changes = changeSetOf(before, after);
  const a = await assessChangeSet(changes, memoryRepo(before, after), ConfigSchema.parse({}), {
    surfaces: [kubernetes, kustomize],
  });
  return a.findings
    .filter((f) => f.rule === 'kubernetes/mutable-image-tag')
    .map((f) => `${f.file} ${f.object} ${f.messageId}`);
}

describe('kustomize rendered objects moved from plain manifests', () => {
  it('manifests moved unchanged behind a new kustomization: their tags are not the change’s', async () => {
    const found = await tagFindings(
      { 'shop/components/carts.yaml': deploy('carts', 'weaveworksdemos/carts:0.4.8') },
      {
        'shop/base/carts.yaml': deploy('carts', 'weaveworksdemos/carts:0.4.8'),
        'shop/kustomization.yaml': 'resources:\n  - base/carts.yaml\n',
      },
    );
    expect(found).toEqual([]);
  });

  it('a tag the move changes is reported, from the rendered view', async () => {
    const found = await tagFindings(
      { 'shop/components/carts.yaml': deploy('carts', 'weaveworksdemos/carts:0.4.8') },
      {
        'shop/base/carts.yaml': deploy('carts', 'weaveworksdemos/carts:0.4.9'),
        'shop/kustomization.yaml': 'resources:\n  - base/carts.yaml\n',
      },
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.endsWith('apps/Deployment/default/carts tag'))).toBe(true);
  });
});

describe('a raw resource file of a rendered overlay', () => {
  it('is reported once, from the render with its transformations (not also from the raw file)', async () => {
    const found = await tagFindings(
      { 'README.md': 'apps\n' },
      {
        'guestbook/deployment.yaml': deploy('guestbook-ui', 'example/guestbook:0.2'),
        'guestbook/kustomization.yaml': 'namePrefix: kustomize-\nresources:\n  - deployment.yaml\n',
      },
    );
    expect(found).toEqual([
      'guestbook/kustomization.yaml (rendered) apps/Deployment/default/kustomize-guestbook-ui tag',
    ]);
  });

  it('a manifest no kustomization reads is still reported from its file', async () => {
    const found = await tagFindings(
      { 'README.md': 'apps\n' },
      {
        'guestbook/deployment.yaml': deploy('guestbook-ui', 'example/guestbook:0.2'),
        'guestbook/kustomization.yaml': 'namePrefix: kustomize-\nresources:\n  - deployment.yaml\n',
        'plain/worker.yaml': deploy('worker', 'example/worker:1.0'),
      },
    );
    expect(found).toContain('plain/worker.yaml apps/Deployment/default/worker tag');
    expect(found.filter((f) => f.startsWith('guestbook/deployment.yaml'))).toEqual([]);
  });

  it('a file of a base the overlay includes stays (the base may be deployed on its own)', async () => {
    const found = await tagFindings(
      { 'README.md': 'apps\n' },
      {
        'guestbook/deployment.yaml': deploy('guestbook-ui', 'example/guestbook:0.2'),
        'guestbook/kustomization.yaml': 'namePrefix: kustomize-\nresources:\n  - deployment.yaml\n',
        'hooks/kustomization.yaml': 'namePrefix: hooks-\nresources:\n  - ../guestbook\n',
      },
    );
    expect(found).toContain('guestbook/deployment.yaml apps/Deployment/default/guestbook-ui tag');
  });
});
