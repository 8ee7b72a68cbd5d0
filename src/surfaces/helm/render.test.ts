/**
 * The rendered-diff path of the Helm surface with the real `helm template`. helm is not installed on
 * every machine (it is not on the one this was written on): the rendering tests run only where
 * `helm version` works and are skipped, with a warning, elsewhere; the no-helm path is tested where helm
 * is absent. Nothing here fakes helm.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assessChangeSet } from '../../testing/engine.js';
import { ConfigSchema } from '../../core/config-schema.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { helm } from './index.js';
import { chart } from './testing/fixtures.js';
import { variantsOf } from './render.js';

const HELM =
  spawnSync(process.env.ROLLWRIGHT_HELM || 'helm', ['version', '--short'], { encoding: 'utf8' }).status === 0;
if (!HELM) console.warn('helm is not installed: the `helm template` rendering tests are skipped');

async function run(
  before: Record<string, string>,
  after: Record<string, string>,
  unchanged: Record<string, string> = {},
) {
  const changes = changeSetOf(before, after);
  const a = await assessChangeSet(
    { ...changes, files: changes.files.filter((f) => helm.claims(f.path)) },
    memoryRepo({ ...unchanged, ...before }, { ...unchanged, ...after }),
    ConfigSchema.parse({}),
    { surfaces: [helm] },
  );
  return a.findings.map((f) => `${f.rule} ${f.messageId} ${f.class} ${f.file}`);
}

const pvcTemplate =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Values.claim }}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n';
const deployTemplate =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: {{ .Values.app }}}}\n  template:\n    metadata: {labels: {app: {{ .Values.app }}}}\n    spec: {containers: [{name: web, image: "nginx@sha256:{{ .Values.digest }}"}]}\n';
const shop = (values: string) => ({
  'charts/shop/Chart.yaml': chart('1.0.0'),
  'charts/shop/values.yaml': values,
  'charts/shop/templates/pvc.yaml': pvcTemplate,
  'charts/shop/templates/deploy.yaml': deployTemplate,
});
const A = 'a'.repeat(64);

describe('variantsOf', () => {
  it('renders the default values once per chart, and each changed extra values file on its own', () => {
    expect(
      variantsOf([
        { chart: 'c/a', path: 'c/a/templates/x.yaml', kind: 'template' },
        { chart: 'c/a', path: 'c/a/values.yaml', kind: 'values' },
        { chart: 'c/a', path: 'c/a/values-prod.yaml', kind: 'values' },
        { chart: 'c/b', path: 'c/b/values.staging.yaml', kind: 'values' },
      ]),
    ).toEqual([
      { chart: 'c/a' },
      { chart: 'c/a', values: 'values-prod.yaml' },
      { chart: 'c/b', values: 'values.staging.yaml' },
    ]);
  });
});

describe.skipIf(HELM)('helm charts without helm', () => {
  it('one info finding and the static rules; nothing rendered', async () => {
    const f = await run(shop(`claim: data\napp: web\ndigest: ${A}\n`), shop(`claim: data2\napp: web\ndigest: ${A}\n`));
    expect(f).toEqual(['helm/not-rendered notRendered fully-reversible charts/shop/Chart.yaml']);
  });

  const literalClaim = pvcTemplate.replace('{{ .Values.claim }}', 'shop-data').replace('1Gi', '{{ .Values.size }}');
  const withClaim = {
    ...shop(`claim: data\napp: web\ndigest: ${A}\n`),
    'charts/shop/templates/data.yaml': literalClaim,
  };

  it('a deleted template is read statically: its claim with a literal name leaves the release and is deleted', async () => {
    const after: Record<string, string> = { ...withClaim };
    delete after['charts/shop/templates/data.yaml'];
    const f = await run(withClaim, after);
    expect(f).toEqual([
      'helm/not-rendered notRendered fully-reversible charts/shop/Chart.yaml',
      'kubernetes/stateful-object-deleted pvc non-recoverable-without-restore charts/shop/templates/data.yaml (template, not rendered)',
    ]);
  });

  it('a deleted template whose claim moves to an added template, or whose claim name is templated, deletes nothing known', async () => {
    const moved: Record<string, string> = { ...withClaim, 'charts/shop/templates/claims.yaml': literalClaim };
    delete moved['charts/shop/templates/data.yaml'];
    expect(await run(withClaim, moved)).toEqual([
      'helm/not-rendered notRendered fully-reversible charts/shop/Chart.yaml',
    ]);
    const named: Record<string, string> = { ...shop(`claim: data\napp: web\ndigest: ${A}\n`) };
    delete named['charts/shop/templates/pvc.yaml'];
    expect(await run(shop(`claim: data\napp: web\ndigest: ${A}\n`), named)).toEqual([
      'helm/not-rendered notRendered fully-reversible charts/shop/Chart.yaml',
    ]);
  });

  it('a chart deleted whole is not read as its templates deleted', async () => {
    expect(await run(withClaim, {})).toEqual(['helm/not-rendered notRendered fully-reversible charts/shop/Chart.yaml']);
  });
});

describe.runIf(HELM)('helm charts rendered with the real helm template', () => {
  it('a values change that renames a claim: the old claim is deleted with its volume', async () => {
    const f = await run(shop(`claim: data\napp: web\ndigest: ${A}\n`), shop(`claim: data2\napp: web\ndigest: ${A}\n`));
    expect(f.filter((x) => x.startsWith('kubernetes/stateful-object-deleted '))).toEqual([
      expect.stringMatching(/ non-recoverable-without-restore charts\/shop\/Chart\.yaml \(rendered\)$/),
    ]);
    expect(f.some((x) => x.startsWith('helm/not-rendered'))).toBe(false);
  });

  it('a selector change in rendered objects is an immutable-field change', async () => {
    const f = await run(shop(`claim: data\napp: web\ndigest: ${A}\n`), shop(`claim: data\napp: shop\ndigest: ${A}\n`));
    expect(f.some((x) => x.startsWith('kubernetes/immutable-field-changed ') && x.endsWith('(rendered)'))).toBe(true);
  });

  it('a template that does not render at head is an error naming the chart', async () => {
    const after = {
      ...shop(`claim: data\napp: web\ndigest: ${A}\n`),
      'charts/shop/templates/bad.yaml': '{{ .Values.x | nope }}\n',
    };
    const f = await run(shop(`claim: data\napp: web\ndigest: ${A}\n`), after);
    expect(f).toContain('helm/not-rendered failed non-recoverable-without-restore charts/shop/Chart.yaml');
  });
});
