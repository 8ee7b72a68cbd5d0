import { defineRule } from '../../../core/rule.js';
import type { SecretsContext } from '../context.js';

export default defineRule<SecretsContext, 'decrypted' | 'plainAdded'>({
  id: 'sops-decrypted',
  surface: 'secrets',
  class: 'compensatable',
  decision: { playbook: 'bad-config-reference', effects: ['secret-exposed'] },
  severity: 'error',
  smell: ['decrypted', 'plainAdded'],
  blocksGate: true,
  neverAccepted: 'a decrypted secret file is exposed whatever the reason: rotate its credentials and re-encrypt it',
  docs: {
    summary:
      'A file that was SOPS-encrypted is committed without its encryption, or a SOPS file gains unencrypted values.',
    rationale:
      'When a SOPS file loses its `sops` metadata its values are in the clear in Git, and a revert removes them from the tip, not from history or from clones: the exposure cannot be rolled back, only compensated: the credentials must be rotated (compensatable). Values outside `encrypted_regex`/`unencrypted_suffix` rules stay readable by design; a new unencrypted key in a file that is otherwise encrypted is reported so it is a decision, not an accident. Keys are named, values never.',
    fix: 'Rotate every credential of the file, re-encrypt it (`sops -e -i`), and install a pre-commit check (`sops filestatus` or a hook) so decrypted files cannot be committed.',
    references: [
      'https://github.com/getsops/sops#encrypting-only-parts-of-a-file',
      'https://github.com/getsops/sops#showing-the-status-of-a-file',
    ],
  },
  // kubernetes/plaintext-secret on the Secrets of the decrypted file states this same fact.
  fact: { id: () => 'plaintext-secret', rank: 0 },
  messages: {
    decrypted:
      '{{file}} was SOPS-encrypted and is now committed without encryption ({{count}} value(s), keys: {{keys}}): rotate the credentials; a revert does not remove them from history',
    plainAdded: {
      text: '{{file}}: new unencrypted value(s) in a SOPS file (keys: {{keys}}); make sure they are not secrets',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
    },
  },
  check({ sops, report }) {
    for (const f of sops) {
      if (f.decrypted && f.before) {
        const keys = [...f.before.values.keys()].sort();
        report(
          'decrypted',
          { file: f.path, count: keys.length, keys: keys.slice(0, 8).join(', ') },
          { file: f.path, line: 1 },
        );
        continue;
      }
      if (!f.after) continue;
      const old = new Set(f.before?.plain ?? []);
      const added = f.after.plain.filter((p) => !old.has(p) && !/^(apiVersion|kind|metadata)(\.|$)/.test(p));
      if (f.before && added.length)
        report('plainAdded', { file: f.path, keys: added.slice(0, 8).join(', ') }, { file: f.path, line: 1 });
    }
  },
});
