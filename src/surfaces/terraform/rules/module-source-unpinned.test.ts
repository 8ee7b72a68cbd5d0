import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './module-source-unpinned.js';

const mod = (source: string, version?: string) =>
  `module "m" {\n  source  = "${source}"\n${version !== undefined ? `  version = "${version}"\n` : ''}}\n`;

const named = (name: string, version: string) =>
  `module "${name}" {\n  source  = "terraform-aws-modules/sqs/aws"\n  version = "${version}"\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'a range that was already a range (~> 1.1 -> ~> 1.5): the property predates the change',
      before: { 'main.tf': mod('terraform-aws-modules/kms/aws', '~> 1.1') },
      after: { 'main.tf': mod('terraform-aws-modules/kms/aws', '~> 1.5') },
    },
    {
      name: 'a module block renamed without a moved block, with the range it already had: matched by source',
      before: { 'main.tf': named('node_term_sqs', '~> 3.0.0') },
      after: { 'main.tf': named('handler_sqs', '~> 3.0.0') },
    },
    {
      name: 'a module block moved with a moved block, with the range it already had',
      before: { 'main.tf': named('a', '~> 3.0') },
      after: { 'main.tf': named('b', '~> 3.0') + 'moved {\n  from = module.a\n  to   = module.b\n}\n' },
    },
    { name: 'a local module', after: { 'main.tf': mod('./modules/m') } },
    { name: 'git pinned to a tag', after: { 'main.tf': mod('git::https://example.com/m.git?ref=v1.2.0') } },
    {
      name: 'git pinned to a commit',
      after: { 'main.tf': mod('github.com/acme/m?ref=51d462976d84fdea54b47d80dcabbf680badcdb8') },
    },
    {
      name: 'registry module with an exact version',
      after: { 'main.tf': mod('terraform-aws-modules/vpc/aws', '5.13.0') },
    },
    { name: 'an archive with a checksum', after: { 'main.tf': mod('https://example.com/m.zip?checksum=sha256:abcd') } },
    {
      name: 'unpinned but unchanged',
      before: { 'main.tf': mod('git::https://example.com/m.git') },
      after: { 'main.tf': `${mod('git::https://example.com/m.git')}\n` },
    },
    {
      name: 'a root configuration renamed to another directory (examples/x -> tests/x) with the same range: the move unpins nothing',
      before: {
        'examples/x/main.tf': `${mod('terraform-aws-modules/vpc/aws', '~> 5.0')}\nprovider "aws" {}\n`,
        'examples/x/outputs.tf': 'output "id" {\n  value = module.m.vpc_id\n}\n',
      },
      after: {
        'tests/x/main.tf': `# moved\n${mod('terraform-aws-modules/vpc/aws', '~> 5.0')}\nprovider "aws" {}\n`,
        'tests/x/outputs.tf': 'output "id" {\n  value = module.m.vpc_id\n}\n',
      },
      renamed: { 'tests/x/main.tf': 'examples/x/main.tf', 'tests/x/outputs.tf': 'examples/x/outputs.tf' },
    },
    {
      name: 'a file moved into a directory that exists at both revisions, with the call unpinned the same way',
      before: {
        'a/main.tf': 'resource "null_resource" "a" {}\n',
        'a/net.tf': mod('github.com/acme/m?ref=main'),
        'b/main.tf': 'resource "null_resource" "b" {}\n',
      },
      after: {
        'a/main.tf': 'resource "null_resource" "a" {}\n',
        'b/main.tf': 'resource "null_resource" "b" {}\n',
        'b/net.tf': `\n${mod('github.com/acme/m?ref=main')}`,
      },
      renamed: { 'b/net.tf': 'a/net.tf' },
    },
  ],
  invalid: [
    {
      name: 'an exact version loosened to a range: the change unpins it',
      before: { 'main.tf': mod('terraform-aws-modules/kms/aws', '1.1.0') },
      after: { 'main.tf': mod('terraform-aws-modules/kms/aws', '~> 1.5') },
      errors: [{ messageId: 'registryRange', line: 3 }],
    },
    {
      name: 'a module block renamed and loosened from an exact version to a range: the change unpins it',
      before: { 'main.tf': named('node_term_sqs', '3.0.0') },
      after: { 'main.tf': named('handler_sqs', '~> 3.0.0') },
      errors: [{ messageId: 'registryRange', line: 3 }],
    },
    {
      name: 'two calls of the same source removed and one added with a range: no single old block to match',
      before: { 'main.tf': named('a', '~> 3.0') + named('b', '~> 3.0') },
      after: { 'main.tf': named('c', '~> 3.0') },
      errors: [{ messageId: 'registryRange', line: 3 }],
    },
    {
      name: 'git without ref, credentials redacted',
      after: { 'main.tf': mod('git::https://deploy:s3cr3t@example.com/m.git') },
      errors: [
        {
          messageId: 'gitNoRef',
          class: 'fully-reversible',
          severity: 'warning',
          line: 2,
          object: 'module.m',
          message:
            'module.m: git source git::https://***@example.com/m.git has no ?ref=: every init takes the default branch as it is then, so a rollback to this commit does not bring this module code back',
        },
      ],
    },
    {
      name: 'git on a branch',
      after: { 'main.tf': mod('github.com/acme/m?ref=main') },
      errors: [{ messageId: 'gitBranch', message: /\?ref=main in github\.com\/acme\/m\?ref=main is a branch/ }],
    },
    {
      name: 'registry without version',
      after: { 'main.tf': mod('terraform-aws-modules/vpc/aws') },
      errors: [{ messageId: 'registryNoVersion', line: 2 }],
    },
    {
      name: 'registry with a range',
      after: { 'main.tf': mod('terraform-aws-modules/vpc/aws', '~> 5.0') },
      errors: [
        {
          messageId: 'registryRange',
          line: 3,
          message: /version "~> 5\.0" of terraform-aws-modules\/vpc\/aws allows more than one release/,
        },
      ],
    },
    {
      name: 'an S3 archive',
      after: {
        'main.tf': mod('s3::https://s3.amazonaws.com/acme/m.zip?aws_access_key_id=AKIA&aws_access_key_secret=xyz'),
      },
      errors: [{ messageId: 'archiveUnpinned', message: /aws_access_key_id=\*\*\*&aws_access_key_secret=\*\*\*/ }],
    },
    {
      name: 'a child module changed alone is assessed as its own directory',
      before: {
        'main.tf': 'module "app" {\n  source = "./app"\n}\n',
        'app/main.tf': mod('github.com/acme/m?ref=v1.0.0'),
      },
      after: {
        'main.tf': 'module "app" {\n  source = "./app"\n}\n',
        'app/main.tf': mod('github.com/acme/m?ref=develop'),
      },
      errors: [{ messageId: 'gitBranch', file: 'app/main.tf', object: 'module.m' }],
    },
    {
      name: 'a child module changed with its caller is assessed through the caller, with its module address',
      before: {
        'main.tf': 'module "app" {\n  source = "./app"\n}\n',
        'app/main.tf': mod('github.com/acme/m?ref=v1.0.0'),
      },
      after: {
        'main.tf': '# the app\nmodule "app" {\n  source = "./app"\n}\n',
        'app/main.tf': mod('github.com/acme/m?ref=develop'),
      },
      errors: [{ messageId: 'gitBranch', file: 'app/main.tf', line: 2, object: 'module.app.module.m' }],
    },
    {
      name: 'a renamed root configuration whose call the change loosens (1.1.0 -> ~> 1.5): compared with the file it came from',
      before: { 'examples/x/main.tf': `${mod('terraform-aws-modules/kms/aws', '1.1.0')}\nprovider "aws" {}\n` },
      after: { 'tests/x/main.tf': `${mod('terraform-aws-modules/kms/aws', '~> 1.5')}\nprovider "aws" {}\n` },
      renamed: { 'tests/x/main.tf': 'examples/x/main.tf' },
      errors: [{ messageId: 'registryRange', file: 'tests/x/main.tf', line: 3 }],
    },
    {
      name: 'a new file beside renamed ones in a moved directory: its calls are new, whatever the old directory called',
      before: {
        'examples/x/main.tf': `${mod('terraform-aws-modules/vpc/aws', '~> 5.0')}`,
        'examples/x/outputs.tf': 'output "id" {\n  value = 1\n}\n',
      },
      after: {
        'examples/y/main.tf': `${mod('terraform-aws-modules/vpc/aws', '~> 5.0')}`,
        'examples/y/outputs.tf': 'output "id" {\n  value = 1\n}\n',
      },
      renamed: { 'examples/y/outputs.tf': 'examples/x/outputs.tf' },
      errors: [{ messageId: 'registryRange', file: 'examples/y/main.tf', line: 3 }],
    },
  ],
});
