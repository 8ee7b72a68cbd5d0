import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject } from '../../../kube/model.js';
import type { SecretsContext } from '../context.js';

export default defineRule<SecretsContext, 'rotated' | 'removed'>({
  id: 'sealed-secret-changed',
  surface: 'secrets',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  severity: 'warning',
  docs: {
    summary: 'A SealedSecret changes encrypted values (a rotation) or is removed.',
    rationale:
      'The sealed-secrets controller decrypts `spec.encryptedData` into a Secret it owns. A new sealed value is a new secret value: a revert restores the old one, which works only while that credential is still valid and the controller still holds the sealing key it was encrypted with (keys are renewed every 30 days but old ones are kept unless deleted). Removing the SealedSecret deletes the Secret it owns. Keys are named, values (sealed or not) never.',
    fix: 'Rotate with overlap and keep the old credential valid for the rollback window; keep old sealing keys (back them up) as long as old SealedSecrets may be re-applied.',
    references: [
      'https://github.com/bitnami-labs/sealed-secrets#secret-rotation',
      'https://github.com/bitnami-labs/sealed-secrets#sealing-key-renewal',
    ],
  },
  messages: {
    rotated:
      '{{object}}: sealed value(s) change for {{keys}}; a revert restores the old values, which works only while they are still valid and their sealing key is kept',
    removed: {
      text: '{{object}} is removed: the Secret it owns is deleted, and pods that read it fail at their next start',
      class: 'reversible-with-manual-repair',
      decision: { effects: [] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.kind !== 'SealedSecret') continue;
      if (c.status === 'removed' && c.before) {
        report('removed', { object: describeObject(c.before) }, at(c.before), { object: c.id });
        continue;
      }
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const a = get(c.before.body, ['spec', 'encryptedData']);
      const b = get(c.after.body, ['spec', 'encryptedData']);
      if (!isObject(a) || !isObject(b)) continue;
      const keys = Object.keys(b)
        .filter((k) => k in a && a[k] !== b[k])
        .sort();
      if (keys.length)
        report(
          'rotated',
          { object: describeObject(c.after), keys: keys.join(', ') },
          at(c.after, ['spec', 'encryptedData']),
          { object: c.id },
        );
    }
  },
});
