/**
 * Overlays with `helmCharts:` (kustomize's HelmChartInflationGenerator). kustomize inflates them only
 * under `--enable-helm` with a helm binary. helm is not installed on every machine: the tests that need
 * it run only where `helm version` works (they are skipped, and say so, where it does not), and the
 * tests of the no-helm path run only where it does not. Rendering itself is the real `kubectl kustomize`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assessChangeSet } from '../../testing/engine.js';
import { ConfigSchema } from '../../core/config-schema.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { kustomize } from './index.js';

const HELM =
  spawnSync(process.env.ROLLWRIGHT_HELM || 'helm', ['version', '--short'], { encoding: 'utf8' }).status === 0;
if (!HELM) console.warn('helm is not installed: the helm-rendering tests of kustomize helmCharts are skipped');

const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n`;
const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
/** A chart vendored under the kustomization's chartHome (`charts/<name>`): kustomize uses it without pulling. */
const vendored = (dir: string, prefix: string) => ({
  [`${dir}/charts/store/Chart.yaml`]: 'apiVersion: v2\nname: store\nversion: 1.0.0\n',
  [`${dir}/charts/store/values.yaml`]: `prefix: ${prefix}\n`,
  [`${dir}/charts/store/templates/pvc.yaml`]:
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: {{ .Values.prefix }}-data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
});

async function run(
  before: Record<string, string>,
  after: Record<string, string>,
  unchanged: Record<string, string> = {},
) {
  const changes = changeSetOf(before, after);
  const repo = memoryRepo({ ...unchanged, ...before }, { ...unchanged, ...after });
  const a = await assessChangeSet(
    { ...changes, files: changes.files.filter((f) => kustomize.claims(f.path)) },
    repo,
    ConfigSchema.parse({}),
    { surfaces: [kustomize] },
  );
  return a.findings.map((f) => `${f.rule} ${f.messageId} ${f.class} ${f.severity} ${f.file}:${f.line}`);
}

const helmOverlay = (version: string) =>
  `helmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n    version: ${version}\n    releaseName: web\nresources:\n  - cm.yaml\n`;

describe.skipIf(HELM)('kustomize helmCharts without helm', () => {
  it('one info finding instead of a render failure; the version judged statically; other overlays still render', async () => {
    const findings = await run(
      { 'apps/web/kustomization.yaml': helmOverlay('5.2.0'), 'apps/plain/cm.yaml': cm('plain', '1') + '---\n' + pvc },
      { 'apps/web/kustomization.yaml': helmOverlay('6.5.0'), 'apps/plain/cm.yaml': cm('plain', '1') },
      { 'apps/web/cm.yaml': cm('web', '1'), 'apps/plain/kustomization.yaml': 'resources: [cm.yaml]\n' },
    );
    expect(findings.filter((f) => !f.startsWith('kubernetes/'))).toEqual([
      'kustomize/render-failed noHelm fully-reversible info apps/web/kustomization.yaml:1',
      'kustomize/helm-chart-changed major reversible-with-compatibility-window warning apps/web/kustomization.yaml:4',
    ]);
    // The overlay without charts was rendered: the PVC it drops is reported from its rendered output.
    expect(findings.filter((f) => f.startsWith('kubernetes/stateful-object-deleted '))).toEqual([
      expect.stringMatching(
        / non-recoverable-without-restore error apps\/plain\/kustomization\.yaml \(rendered\):\d+$/,
      ),
    ]);
  });

  it('a base with helmCharts: every overlay over it is left unrendered, named in the one finding', async () => {
    const findings = await run(
      { 'base/kustomization.yaml': helmOverlay('6.5.0') },
      { 'base/kustomization.yaml': helmOverlay('6.5.1') },
      {
        'base/cm.yaml': cm('web', '1'),
        'prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
        'staging/kustomization.yaml': 'resources: [../base]\nnamePrefix: staging-\n',
      },
    );
    expect(findings).toEqual([
      'kustomize/helm-chart-changed minor fully-reversible info base/kustomization.yaml:4',
      'kustomize/render-failed noHelm fully-reversible info prod/kustomization.yaml:1',
    ]);
  });
});

describe.runIf(HELM)('kustomize helmCharts with helm (real helm through kubectl --enable-helm)', () => {
  it('renders a vendored chart at both revisions and assesses the rendered objects', async () => {
    const k = 'helmCharts:\n  - name: store\n    releaseName: store\n';
    const findings = await run(
      { 'app/kustomization.yaml': k, ...vendored('app', 'blue') },
      { 'app/kustomization.yaml': k, ...vendored('app', 'green') },
    );
    // The claim is renamed by the values change: the old one is deleted with its volume.
    expect(findings.filter((f) => f.startsWith('kubernetes/stateful-object-deleted '))).toEqual([
      expect.stringMatching(/ non-recoverable-without-restore error app\/kustomization\.yaml \(rendered\):\d+$/),
    ]);
    expect(findings.some((f) => f.startsWith('kustomize/render-failed'))).toBe(false);
  });
});
