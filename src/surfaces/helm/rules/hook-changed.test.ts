import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { chart } from '../testing/fixtures.js';
import rule from './hook-changed.js';

const job = (cmd: string, hook = 'pre-upgrade') => `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-job
  annotations:
    "helm.sh/hook": ${hook}
spec:
  template:
    spec:
      containers:
        - name: job
          image: ghcr.io/acme/shop:{{ .Values.tag }}
          command: [${cmd}]
`;
const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n';

ruleTable(helm, rule, {
  valid: [
    {
      name: 'unchanged hook, other template changes',
      before: { 'c/templates/job.yaml': job('"notify"'), 'c/templates/d.yaml': deploy },
      after: { 'c/templates/job.yaml': job('"notify"'), 'c/templates/d.yaml': deploy.replace('name:', 'name: x-') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
    },
  ],
  invalid: [
    {
      name: 'a migration hook added',
      after: { 'c/templates/migrate.yaml': job('"bin/rails", "db:migrate"') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [
        {
          messageId: 'migration',
          class: 'compensatable',
          severity: 'warning',
          file: 'c/templates/migrate.yaml',
          line: 6,
          message: /pre-upgrade hook that looks like a data migration is added/,
        },
      ],
    },
    {
      name: 'a notification hook changed',
      before: { 'c/templates/n.yaml': `${deploy}---\n${job('"notify"', 'post-upgrade')}` },
      after: { 'c/templates/n.yaml': `${deploy}---\n${job('"notify", "--all"', 'post-upgrade')}` },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'hook', class: 'fully-reversible', line: 11, message: /post-upgrade hook is changed/ }],
    },
    {
      name: 'a helm test hook changed: information, it runs only on helm test',
      before: { 'c/templates/tests/t.yaml': job('"wget", "web:80"', 'test') },
      after: { 'c/templates/tests/t.yaml': job('"wget", "web:8080"', 'test') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [
        {
          messageId: 'test',
          class: 'fully-reversible',
          severity: 'info',
          message: /test hook is changed; it runs only on `helm test`/,
        },
      ],
    },
    {
      name: 'a hook that runs on test and on upgrade is still a hook',
      after: { 'c/templates/j.yaml': job('"notify"', 'test,post-upgrade') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'hook', severity: 'warning' }],
    },
  ],
});
