import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-import.js';

ruleTable(terraformPlan, rule, {
  valid: [{ name: 'no import', after: planFile({ resource_changes: [rc('aws_s3_bucket.logs', ['create'])] }) }],
  invalid: [
    {
      name: 'a no-op import and an import that also updates',
      after: planFile({
        resource_changes: [
          rc('aws_s3_bucket.logs', ['no-op'], { importing: { id: 'acme-logs' } }),
          rc('aws_s3_bucket.media', ['update'], { importing: { id: 'acme-media' } }),
        ],
      }),
      errors: [
        {
          messageId: 'imported',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            /^aws_s3_bucket\.logs is imported \(id acme-logs\) without change: undoing it is a removed block with destroy = false/,
        },
        {
          messageId: 'importedAndChanged',
          severity: 'warning',
          message: /imported \(id acme-media\) and then update in the same apply/,
        },
      ],
    },
  ],
});
