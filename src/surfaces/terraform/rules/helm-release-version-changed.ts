import { defineRule } from '../../../core/rule.js';
import { chartController } from '../../controllers/model.js';
import { semverDistance, stepLabel } from '../../helm/model.js';
import { argumentValue, instancesOf } from '../count.js';
import { headTwin } from '../lifecycle.js';
import type { ModuleSpace, TfContext, TfResource } from '../model.js';
import { replacedTarget } from '../provider-target.js';

type M =
  | 'major'
  | 'minor'
  | 'downgrade'
  | 'controllerUpgraded'
  | 'controllerMajor'
  | 'controllerDowngraded'
  | 'chartReplaced'
  | 'repositoryMoved'
  | 'onReplacedCluster';

/** A finding's data: the release's address, the chart, and what moved. */
export type HelmReleaseVersionChangedData = {
  address: string;
  chart: string;
  from: string;
  to: string;
  level?: string;
  controller?: string;
  /** The cluster the same change replaces, and the argument that replaces it. */
  cluster?: string;
  attribute?: string;
};

/** An argument of a resource with the inputs the configuration gives, when it is a string. */
function stringArg(space: ModuleSpace, r: TfResource, name: string): string | undefined {
  const raw = r.args[name];
  if (raw === undefined) return undefined;
  const v = argumentValue(space, r.modulePrefix, raw, { file: r.file, line: r.argLines.get(name) ?? r.line });
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The chart's name without a repository prefix or an OCI path (`oci://public.ecr.aws/karpenter/karpenter` -> karpenter). */
function chartName(chart: string): string {
  return chart.replace(/\/+$/, '').split('/').pop() ?? chart;
}

/**
 * A `helm_release` of the Terraform Helm provider changes its chart version (or chart, or repository):
 * the same upgrade the Helm surface judges for a HelmRelease or an Argo CD Application, applied by
 * `terraform apply` through Helm's own upgrade.
 */
export default defineRule<TfContext, M, HelmReleaseVersionChangedData>({
  id: 'helm-release-version-changed',
  surface: 'terraform',
  class: 'fully-reversible',
  decision: { effects: ['artifact'] },
  severity: 'info',
  docs: {
    summary:
      "A Terraform helm_release changes its chart's version, its chart or its repository: a Helm upgrade (or rollback) that terraform apply runs.",
    rationale:
      "The Helm provider's `helm_release` installs `chart` from `repository` at `version` (the latest when unset) and upgrades the release in place when they change, as `helm upgrade` does; a revert of the change is a Helm upgrade back to the previous chart. Chart versions are judged as the Helm surface judges them: by semver convention a major version may change values, object names or selectors (a compatibility window), and so may a minor version under major version zero (SemVer §4: 'Major version zero (0.y.z) is for initial development. Anything MAY change at any time'; pre-1.0 charts such as Karpenter's before v1 put their breaking changes in minors: v0.28 needs the Machine CRD, which a Helm upgrade does not install); for a known controller whose upgrade guide lists the 0.x minors that break a rollback (Karpenter: v0.12 renames a CRD and v0.13 adds the AWSNodeTemplate CRD, v0.28 adds the Machine CRD and a rollback leaves Machines to delete by hand, v0.32 adds the v1beta1 APIs and only v0.31.4 handles a rollback once they are used, v0.33 serves only the v1beta1 APIs, v0.36 changes drift hashing so that a rollback below v0.32.9, v0.33.4, v0.34.5 or v0.35.4 may drift every node), a 0.x jump is breaking when it crosses a listed minor, and otherwise is the compatibility window of a 1.x minor; other minor and patch versions are expected to be compatible (rolling back restores the previous templates). A chart that installs a known controller (cert-manager, Kyverno, Karpenter, Argo CD, Flux, ...) changes how every object of its kinds is reconciled: rolling it back works while the old version still understands what the new one wrote (a compatibility window). Helm installs the CRDs of a chart's `crds/` directory when the release is installed and never upgrades or deletes them: a major release of such a controller (or a 0.x minor) expects CRDs Helm will not bring, and a downgrade leaves the older controller running against the CRDs and stored objects of the newer one (reversible with manual repair). Another chart under the same release replaces every object the old chart rendered; a repository moved with the same chart and version (a mirror) changes nothing the cluster runs. Values that come from variables are followed through the configuration's locals, module inputs and variable defaults. A release whose Helm provider is configured from a cluster the same change replaces (the provider's `kubernetes { host }` reads the cluster's endpoint, directly or through a local module's output, and force-new-changed finds an argument that replaces the cluster) is not upgraded in place: the new cluster starts empty and the chart is installed there afresh, so nothing of the old release has to be understood by the new version, and a revert replaces the cluster again. The version change is covered by the replacement: info naming it, the class carried by the replacement's finding.",
    fix: "Read the chart's changelog and upgrade notes (CRDs to apply first, one-way migrations), upgrade one cluster first, and keep the previous chart version available.",
    references: [
      'https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release',
      'https://helm.sh/docs/chart_best_practices/custom_resource_definitions/',
      'https://helm.sh/docs/topics/charts/#charts-and-versioning',
      'https://semver.org/#spec-item-4 (major version zero: anything may change at any time)',
      'https://karpenter.sh/v0.36/upgrading/upgrade-guide/ (upgrading to 0.12.0+ and 0.13.0+: CRDs renamed and added by hand; 0.28.0+: rolling back leaves Machines to delete by hand; 0.32.0+: only 0.31.4 supports a rollback once v1beta1 APIs are deployed; 0.33.0+: only v1beta1 APIs; 0.36.0+: the drift update restricts rollback to 0.32.9+, 0.33.4+, 0.34.5+, 0.35.4+)',
      'https://karpenter.sh/preview/upgrade-guide (CRD upgrades: the karpenter chart installs its CRDs only on the first install, and upgrades neither add nor remove them; before v1, Karpenter put breaking changes in minor releases, as its v0.26 guide says under major version zero)',
    ],
  },
  messages: {
    major: {
      text: '{{address}}: chart {{chart}} moves {{from}} → {{to}} ({{level}}): values, names or CRDs may change incompatibly; a rollback may need repair',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
    },
    minor:
      '{{address}}: chart {{chart}} moves {{from}} → {{to}} ({{level}}): a compatible release by semver; a revert upgrades back to the previous templates',
    downgrade: { text: '{{address}}: chart {{chart}} moves back {{from}} → {{to}}', severity: 'warning' },
    controllerUpgraded: {
      text: '{{address}}: {{controller}} chart {{chart}} moves {{from}} → {{to}} ({{level}}): rolling back works while the old version still understands what the new one wrote',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { playbook: 'bad-controller-upgrade', effects: ['artifact'] },
    },
    controllerMajor: {
      text: "{{address}}: {{controller}} chart {{chart}} moves {{from}} → {{to}} ({{level}}): the new version may need CRDs that Helm does not upgrade (it installs a chart's crds/ only once), and going back meets the CRDs and stored objects the new version changed",
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { playbook: 'bad-controller-upgrade', effects: ['artifact', 'crd-incompatible'] },
    },
    controllerDowngraded: {
      text: '{{address}}: {{controller}} chart {{chart}} moves back {{from}} → {{to}}: Helm never downgrades CRDs, so the older controller runs against the CRDs and stored objects the newer one wrote',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
    },
    chartReplaced: {
      text: '{{address}}: the release moves from chart {{from}} to chart {{to}}: Helm upgrades the release to the other chart and deletes every object the old chart rendered that the new one does not',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    repositoryMoved:
      '{{address}}: chart {{chart}} is fetched from {{to}} instead of {{from}}, at the same version: the same chart, nothing the cluster runs changes',
    onReplacedCluster:
      '{{address}}: chart {{chart}} moves {{from}} → {{to}} on {{cluster}}, which the same change replaces ({{attribute}}): the release is installed afresh on the new cluster, no upgrade in place; the replacement is reported on the cluster',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      for (const before of unit.base.resources.values()) {
        if (before.mode !== 'managed' || before.type !== 'helm_release') continue;
        const after = headTwin(unit, before.address);
        if (!after || instancesOf(unit.base, before).state === 'off') continue;
        const read = (space: ModuleSpace, r: TfResource) => ({
          chart: stringArg(space, r, 'chart'),
          version: stringArg(space, r, 'version'),
          repository: stringArg(space, r, 'repository'),
        });
        const a = read(unit.base, before);
        const b = read(unit.head, after);
        if (!a.chart || !b.chart) continue;
        const line = (name: string) => ({ file: after.file, line: after.argLines.get(name) ?? after.line });
        const extra = { object: after.address };
        const chart = chartName(b.chart);
        const target =
          a.version !== b.version || chartName(a.chart) !== chart ? replacedTarget(unit, after) : undefined;
        if (target) {
          const [from, to] = chartName(a.chart) !== chart ? [a.chart, b.chart] : [a.version ?? '', b.version ?? ''];
          const data = {
            address: after.address,
            chart,
            from,
            to,
            cluster: target.address,
            attribute: target.attribute,
          };
          report('onReplacedCluster', data, line(chartName(a.chart) !== chart ? 'chart' : 'version'), extra);
          continue;
        }
        if (chartName(a.chart) !== chart) {
          report('chartReplaced', { address: after.address, chart, from: a.chart, to: b.chart }, line('chart'), extra);
          continue;
        }
        if (a.version && b.version && a.version !== b.version) {
          const known = chartController(chart);
          const d = semverDistance(a.version, b.version, known?.breakingMinors);
          const level = d.level === 'other' ? 'another version' : stepLabel(d);
          const data = { address: after.address, chart, from: a.version, to: b.version, level };
          if (known) {
            const id = d.down
              ? known.crds
                ? 'controllerDowngraded'
                : 'downgrade'
              : d.breaking && known.crds
                ? 'controllerMajor'
                : 'controllerUpgraded';
            report(id, { ...data, controller: known.controller }, line('version'), extra);
          } else report(d.down ? 'downgrade' : d.breaking ? 'major' : 'minor', data, line('version'), extra);
        } else if (a.version === b.version && a.repository && b.repository && a.repository !== b.repository)
          report(
            'repositoryMoved',
            { address: after.address, chart, from: a.repository, to: b.repository },
            line('repository'),
            extra,
          );
      }
    }
  },
});
