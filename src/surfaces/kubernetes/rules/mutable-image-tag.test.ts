import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './mutable-image-tag.js';

const D = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

const deploy = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}
`;

/** A Flux HelmRelease passing `values` (YAML lines under `spec.values`) to a remote chart. */
const release = (values: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef: {kind: HelmRepository, name: podinfo}
  values:
${values}`;

const twoContainers = (web: string, sidecar: string, command = 'run') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ${web}
          command: [${command}]
        - name: log-shipper
          image: ${sidecar}
`;

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers: [{name: sh, image: "${image}"}]
`;

const hookJob = (meta: string, image: string) => `apiVersion: batch/v1
kind: Job
metadata:
  ${meta}
  annotations: {argocd.argoproj.io/hook: PreSync}
spec:
  template:
    spec:
      containers: [{name: sleep, image: "${image}", command: [sleep, "10"]}]
      restartPolicy: Never
`;

/** A Terraform kubectl_manifest holding the Deployment `name` inline (a `<<-` heredoc, dedented by Terraform). */
const held = (name: string, image: string) =>
  `resource "kubectl_manifest" "${name}" {\n  yaml_body = <<-YAML\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: ${name}\n    spec:\n      replicas: 0\n      selector:\n        matchLabels:\n          app: ${name}\n      template:\n        metadata:\n          labels:\n            app: ${name}\n        spec:\n          containers:\n            - name: ${name}\n              image: ${image}\n  YAML\n\n  depends_on = [helm_release.karpenter]\n}\n`;
