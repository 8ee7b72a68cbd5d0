import { defineRule } from '../../../core/rule.js';

/**
 * Whether text that does not parse as HCL2 is written for Terraform 0.11 and earlier (HCL1): an
 * interpolation-only string as a whole value (`ami = "${var.ami}"`), the 0.11 style, or a
 * `required_version` that stays below 0.12.
 */
export function looksLikeHcl1(text: string): boolean {
  if (/required_version\s*=\s*"[^"]*(~>\s*0\.(?:[0-9]|1[01])\b|<\s*0\.12\b)/.test(text)) return true;
  return /^\s*[A-Za-z_][A-Za-z0-9_-]*\s*=\s*\[?\s*"\$\{.*\}"\s*\]?\s*$/m.test(text);
}

/** A changed `.tf`, `.tofu`, lock or `.tfbackend` file does not parse: what it changes is unknown. */
export default defineRule<unknown, 'syntax' | 'hcl1'>({
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
      'Unknown is never safe: rollwright cannot say what a file it cannot read would do, so the class is held at the conservative end, and the other configuration rules skip the module directory (a resource missing from a file that does not parse is not a deletion). `terraform validate` would refuse the file too. A file written for Terraform 0.11 and earlier (HCL1: `"${var.x}"` interpolation everywhere, map keys such as `c4.large`) is not invalid for the Terraform that applies it: it is reported as not assessed (a warning, the class held at reversible-with-manual-repair), with the way to assess it (`terraform 0.12upgrade`), never as non-recoverable.',
    fix: 'Fix the syntax (`terraform fmt` and `terraform validate` show the same error).',
    references: [
      'https://developer.hashicorp.com/terraform/language/syntax/configuration',
      'https://opentofu.org/docs/language/syntax/configuration/',
      'https://developer.hashicorp.com/terraform/language/v1.1.x/upgrade-guides/0-12',
    ],
  },
  messages: {
    syntax: 'does not parse: {{reason}} (column {{column}}); this module directory was not assessed',
    hcl1: {
      text: 'written for Terraform 0.11 or earlier (HCL1), which rollwright does not read ({{reason}}, column {{column}}): this module directory was not assessed; to assess it, upgrade it with terraform 0.12upgrade',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
  },
  check() {
    /* reported while reading the files (see index.ts) */
  },
});
