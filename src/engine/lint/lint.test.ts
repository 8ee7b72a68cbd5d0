import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../registry.js';
import { renderLintJson, renderLintMarkdown, renderLintText, renderSmellTable } from '../../reporters/lint.js';
import { expectGeneratedSection } from '../../testing/generated-section.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { LINT_SCHEMA, lintTree } from './index.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const deployment = (image: string, ns = 'shop') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}
`;
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;
const declaration = (id: string) =>
  `id: ${id}\nenvironment: prod\nrollbackClass: fully-reversible\nrollbackMethod: git revert\n`;

let repo: GitFixture;
let first: string;
beforeAll(async () => {
  repo = await GitFixture.create();
  first = repo.commit('first', {
    'clusters/prod/web.yaml': deployment('registry.example.com/web:1.2'),
    'clusters/staging/web.yaml': deployment('registry.example.com/web:latest', 'shop-staging'),
    'clusters/prod/digest.yaml': deployment(`registry.example.com/web:1.2@${DIGEST}`, 'other'),
    'crds/widgets.yaml': crd,
    'infra/main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
    'db/migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n',
    // Two change declarations: a tree holds many; lint reads none of them.
    '.rollwright/changes/CHG-1.yaml': declaration('CHG-1'),
    '.rollwright/changes/CHG-2.yaml': declaration('CHG-2'),
  });
  repo.commit('second', {
    '.rollwright.yaml':
      'rules:\n  terraform/module-source-unpinned: off\nenvironments:\n  prod: {paths: ["clusters/prod/**"], requireDeclaration: true}\n  staging: {paths: ["clusters/staging/**"]}\n',
  });
});
afterAll(() => repo.cleanup());

describe('lintTree', () => {
  it('reads every file of the tree as added and reports the smells, with fixes, never the change-only findings', async () => {
    const r = await lintTree({ repo: repo.dir, rev: first });
    expect(r.schema).toBe(LINT_SCHEMA);
    expect(r.commit).toBe(first);
    const at = r.findings.map((f) => `${f.rule} ${f.file}:${f.line}`);
    expect(at).toEqual(
      [
        'kubernetes/mutable-image-tag clusters/prod/web.yaml:11',
        'kubernetes/mutable-image-tag clusters/staging/web.yaml:11',
        'database/down-migration db/migrations/000001_init.up.sql:1',
        'terraform/module-source-unpinned infra/main.tf:2',
      ].sort((a, b) => (a.split(' ')[1]! < b.split(' ')[1]! ? -1 : 1)),
    );
    for (const f of r.findings) expect(f.fix, f.rule).toMatch(/\w/);
    // A CRD in the tree is not a "CRD added"; a declaration file is not this tree's declaration.
    expect(r.findings.some((f) => f.surface === 'crd')).toBe(false);
    expect(r.summary).toMatchObject({ files: 8, error: 0, warning: 4, info: 0, class: 'forward-only' });
    expect(r.summary.rules[0]).toEqual({
      rule: 'kubernetes/mutable-image-tag',
      count: 2,
      severity: 'warning',
      class: 'fully-reversible',
    });
  });

  it('applies the configuration at the revision (a rule turned off), and --env keeps that environment and shared files', async () => {
    const all = await lintTree({ repo: repo.dir });
    expect(all.findings.map((f) => f.rule)).not.toContain('terraform/module-source-unpinned');
    const prod = await lintTree({ repo: repo.dir, env: 'prod' });
    expect(prod.environment).toBe('prod');
    expect(prod.findings.map((f) => f.file)).toEqual(['clusters/prod/web.yaml', 'db/migrations/000001_init.up.sql']);
    await expect(lintTree({ repo: repo.dir, env: 'qa' })).rejects.toThrow(/--env: no environment "qa"/);
  });

  it('names an unknown revision as an error, never a crash', async () => {
    await expect(lintTree({ repo: repo.dir, rev: 'no-such-branch' })).rejects.toThrow(
      /--rev: unknown revision "no-such-branch"/,
    );
    await expect(lintTree({ repo: repo.dir, rev: '--output=x' })).rejects.toThrow(/--rev/);
  });

  it('renders text, markdown and JSON from the same result', async () => {
    const r = await lintTree({ repo: repo.dir, rev: first });
    const json = JSON.parse(renderLintJson(r)) as { schema: string; findings: Array<{ fix: string }> };
    expect(json.schema).toBe('rollwright.lint/v1');
    expect(json.findings).toHaveLength(4);
    // An ignored smell is still reported in JSON, with what owns it (the same field as assess's).
    const suppression = { kind: 'ignored', reason: 'vendored', source: '.rollwright.yaml:2', inSource: false } as const;
    const owned = { ...r, findings: r.findings.map((f, i) => (i === 0 ? { ...f, suppression } : f)) };
    const ownedJson = JSON.parse(renderLintJson(owned)) as { findings: Array<Record<string, unknown>> };
    expect(ownedJson.findings[0]!.suppression).toEqual(suppression);
    expect(Object.keys(ownedJson.findings[0]!).indexOf('fix')).toBe(
      Object.keys(ownedJson.findings[0]!).indexOf('messageId') + 1,
    );
    const text = renderLintText(r, { color: false });
    expect(text).toContain('clusters/prod/web.yaml');
    expect(text).toMatch(/^ +2 +kubernetes\/mutable-image-tag +fully-reversible$/m);
    expect(text.trimEnd().split('\n').pop()).toBe('4 findings: 0 error, 4 warning, 0 info');
    const md = renderLintMarkdown(r, {});
    expect(md).toContain('### rollwright lint: 0 error, 4 warning, 0 info');
    expect(md).toContain('`clusters/staging/web.yaml:11`');
  });
});

describe('docs/lint.md', () => {
  it('lists every smell rule with its class and fix, as the rules declare them', async () => {
    await expectGeneratedSection(
      fileURLToPath(new URL('../../../docs/lint.md', import.meta.url)),
      '<!-- BEGIN GENERATED: renderSmellTable() -->',
      '<!-- END GENERATED -->',
      renderSmellTable(allRules()),
      process.env.UPDATE_LINT_DOC === '1',
    );
  });
});
