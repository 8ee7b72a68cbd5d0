import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import { loadSemver } from '../../../core/semver.js';
import rule, { lowestVersion } from './module-version-changed.js';

const reg = (version: string) =>
  `module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "${version}"\n}\n`;
const git = (ref: string) => `module "vpc" {\n  source = "git::https://example.com/vpc.git?ref=${ref}"\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    { name: 'same version', before: { 'main.tf': reg('5.1.0') }, after: { 'main.tf': `${reg('5.1.0')}\n` } },
    {
      name: 'a range rewritten to the same floor',
      before: { 'main.tf': reg('~> 5.1') },
      after: { 'main.tf': reg('>= 5.1.0, < 6.0.0') },
    },
    { name: 'a new module', before: { 'main.tf': '' }, after: { 'main.tf': reg('5.1.0') } },
  ],
  invalid: [
    {
      name: 'patch',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': reg('5.1.2') },
      errors: [{ messageId: 'patch', class: 'fully-reversible', severity: 'info', line: 3 }],
    },
    {
      name: 'minor',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': reg('5.4.0') },
      errors: [{ messageId: 'minor', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
    {
      name: 'major',
      before: { 'main.tf': reg('5.13.0') },
      after: { 'main.tf': reg('6.0.1') },
      errors: [{ messageId: 'major', severity: 'warning', message: /^module\.vpc: 5\.13\.0 -> 6\.0\.1 \(major\)/ }],
    },
    {
      name: 'a downgrade',
      before: { 'main.tf': reg('6.0.0') },
      after: { 'main.tf': reg('5.9.0') },
      errors: [{ messageId: 'downgrade', message: /is a downgrade \(major\)/ }],
    },
    {
      name: 'git tags compare as versions',
      before: { 'main.tf': git('v1.2.0') },
      after: { 'main.tf': git('v2.0.0') },
      errors: [{ messageId: 'major', line: 2 }],
    },
    {
      name: 'git commits do not',
      before: { 'main.tf': git('51d4629') },
      after: { 'main.tf': git('8f2e1a0') },
      errors: [{ messageId: 'unknownDistance', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'another module',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': 'module "vpc" {\n  source  = "acme/network/aws"\n  version = "1.0.0"\n}\n' },
      errors: [{ messageId: 'sourceChanged', message: /from terraform-aws-modules\/vpc\/aws to acme\/network\/aws/ }],
    },
  ],
});

describe('lowestVersion', () => {
  it('reads Terraform constraints', async () => {
    expect(lowestVersion(await loadSemver(), '~> 5.1')?.version).toBe('5.1.0');
    expect(lowestVersion(await loadSemver(), '>= 1.2.0, < 2.0.0, != 1.3.0')?.version).toBe('1.2.0');
    expect(lowestVersion(await loadSemver(), '= 3.0.0')?.version).toBe('3.0.0');
    expect(lowestVersion(await loadSemver(), 'v2.4.1')?.version).toBe('2.4.1');
  });
});
