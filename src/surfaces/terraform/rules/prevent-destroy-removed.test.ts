import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './prevent-destroy-removed.js';

const rds = (dp: string) =>
  `resource "aws_db_instance" "main" {\n  identifier = "shop"\n  engine     = "postgres"\n${dp}}\n`;
const sql = (dp: string) =>
  `resource "google_sql_database_instance" "main" {\n  name             = "shop"\n  database_version = "POSTGRES_16"\n${dp}}\n`;
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
      name: 'deletion_protection turned on',
      before: { 'main.tf': rds('') },
      after: { 'main.tf': rds('  deletion_protection = true\n') },
    },
    {
      name: 'deletion_protection = false removed on AWS (the default is false)',
      before: { 'main.tf': rds('  deletion_protection = false\n') },
      after: { 'main.tf': rds('') },
    },
    {
      name: 'deletion_protection = true removed on Cloud SQL (the default is true)',
      before: { 'main.tf': sql('  deletion_protection = true\n') },
      after: { 'main.tf': sql('') },
    },
    {
      name: 'deletion_protection from a variable: not known to be off',
      before: { 'main.tf': rds('  deletion_protection = true\n') },
      after: { 'main.tf': rds('  deletion_protection = var.protect\n') },
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
      errors: [
        {
          messageId: 'removedData',
          class: 'fully-reversible',
          severity: 'error',
          line: 4,
          message:
            'aws_db_instance.main (an RDS database instance: its storage is the data) loses prevent_destroy: Terraform no longer refuses a plan that destroys or replaces it, and the data goes with it',
        },
      ],
    },
    {
      name: 'deletion_protection turned off on an RDS instance: the guard-rail, fully reversible',
      before: { 'infra/db/main.tf': rds('  deletion_protection = true\n') },
      after: { 'infra/db/main.tf': rds('  deletion_protection = false\n') },
      errors: [
        {
          messageId: 'protectionOffData',
          class: 'fully-reversible',
          severity: 'error',
          line: 4,
          object: 'aws_db_instance.main',
          message: /deletion_protection is turned off: the cloud API no longer refuses a delete of it/,
        },
      ],
    },
    {
      name: 'deletion_protection removed where the default is false (AWS), and the DynamoDB and load balancer kin',
      before: {
        'main.tf': `${rds('  deletion_protection = true\n')}resource "aws_dynamodb_table" "t" {\n  name = "t"\n  deletion_protection_enabled = true\n}\nresource "aws_lb" "web" {\n  enable_deletion_protection = true\n}\n`,
      },
      after: {
        'main.tf': `${rds('')}resource "aws_dynamodb_table" "t" {\n  name = "t"\n  deletion_protection_enabled = false\n}\nresource "aws_lb" "web" {\n  enable_deletion_protection = false\n}\n`,
      },
      errors: [
        { messageId: 'protectionOffData', line: 1, object: 'aws_db_instance.main' },
        {
          messageId: 'protectionOffData',
          line: 7,
          object: 'aws_dynamodb_table.t',
          message: /deletion_protection_enabled/,
        },
        { messageId: 'protectionOff', severity: 'warning', line: 10, object: 'aws_lb.web' },
      ],
    },
    {
      name: 'Cloud SQL: deletion_protection = false written where the default is true',
      before: { 'main.tf': sql('') },
      after: { 'main.tf': sql('  deletion_protection = false\n') },
      errors: [{ messageId: 'protectionOffData', class: 'fully-reversible', line: 4 }],
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