const inflate = (image: string, name = 'inflate') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 0\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;

ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'a hook Job whose generateName became its name (moved to another file) keeps the image it had',
      before: { 'hooks/components/pre-sync-job.yaml': hookJob('generateName: before-', 'alpine:latest') },
      after: { 'hooks/pre-sync-job.yaml': hookJob('name: before', 'alpine:latest') },
    },
    {
      name: 'a workload moved to another file unchanged keeps the tag it had',
      before: { 'sock-shop/components/web.yaml': deploy('weaveworksdemos/front-end:0.3.12') },
      after: { 'sock-shop/base/web.yaml': deploy('weaveworksdemos/front-end:0.3.12') },
    },
    { name: 'digest', after: deploy(`ghcr.io/acme/web@${D}`) },
    {
      name: 'a tag on an image the config allows (options.allow)',
      config: {
        rules: {
          'kubernetes/mutable-image-tag': { options: { allow: ['localhost:5000/**', 'registry.dev.internal/*'] } },
        },
      },
      after: deploy('localhost:5000/team/web:dev'),
    },
    { name: 'tag and digest', after: deploy(`ghcr.io/acme/web:1.2.3@${D}`) },
    { name: 'unchanged workload is not re-reported', before: deploy('nginx:1.27'), after: deploy('nginx:1.27') },
    { name: 'removed workload', before: deploy('nginx:1.27'), after: {} },
    {
      name: 'changed workload (replicas only): its tag predates the change and is not reported',
      before: deploy('nginx:1.27'),
      after: deploy('nginx:1.27', 3),
    },
    {
      name: "a sidecar's :latest that the base already had, while another container's digest changes",
      before: twoContainers(`ghcr.io/acme/api@${D}`, 'fluent/fluent-bit:latest'),
      after: twoContainers(`ghcr.io/acme/api@${D.replace(/1/g, '2')}`, 'fluent/fluent-bit:latest'),
    },
    {
      name: 'a container whose command changes keeps the tag it had (the revert keeps it too)',
      before: twoContainers('alpine:latest', `fluent/fluent-bit@${D}`),
      after: twoContainers('alpine:latest', `fluent/fluent-bit@${D}`, 'serve'),
    },
    {
      name: 'digest to tag: reported once, by kubernetes/image-changed at the same line',
      before: deploy(`ghcr.io/acme/web@${D}`),
      after: deploy('ghcr.io/acme/web:1.2.4'),
    },
    { name: 'substituted later (Flux postBuild)', after: deploy('ghcr.io/acme/web:${VERSION}') },
    {
      name: 'object without pods',
      after: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n',
    },
  ],
  invalid: [
    {
      name: 'a Job renamed (a new object) whose image line is unchanged: the unpinned tag predates the change (info)',
      before: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: upgrade-sql-schema\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n          command: [sh, -c, "sleep 5"]\n',
      },
      after: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: maint-page-up\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n          command: [sh, -c, "sleep 5"]\n',
      },
      errors: [{ messageId: 'preexisting', severity: 'info', object: 'batch/Job/default/maint-page-up' }],
    },
    {
      name: 'a Deployment that moves from a Terraform kubectl_manifest to a file with the same tag: the cluster ran it before the change (info)',
      before: { 'examples/karpenter/main.tf': held('inflate', 'public.ecr.aws/eks-distro/kubernetes/pause:3.7') },
      after: {
        'examples/karpenter/main.tf': '',
        'examples/karpenter/inflate.yaml': inflate('public.ecr.aws/eks-distro/kubernetes/pause:3.7'),
      },
      errors: [
        {
          messageId: 'preexistingTerraform',
          class: 'fully-reversible',
          severity: 'info',
          file: 'examples/karpenter/inflate.yaml',
          line: 17,
          object: 'apps/Deployment/default/inflate',
          message:
            'Deployment default/inflate container inflate: public.ecr.aws/eks-distro/kubernetes/pause:3.7 has no digest, as it had before the change in the manifest examples/karpenter/main.tf applied to the same object (same kind, namespace and name)',
        },
      ],
    },
    {
      name: 'moved from Terraform with another tag, or another object than Terraform held: the change writes the reference (warning)',
      before: { 'main.tf': held('inflate', 'public.ecr.aws/eks-distro/kubernetes/pause:3.7') },
      after: {
        'main.tf': held('inflate', 'public.ecr.aws/eks-distro/kubernetes/pause:3.7'),
        'a.yaml': inflate('public.ecr.aws/eks-distro/kubernetes/pause:3.8'),
        'b.yaml': inflate('public.ecr.aws/eks-distro/kubernetes/pause:3.7', 'deflate'),
      },
      errors: [
        { messageId: 'tag', severity: 'warning', file: 'a.yaml', object: 'apps/Deployment/default/inflate' },
        { messageId: 'tag', severity: 'warning', file: 'b.yaml', object: 'apps/Deployment/default/deflate' },
      ],
    },
    {
      name: 'a new file whose Jobs use the tag another file had: new references, the warning',
      before: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: upgrade-sql-schema\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n',
      },
      after: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: maint-page-up\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n',
        'helm-hooks/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: helm-hook-job\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n',
      },
      errors: [
        { messageId: 'latest', severity: 'warning', file: 'helm-hooks/manifests.yaml' },
        { messageId: 'preexisting', severity: 'info', file: 'sync-waves/manifests.yaml' },
      ],
    },
    {
      name: 'an image the change writes warns; a new Job using the image the base had is info',
      before: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: upgrade-sql-schema\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n          command: [sh, -c, "sleep 5"]\n',
      },
      after: {
        'sync-waves/manifests.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: upgrade-sql-schema\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: busybox:latest\n          command: [sh, -c, "sleep 5"]\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: maint-page-up\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: page\n          image: alpine:latest\n          command: [sh, -c, "sleep 5"]\n',
      },
      errors: [
        { messageId: 'latest', severity: 'warning', object: 'batch/Job/default/upgrade-sql-schema' },
        { messageId: 'preexisting', severity: 'info' },
      ],
    },
    {
      name: "a hook Job whose generateName became its name, with a new tag: the tag is the change's",
      before: { 'hooks/pre-sync-job.yaml': hookJob('generateName: before-', 'alpine:3.19') },
      after: { 'hooks/pre-sync-job.yaml': hookJob('name: before', 'alpine:latest') },
      errors: [{ messageId: 'latest', object: 'batch/Job/default/before' }],
    },
    {
      name: 'a tag the change writes: tag to tag',
      before: deploy('ghcr.io/acme/web:1.2.3'),
      after: deploy('ghcr.io/acme/web:1.2.4'),
      errors: [{ messageId: 'tag', severity: 'warning', class: 'fully-reversible' }],
    },
    {
      name: 'a sidecar added with :latest next to an unchanged container',
      before: deploy(`ghcr.io/acme/web@${D}`),
      after: twoContainers(`ghcr.io/acme/web@${D}`, 'fluent/fluent-bit:latest').replace('name: api}', 'name: web}'),
      errors: [{ messageId: 'latest' }],
    },
    {
      name: 'options.allow does not cover other registries',
      config: {
        rules: {
          'kubernetes/mutable-image-tag': { options: { allow: ['localhost:5000/**', 'registry.dev.internal/*'] } },
        },
      },
      after: deploy('registry.dev.internal/team/web:dev'),
      errors: [{ messageId: 'tag' }],
    },
    {
      name: 'added workload with a tag',
      after: { 'apps/web.yaml': deploy('nginx:1.27') },
      errors: [
        {
          messageId: 'tag',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'apps/web.yaml',
          line: 13,
          object: 'apps/Deployment/default/web',
          message: 'Deployment default/web container web: nginx:1.27 has no digest; the tag 1.27 may name other bytes',
        },
      ],
    },
    {
      name: 'latest',
      after: deploy('nginx:latest'),
      errors: [
        { messageId: 'latest', class: 'fully-reversible', severity: 'warning', line: 13, message: /tag latest/ },
      ],
    },
    {
      name: 'no tag at all',
      after: deploy('registry.local:5000/tools/web'),
      errors: [{ messageId: 'noTag', line: 13, message: /registry\.local:5000\/tools\/web has no tag and no digest/ }],
    },
    {
      name: 'bare pod',
      after: pod('busybox'),
      errors: [{ messageId: 'noTag', line: 5, object: '/Pod/default/debug' }],
    },
  ],
});

