import { defineRule } from '../../../core/rule.js';

/** A changed `.tf`, `.tofu`, lock or `.tfbackend` file does not parse: what it changes is unknown. */
export default defineRule<unknown, 'syntax'>({
  id: 'invalid-hcl',
  surface: 'terraform',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-iac-module', effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    reason: 'the file does not parse, so its module directory was not assessed',
    remedy: 'fix the syntax at the line given (`terraform validate` shows the same error)',
  },
  docs: {
    summary: 'A changed Terraform/OpenTofu file does not parse as HCL (file, line and column given).',
    rationale:
      'Unknown is never safe: rollwright cannot say what a file it cannot read would do, so the class is held at the conservative end, and the other configuration rules skip the module directory (a resource missing from a file that does not parse is not a deletion). `terraform validate` would refuse the file too.',
    fix: 'Fix the syntax (`terraform fmt` and `terraform validate` show the same error).',
    references: [
      'https://developer.hashicorp.com/terraform/language/syntax/configuration',
      'https://opentofu.org/docs/language/syntax/configuration/',
    ],
  },
  messages: {
    syntax: 'does not parse: {{reason}} (column {{column}}); this module directory was not assessed',
  },
  check() {
    /* reported while reading the files (see index.ts) */
  },
});
