import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './create-before-destroy-removed.js';

const lt = (lc: string) =>
  `resource "aws_launch_template" "web" {\n  name_prefix = "web-"\n  lifecycle {\n    ${lc}\n  }\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'kept',
      before: { 'main.tf': lt('create_before_destroy = true') },
      after: { 'main.tf': `${lt('create_before_destroy = true')}\n` },
    },
    {
      name: 'added',
      before: { 'main.tf': lt('ignore_changes = []') },
      after: { 'main.tf': lt('create_before_destroy = true') },
    },
  ],
  invalid: [
    {
      name: 'removed',
      before: { 'main.tf': lt('create_before_destroy = true') },
      after: { 'main.tf': lt('ignore_changes = []') },
      errors: [
        {
          messageId: 'removed',
          class: 'fully-reversible',
          line: 1,
          message:
            'aws_launch_template.web loses create_before_destroy: its next replacement deletes the old object before the new one exists (an outage in between, for the rollback too)',
        },
      ],
    },
    {
      name: 'set to false',
      before: { 'main.tf': lt('create_before_destroy = true') },
      after: { 'main.tf': lt('create_before_destroy = false') },
      errors: [{ messageId: 'removed', line: 4 }],
    },
  ],
});
