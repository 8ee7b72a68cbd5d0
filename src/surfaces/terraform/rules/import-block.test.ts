import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './import-block.js';

const res = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n';
const imp = 'import {\n  to = aws_s3_bucket.logs\n  id = "acme-logs"\n}\n';

ruleTable(terraform, rule, {
  valid: [
    { name: 'no import', before: { 'main.tf': '' }, after: { 'main.tf': res } },
    {
      name: 'an import already there',
      before: { 'main.tf': res, 'imports.tf': imp },
      after: { 'main.tf': `${res}\n`, 'imports.tf': imp },
    },
  ],
  invalid: [
    {
      name: 'an import block added',
      before: { 'main.tf': '' },
      after: { 'main.tf': res, 'imports.tf': `# adopt the bucket\n${imp}` },
      errors: [
        {
          messageId: 'added',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'imports.tf',
          line: 2,
          object: 'aws_s3_bucket.logs',
          message:
            'import aws_s3_bucket.logs (id acme-logs): the object joins state on the next apply; a revert does not un-import it (undo with removed { from = aws_s3_bucket.logs  lifecycle { destroy = false } })',
        },
      ],
    },
    {
      name: 'an import with for_each',
      after: {
        'main.tf': 'import {\n  for_each = var.buckets\n  to = aws_s3_bucket.b[each.key]\n  id = each.value\n}\n',
      },
      errors: [{ messageId: 'added', message: /^import aws_s3_bucket\.b\[each\.key\] \(for_each\)/ }],
    },
  ],
});
