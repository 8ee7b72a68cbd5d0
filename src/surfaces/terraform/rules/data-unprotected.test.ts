import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './data-unprotected.js';

const rds = (extra = '') =>
  `resource "aws_db_instance" "orders" {\n  identifier = "orders"\n  engine     = "postgres"\n${extra}}\n`;
const bucket = (extra = '') => `resource "aws_s3_bucket" "assets" {\n  bucket = "shop-assets"\n${extra}}\n`;

ruleTable(terraform, rule, {
  valid: [
    { name: 'prevent_destroy', after: { 'main.tf': rds('  lifecycle {\n    prevent_destroy = true\n  }\n') } },
    { name: 'deletion_protection', after: { 'main.tf': rds('  deletion_protection = true\n') } },
    { name: 'deletion_protection from a variable', after: { 'main.tf': rds('  deletion_protection = var.protect\n') } },
    {
      name: 'Cloud SQL: deletion_protection is on by default',
      after: { 'main.tf': 'resource "google_sql_database_instance" "main" {\n  name = "shop"\n}\n' },
    },
    { name: 'a bucket without force_destroy: its delete fails while it holds objects', after: { 'main.tf': bucket() } },
    { name: 'not data-bearing', after: { 'main.tf': 'resource "aws_security_group" "api" {\n  name = "api"\n}\n' } },
    {
      name: 'already at the base: not the change',
      before: { 'main.tf': rds() },
      after: { 'main.tf': rds('  port = 5432\n') },
    },
    {
      name: 'moved from another address: not added',
      before: { 'main.tf': rds().replace('"orders"', '"old"') },
      after: { 'main.tf': `${rds()}\nmoved {\n  from = aws_db_instance.old\n  to   = aws_db_instance.orders\n}\n` },
    },
    {
      name: 'its file renamed from another directory (a root moved from examples/db to tests/db), unguarded there already',
      before: { 'examples/db/main.tf': rds() },
      after: { 'tests/db/main.tf': `# moved\n${rds()}` },
      renamed: { 'tests/db/main.tf': 'examples/db/main.tf' },
    },
  ],
  invalid: [
    {
      name: 'an RDS instance with no guard',
      after: { 'infra/db.tf': rds() },
      errors: [
        {
          messageId: 'unguarded',
          class: 'non-recoverable-without-restore',
          severity: 'warning',
          file: 'infra/db.tf',
          line: 1,
          object: 'aws_db_instance.orders',
          message: /aws_db_instance\.orders \(.+\) has neither prevent_destroy nor deletion_protection/,
        },
      ],
    },
    {
      name: 'a module called twice: its resource block is reported once, by its shortest address',
      after: {
        'mod/main.tf': rds(),
        'live/main.tf': 'module "a" {\n  source = "../mod"\n}\n\nmodule "b" {\n  source = "../mod"\n}\n',
      },
      errors: [{ messageId: 'unguarded', file: 'mod/main.tf', object: 'aws_db_instance.orders' }],
    },
    {
      name: 'deletion_protection = false',
      after: { 'main.tf': rds('  deletion_protection = false\n') },
      errors: [{ messageId: 'unguarded' }],
    },
    {
      name: 'a bucket with force_destroy and no prevent_destroy',
      after: { 'main.tf': bucket('  force_destroy = true\n') },
      errors: [{ messageId: 'noPreventDestroy', object: 'aws_s3_bucket.assets' }],
    },
    {
      name: 'a new file in a moved directory: the resource is new, whatever the old directory held',
      before: { 'examples/db/main.tf': rds(), 'examples/db/outputs.tf': 'output "x" {\n  value = 1\n}\n' },
      after: { 'tests/db/main.tf': rds(), 'tests/db/outputs.tf': 'output "x" {\n  value = 1\n}\n' },
      renamed: { 'tests/db/outputs.tf': 'examples/db/outputs.tf' },
      errors: [{ messageId: 'unguarded', file: 'tests/db/main.tf', object: 'aws_db_instance.orders' }],
    },
  ],
});
