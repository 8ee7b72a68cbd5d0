import { defineRule } from '../../../core/rule.js';
import type { SecretsContext } from '../context.js';

const list = (xs: string[], max = 8) =>
  xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', ');

export default defineRule<SecretsContext, 'rotated' | 'rekeyed'>({
  id: 'sops-rotated',
  surface: 'secrets',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  severity: 'warning',
  docs: {
    summary: 'The encrypted values of a SOPS file change (a secret rotation), or only its recipients change.',
    rationale:
      'A new ciphertext in a SOPS file means a new secret value (or a data key rotated with `sops rotate`/`-r`, which re-encrypts every value). Reverting the commit puts the old values back, and that works only while the old credential is still valid at the other end and not compromised: once it is revoked the revert deploys a dead credential, and if it leaked, rolling back re-exposes it. The rotation is therefore reversible within a compatibility window (run old and new in parallel until the rollback window closes) and forward-only after. rollwright names the keys whose ciphertext changed, never a value, encrypted or not. A change of recipients alone (`sops updatekeys`) does not rotate anything: anyone removed can still decrypt the old revisions in Git history.',
    fix: 'Rotate with overlap: create the new credential, deploy it, keep the old one valid for the rollback window, then revoke it in a separate, declared step. If the old value leaked, roll forward only.',
    references: [
      'https://github.com/getsops/sops#key-rotation',
      'https://github.com/getsops/sops#adding-and-removing-keys (updatekeys)',
      'https://fluxcd.io/flux/guides/mozilla-sops/',
    ],
  },
  messages: {
    rotated:
      '{{file}}: {{count}} encrypted value(s) change (keys: {{keys}}); reverting restores the old values, which works only while the old credentials are still valid and not compromised',
    rekeyed: {
      text: '{{file}}: recipients change ({{removed}} removed, {{added}} added) with the same values: removed recipients can still decrypt the old revisions in Git history',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ sops, report }) {
    for (const f of sops) {
      if (!f.before || !f.after) continue;
      const keys = [...new Set([...f.before.values.keys(), ...f.after.values.keys()])]
        .filter((k) => f.before!.values.get(k) !== f.after!.values.get(k))
        .sort();
      if (keys.length) {
        report('rotated', { file: f.path, count: keys.length, keys: list(keys) }, { file: f.path, line: 1 });
        continue;
      }
      const a = new Set(f.before.recipients);
      const b = new Set(f.after.recipients);
      const removed = [...a].filter((x) => !b.has(x)).length;
      const added = [...b].filter((x) => !a.has(x)).length;
      if (removed || added) report('rekeyed', { file: f.path, removed, added }, { file: f.path, line: 1 });
    }
  },
});
