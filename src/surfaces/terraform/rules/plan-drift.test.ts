import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-drift.js';

ruleTable(terraformPlan, rule, {
  valid: [
    { name: 'no drift', after: planFile({ resource_changes: [rc('aws_instance.web', ['update'])] }) },
    {
      name: 'drift of a data source is not state drift',
      after: planFile({ resource_drift: [rc('data.aws_ami.x', ['update'])] }),
    },
  ],
  invalid: [
    {
      name: 'changed and deleted outside Terraform',
      after: planFile({
        resource_drift: [
          rc('aws_security_group.api', ['update'], {
            before: { ingress: [{ from_port: 443 }], name: 'api', description: 'x', tags: { a: 'b' } },
            after: {
              ingress: [{ from_port: 443 }, { from_port: 22 }],
              name: 'api',
              description: 'x',
              tags: { a: 'c' },
            },
          }),
          rc('aws_sqs_queue.jobs', ['delete']),
        ],
      }),
      errors: [
        {
          messageId: 'drifted',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            'aws_security_group.api changed outside Terraform (ingress, tags): recorded state does not match reality; repair it before applying',
        },
        { messageId: 'deletedOutside', severity: 'error', object: 'aws_sqs_queue.jobs' },
      ],
    },
    {
      name: 'a refresh-only move',
      after: planFile({
        resource_drift: [rc('terraform_data.renamed', ['no-op'], { previous_address: 'terraform_data.old' })],
      }),
      errors: [{ messageId: 'moved', class: 'fully-reversible', severity: 'info' }],
    },
  ],
});
