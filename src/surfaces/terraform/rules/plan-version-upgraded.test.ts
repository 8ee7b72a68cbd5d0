import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-version-upgraded.js';

ruleTable(terraformPlan, rule, {
  valid: [
    {
      name: 'same version',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['update'], {
            before: { engine_version: '16.4' },
            after: { engine_version: '16.4' },
          }),
        ],
      }),
    },
    {
      name: 'not a versioned type',
      after: planFile({
        resource_changes: [
          rc('aws_instance.web', ['update'], { before: { engine_version: '1' }, after: { engine_version: '2' } }),
        ],
      }),
    },
    {
      name: 'a replacement is the destroy rule’s',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['delete', 'create'], {
            before: { engine_version: '15' },
            after: { engine_version: '16' },
          }),
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'in-place upgrades and a downgrade',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['update'], {
            before: { engine_version: '15.7' },
            after: { engine_version: '16.4' },
          }),
          rc('aws_eks_cluster.main', ['update'], { before: { version: '1.31' }, after: { version: '1.30' } }),
        ],
      }),
      errors: [
        {
          messageId: 'upgraded',
          class: 'forward-only',
          severity: 'warning',
          message:
            'aws_db_instance.main: engine_version 15.7 -> 16.4 in place: RDS upgrades the engine in place and has no in-place downgrade: going back means restoring a snapshot taken before the upgrade',
        },
        {
          messageId: 'rolledBack',
          severity: 'warning',
          class: 'reversible-with-compatibility-window',
          message: /version 1\.31 -> 1\.30 is a one-minor rollback: EKS accepts it only within 7d of the in-place upgrade/,
        },
      ],
    },
    {
      name: 'EKS control plane one minor up: reversible for 7 days',
      after: planFile({
        resource_changes: [
          rc('aws_eks_cluster.main', ['update'], { before: { version: '1.30' }, after: { version: '1.31' } }),
        ],
      }),
      errors: [
        {
          messageId: 'windowed',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message:
            /1\.30 -> 1\.31 in place, one minor version: reversible for 7d after the upgrade: `aws eks update-cluster-version --name <cluster> --kubernetes-version 1\.30` \(etcd data and workloads are kept; managed node groups/,
        },
      ],
    },
    {
      name: 'EKS control plane two minors up, or two down: forward-only',
      after: planFile({
        resource_changes: [
          rc('aws_eks_cluster.a', ['update'], { before: { version: '1.29' }, after: { version: '1.31' } }),
          rc('aws_eks_cluster.b', ['update'], { before: { version: '1.31' }, after: { version: '1.29' } }),
        ],
      }),
      errors: [
        { messageId: 'upgraded', class: 'forward-only', message: /a jump of more than one minor version cannot be rolled back/ },
        { messageId: 'downgraded', class: 'forward-only', severity: 'error' },
      ],
    },
  ],
});