// Images passed to a chart in Helm values (a HelmRelease, an Argo CD Application): the same verdicts.
ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'HelmRelease values: the image untouched while another value changes',
      before: release('    image: {repository: ghcr.io/stefanprodan/podinfo, tag: 6.7.1}\n    replicaCount: 1\n'),
      after: release('    image: {repository: ghcr.io/stefanprodan/podinfo, tag: 6.7.1}\n    replicaCount: 2\n'),
    },
    {
      name: 'HelmRelease values: a tag moved under a pinned digest',
      before: release(`    image: {repository: ghcr.io/stefanprodan/podinfo, tag: 6.7.1, digest: "${D}"}\n`),
      after: release(`    image: {repository: ghcr.io/stefanprodan/podinfo, tag: 6.8.0, digest: "${D}"}\n`),
    },
    {
      name: 'HelmRelease values: a repository without a tag (the chart falls back to its appVersion)',
      before: release('    image: {repository: ghcr.io/stefanprodan/podinfo}\n'),
      after: release('    image: {repository: ghcr.io/example/podinfo}\n'),
    },
    {
      name: 'HelmRelease values: a value named image that is not an image reference',
      before: release('    image: {pullPolicy: IfNotPresent}\n    dashboards: {image: enabled}\n'),
      after: release('    image: {pullPolicy: Always}\n    dashboards: {image: disabled}\n'),
    },
  ],
  invalid: [
    {
      name: 'HelmRelease values: image.tag moved to another tag',
      before: release('    image:\n      repository: ghcr.io/stefanprodan/podinfo\n      tag: 6.7.1\n'),
      after: release('    image:\n      repository: ghcr.io/stefanprodan/podinfo\n      tag: 6.8.0\n'),
      errors: [
        {
          messageId: 'tag',
          line: 15,
          message: 'HelmRelease podinfo/podinfo value image: ghcr.io/stefanprodan/podinfo:6.8.0 has no digest',
        },
      ],
    },
    {
      name: 'HelmRelease values: a component image written as one string, moved to latest',
      before: release('    server:\n      image: registry.example.com/app/server:1.4.0\n'),
      after: release('    server:\n      image: registry.example.com/app/server:latest\n'),
      errors: [{ messageId: 'latest', line: 14, message: /value server\.image/ }],
    },
  ],
});
