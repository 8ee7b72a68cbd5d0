import { ruleTable } from '../../../testing/rule-tester.js';
import { flags } from '../index.js';
import rule from './default-changed.js';

const flagd = (def: string, state = 'ENABLED') => `{
  "$schema": "https://flagd.dev/schema/v0/flags.json",
  "flags": {
    "new-checkout": {
      "state": "${state}",
      "variants": { "on": true, "off": false },
      "defaultVariant": "${def}"
    }
  }
}
`;
const cm = (def: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: flags, namespace: shop}
data:
  flags.flagd.json: |
${flagd(def)
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
const ff = (def: string) => `apiVersion: core.openfeature.dev/v1beta1
kind: FeatureFlag
metadata: {name: shop-flags, namespace: shop}
spec:
  flagSpec:
    flags:
      new-checkout:
        state: ENABLED
        variants: {on: true, off: false}
        defaultVariant: ${def}
`;

ruleTable(flags, rule, {
  valid: [
    { name: 'a new flag file', after: { 'flags/shop.flagd.json': flagd('off') } },
    { name: 'unrelated YAML', before: { 'config.yaml': '{"a": 1}' }, after: { 'config.yaml': '{"a": 2}' } },
  ],
  invalid: [
    {
      name: 'default flipped in a flagd file',
      before: { 'flags/shop.flagd.json': flagd('off') },
      after: { 'flags/shop.flagd.json': flagd('on') },
      errors: [
        {
          messageId: 'defaultVariant',
          class: 'fully-reversible',
          severity: 'info',
          file: 'flags/shop.flagd.json',
          line: 4,
          message: /flag new-checkout default off → on/,
        },
      ],
    },
    {
      name: 'disabled',
      before: { 'flags/shop.flagd.json': flagd('off') },
      after: { 'flags/shop.flagd.json': flagd('off', 'DISABLED') },
      errors: [{ messageId: 'state', message: /ENABLED → DISABLED/ }],
    },
    {
      name: 'default flipped in a ConfigMap',
      before: cm('off'),
      after: cm('on'),
      errors: [
        {
          messageId: 'defaultVariant',
          line: 5,
          message: /ConfigMap shop\/flags key flags\.flagd\.json: flag new-checkout/,
        },
      ],
    },
    {
      name: 'default flipped in a FeatureFlag',
      before: ff('off'),
      after: ff('on'),
      errors: [{ messageId: 'defaultVariant', line: 7 }],
    },
  ],
});
