import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './prevent-destroy-removed.js';

const db = (pd: string) =>
  `resource "aws_db_instance" "main" {\n  identifier = "orders"\n  lifecycle {\n    ${pd}\n  }\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'kept',
      before: { 'main.tf': db('prevent_destroy = true') },
      after: { 'main.tf': `${db('prevent_destroy = true')}\n` },
    },
    {
      name: 'added',
      before: { 'main.tf': db('ignore_changes = [tags]') },
      after: { 'main.tf': db('prevent_destroy = true') },
    },
    {
      name: 'the whole resource removed is resource-removed’s',
      before: { 'main.tf': db('prevent_destroy = true') },
      after: { 'main.tf': '' },
    },
  ],
  invalid: [
    {
      name: 'set to false on a database',
      before: { 'main.tf': db('prevent_destroy = true') },
      after: { 'main.tf': db('prevent_destroy = false') },
      errors: [{ messageId: 'removedData', class: 'reversible-with-manual-repair', severity: 'error', line: 4 }],
    },
    {
      name: 'removed from a stateless resource that moved',
      before: { 'main.tf': 'resource "aws_instance" "a" {\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n' },
      after: {
        'main.tf': 'resource "aws_instance" "b" {}\nmoved {\n  from = aws_instance.a\n  to = aws_instance.b\n}\n',
      },
      errors: [{ messageId: 'removed', severity: 'warning', line: 1, object: 'aws_instance.b' }],
    },
  ],
});
