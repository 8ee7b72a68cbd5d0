import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript
import { generate, serialise } from '../../scripts/kube-field-types.mjs';
import { fieldPath, typeCheckerFor } from './field-types.js';
import type { JsonObject } from './model.js';

const deployment = (spec: JsonObject) => ({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec },
});

describe('field types of built-in kinds', () => {
  it('the table is what the installed kubernetes-models declares (node scripts/kube-field-types.mjs)', () => {
    const committed = readFileSync(new URL('./data/field-types.json', import.meta.url), 'utf8');
    expect(serialise(generate())).toBe(committed);
  });

  it('accepts a well-typed object, nulls, int-or-string and quantities, and ignores what it does not know', async () => {
    const check = await typeCheckerFor();
    expect(
      check(
        deployment({
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
          template: {
            metadata: { creationTimestamp: null, labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'web', image: 'x', resources: { limits: { cpu: 1, memory: '1Gi' } }, unknownField: 3 },
              ],
            },
          },
        }),
      ),
    ).toEqual([]);
    expect(check({ group: 'example.com', version: 'v1', kind: 'Widget', body: {} })).toBeUndefined();
  });

  it('names each field whose value has the wrong type, with its path', async () => {
    const check = await typeCheckerFor();
    const problems = check(
      deployment({
        replicas: '2',
        paused: 'yes',
        template: { metadata: { labels: { version: 1.0 } }, spec: { containers: 'web' } },
      }),
    )!;
    expect(problems.map((p) => `${fieldPath(p.path)}: ${p.found} / ${p.expected}`)).toEqual([
      'spec.replicas: a string / a number',
      'spec.paused: a string / a boolean (true or false)',
      'spec.template.metadata.labels.version: a number / a string',
      'spec.template.spec.containers: a string / a list',
    ]);
    // A CRD's schema holds free JSON (properties of any shape): only the typed parts are checked.
    const crd = check({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      body: {
        spec: {
          group: 'example.com',
          versions: [
            {
              name: 'v1',
              served: 'yes',
              schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
            },
          ],
        },
      },
    })!;
    expect(crd.map((p) => fieldPath(p.path))).toEqual(['spec.versions[0].served']);
    const cm = check({ group: '', version: 'v1', kind: 'ConfigMap', body: { data: { port: 8080, list: [1] } } })!;
    expect(cm.map((p) => fieldPath(p.path))).toEqual(['data.port', 'data.list']);
  });
});
