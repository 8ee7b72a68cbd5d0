import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../testing/rule-tester.js';
import imageChanged from '../kubernetes/rules/image-changed.js';
import mutableImageTag from '../kubernetes/rules/mutable-image-tag.js';
import { usedAsImage } from './context.js';
import { helm } from './index.js';
import { probeHelm } from './probe.js';

// Without helm, a chart's values file is read for the images its templates use; with helm the render
// reports the same change on the workloads, so these tables only hold where helm does not run.
const helmRuns = (await probeHelm()).available;

const CHART = 'apiVersion: v2\nname: guestbook\nversion: 0.1.0\nappVersion: "1.0"\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        - name: exporter
          image: {{ include "guestbook.image" (dict "imageRoot" .Values.metrics.image) }}
`;
const chart = (
  values: string,
  templates: Record<string, string> = { 'chart/templates/deployment.yaml': DEPLOYMENT },
) => ({
  'chart/Chart.yaml': CHART,
  'chart/values.yaml': values,
  ...templates,
});

describe.skipIf(helmRuns)('image values of a chart in the repository, without helm', () => {
  ruleTable(helm, mutableImageTag, {
    valid: [
      {
        name: 'another value changes, the image stays',
        before: chart('image:\n  repository: nginx\n  tag: "1.27"\nreplicaCount: 1\n'),
        after: chart('image:\n  repository: nginx\n  tag: "1.27"\nreplicaCount: 2\n'),
      },
      {
        name: 'an image key no template reads as an image',
        before: chart(
          'image:\n  repository: nginx\n  tag: "1.27"\nbackup:\n  image: {repository: restic/restic, tag: "0.16"}\n',
        ),
        after: chart(
          'image:\n  repository: nginx\n  tag: "1.27"\nbackup:\n  image: {repository: restic/restic, tag: "0.17"}\n',
        ),
      },
      {
        name: 'a chart whose templates do not read the image values at all',
        before: chart('image:\n  repository: nginx\n  tag: "1.27"\n', {
          'chart/templates/cm.yaml': 'kind: ConfigMap\n',
        }),
        after: chart('image:\n  repository: nginx\n  tag: "1.28"\n', {
          'chart/templates/cm.yaml': 'kind: ConfigMap\n',
        }),
      },
    ],
    invalid: [
      {
        name: 'image.tag moved, read by an image: field',
        before: chart('image:\n  repository: quay.io/argoprojlabs/argocd-e2e-container\n  tag: 0.1\n'),
        after: chart('image:\n  repository: gcr.io/google-samples/gb-frontend\n  tag: v5\n'),
        errors: [
          {
            messageId: 'tag',
            file: 'chart/values.yaml',
            line: 3,
            message: 'HelmValues chart/values.yaml value image: gcr.io/google-samples/gb-frontend:v5 has no digest',
          },
        ],
      },
      {
        name: 'a component image read through a helper',
        before: chart('metrics:\n  image: {registry: docker.io, repository: bitnami/exporter, tag: "1.0"}\n'),
        after: chart('metrics:\n  image: {registry: docker.io, repository: bitnami/exporter, tag: latest}\n'),
        errors: [{ messageId: 'latest', line: 2, message: /docker\.io\/bitnami\/exporter:latest/ }],
      },
    ],
  });

  ruleTable(helm, imageChanged, {
    valid: [],
    invalid: [
      {
        name: 'a digest moved to a tag in a values file',
        before: chart(
          'image:\n  repository: nginx\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n',
        ),
        after: chart('image:\n  repository: nginx\n  tag: "1.28"\n'),
        errors: [{ messageId: 'digestToTag', severity: 'warning', line: 3 }],
      },
    ],
  });
});

describe('usedAsImage', () => {
  const t = (text: string, path = 'chart/templates/d.yaml') => [{ path, text }];
  it.each([
    ['image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"', 'image', true],
    ['image: {{ .Values.server.image }}', 'server.image', true],
    ['image: {{ .Values.imageOverride }}', 'image', false],
    ['{{- if .Values.image.pullSecrets }}', 'image', false],
    ['image: {{ include "x.image" (dict "imageRoot" .Values.db.image) }}', 'db.image', true],
  ])('%s reads %s as an image: %s', (text, key, used) => expect(usedAsImage(t(text), key)).toBe(used));
  it('a helper file counts', () =>
    expect(usedAsImage(t('{{ .Values.image.repository }}', 'chart/templates/_helpers.tpl'), 'image')).toBe(true));
});
