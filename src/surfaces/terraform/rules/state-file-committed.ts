import { defineRule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';

interface StateHeader {
  serial?: number;
  lineage?: string;
  resources?: number;
}

function header(text: string | undefined): StateHeader | undefined {
  if (text === undefined) return undefined;
  try {
    const s = JSON.parse(text) as { serial?: unknown; lineage?: unknown; resources?: unknown };
    return {
      ...(typeof s.serial === 'number' ? { serial: s.serial } : {}),
      ...(typeof s.lineage === 'string' ? { lineage: s.lineage } : {}),
      ...(Array.isArray(s.resources) ? { resources: s.resources.length } : {}),
    };
  } catch {
    return {};
  }
}

/** A Terraform state file in Git: secrets in plain text, and, when an older one replaces a newer one, a restore. */
export default defineRule<TfContext, 'committed' | 'restored' | 'replaced'>({
  id: 'state-file-committed',
  surface: 'terraform',
  class: 'forward-only',
  decision: { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  severity: 'error',
  smell: ['committed'],
  blocksGate: true,
  docs: {
    summary:
      'A Terraform/OpenTofu state file (*.tfstate, terraform.tfstate.backup) is committed to Git, or an older one replaces a newer one.',
    rationale:
      'State holds every attribute of every resource in plain text, passwords, private keys and tokens included. A revert removes the file from the tip, not from history and clones: what it holds must be rotated (forward-only), and state belongs in a backend. A state file whose serial goes down (or whose lineage changes) is a restore of an old state: it changes what Terraform believes, not what exists, so the next plan re-creates what was created since and forgets what was deleted since. Values are never printed.',
    fix: 'Remove the file, add `*.tfstate*` to .gitignore, rotate the secrets it held, and move state to a remote backend with versioning; restores go through `terraform state push` under review, not through Git.',
    references: [
      'https://developer.hashicorp.com/terraform/language/state/sensitive-data',
      'https://developer.hashicorp.com/terraform/language/state',
      'https://developer.hashicorp.com/terraform/cli/commands/state/push',
      'https://opentofu.org/docs/language/state/encryption/',
    ],
  },
  messages: {
    committed: {
      text: '{{file}} is a state file committed to Git ({{resources}}): state holds every attribute in plain text, secrets included, and a revert does not remove it from history: rotate what it holds',
      decision: { effects: ['secret-exposed'] },
    },
    restored: {
      text: '{{file}}: serial {{from}} -> {{to}}: an older state replaces a newer one; Terraform will believe what was created since does not exist and what was deleted since still does',
      class: 'reversible-with-manual-repair',
    },
    replaced: {
      text: '{{file}}: the lineage changes: a state of another lineage replaces this one, so Terraform now tracks other objects under these addresses',
      class: 'reversible-with-manual-repair',
    },
  },
  check({ stateFiles, report }) {
    for (const f of stateFiles) {
      if (f.newText === undefined && !f.unreadable) continue;
      const head = header(f.newText);
      const base = header(f.oldText);
      const where = { file: f.path, line: 1 };
      const resources = head?.resources === undefined ? 'contents not read' : `${head.resources} resources`;
      report('committed', { file: f.path, resources }, where);
      if (!head || !base) continue;
      if (base.lineage && head.lineage && base.lineage !== head.lineage) report('replaced', { file: f.path }, where);
      else if (base.serial !== undefined && head.serial !== undefined && head.serial < base.serial)
        report('restored', { file: f.path, from: base.serial, to: head.serial }, where);
    }
  },
});
