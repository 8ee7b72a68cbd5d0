import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-forget.js';

ruleTable(terraformPlan, rule, {
  valid: [
    { name: 'a delete is not a forget', after: planFile({ resource_changes: [rc('aws_instance.a', ['delete'])] }) },
  ],
  invalid: [
    {
      name: 'forget and replace-then-forget',
      after: planFile({
        resource_changes: [rc('aws_s3_bucket.legacy', ['forget']), rc('aws_instance.b', ['create', 'forget'])],
      }),
      errors: [
        { messageId: 'replacedAndForgotten', severity: 'warning', object: 'aws_instance.b' },
        {
          messageId: 'forgotten',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /aws_s3_bucket\.legacy is forgotten: the real object keeps running outside Terraform/,
        },
      ],
    },
  ],
});
