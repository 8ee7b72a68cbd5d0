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
          messageId: 'downgraded',
          severity: 'error',
          message:
            /version 1\.31 -> 1\.30 is a downgrade: EKS control planes cannot be downgraded, so expect the apply to fail/,
        },
      ],
    },
  ],
});
