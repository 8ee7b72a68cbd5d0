import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './provider-region-changed.js';

const provider = (region: string, extra = '') => `provider "aws" {\n  region = ${region}\n${extra}}\n`;
const cluster =
  'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = "arn:aws:iam::111122223333:role/eks"\n}\n';
const locals = (region: string) => `locals {\n  region = "${region}"\n}\n`;
const variable = (def?: string) => `variable "region" {\n  type = string\n${def ? `  default = "${def}"\n` : ''}}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'the region only moves from a variable default into a local of the same value',
      before: { 'examples/complete/main.tf': `${provider('var.region')}${variable('eu-west-1')}${cluster}` },
      after: { 'examples/complete/main.tf': `${provider('local.region')}${locals('eu-west-1')}${cluster}` },
    },
    {
      name: 'another argument of the provider changes, the region stays',
      before: { 'main.tf': `${provider('"us-west-2"')}${cluster}` },
      after: { 'main.tf': `${provider('"us-west-2"', '  profile = "prod"\n')}${cluster}` },
    },
    {
      name: 'the region comes from a root variable with no default: the configuration does not give it',
      before: { 'main.tf': `${provider('var.region')}${variable()}${cluster}` },
      after: { 'main.tf': `${provider('"eu-west-1"')}${variable()}${cluster}` },
    },
    {
      name: 'a root with no resource and no module call has nothing in the region',
      before: { 'main.tf': provider('"us-west-2"') },
      after: { 'main.tf': provider('"eu-west-1"') },
    },
    {
      name: 'a new root has no state to leave behind',
      after: { 'main.tf': `${provider('"eu-west-1"')}${cluster}` },
    },
    {
      name: 'a google provider region is not the same shape (its regional resources record their region)',
      before: {
        'main.tf':
          'provider "google" {\n  region = "us-central1"\n}\nresource "google_compute_network" "vpc" {\n  name = "vpc"\n}\n',
      },
      after: {
        'main.tf':
          'provider "google" {\n  region = "europe-west1"\n}\nresource "google_compute_network" "vpc" {\n  name = "vpc"\n}\n',
      },
    },
    {
      name: 'a root whose only resources have count 0 with the inputs it gives has nothing in the region',
      before: {
        'main.tf': `${provider('"us-west-2"')}resource "aws_eks_cluster" "this" {\n  count    = 0\n  name     = "off"\n  role_arn = "arn:aws:iam::111122223333:role/eks"\n}\n`,
      },
      after: {
        'main.tf': `${provider('"eu-west-1"')}resource "aws_eks_cluster" "this" {\n  count    = 0\n  name     = "off"\n  role_arn = "arn:aws:iam::111122223333:role/eks"\n}\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'the region of an example root moves from a variable default to a local of another value',
      before: { 'examples/complete/main.tf': `${provider('var.region')}${variable('us-west-2')}${cluster}` },
      after: { 'examples/complete/main.tf': `${provider('local.region')}${locals('eu-west-1')}${cluster}` },
      errors: [
        {
          messageId: 'moved',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'examples/complete/main.tf',
          line: 2,
          object: 'provider.aws',
          message:
            /^provider aws of the root configuration examples\/complete moves from region us-west-2 to eu-west-1: .*the objects in us-west-2 keep running unmanaged/,
        },
      ],
    },
    {
      name: 'an aliased provider of a root that only calls a module',
      before: {
        'main.tf': `provider "aws" {\n  alias  = "dr"\n  region = "us-east-1"\n}\nmodule "backup" {\n  source    = "terraform-aws-modules/s3-bucket/aws"\n  version   = "4.1.0"\n  providers = { aws = aws.dr }\n}\n`,
      },
      after: {
        'main.tf': `provider "aws" {\n  alias  = "dr"\n  region = "us-east-2"\n}\nmodule "backup" {\n  source    = "terraform-aws-modules/s3-bucket/aws"\n  version   = "4.1.0"\n  providers = { aws = aws.dr }\n}\n`,
      },
      errors: [
        {
          messageId: 'moved',
          line: 3,
          object: 'provider.aws.dr',
          message: /^provider aws\.dr of the root configuration \. moves from region us-east-1 to us-east-2/,
        },
      ],
    },
  ],
});
