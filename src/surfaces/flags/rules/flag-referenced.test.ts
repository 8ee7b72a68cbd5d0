import { describe, expect, it } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { flags } from '../index.js';
import rule from './flag-referenced.js';
import defaultChanged from './default-changed.js';
import flagRemoved from './flag-removed.js';

const flagd = (keys: Record<string, Record<string, unknown>>, def = 'off') =>
  JSON.stringify(
    {
      flags: Object.fromEntries(
        Object.entries(keys).map(([k, variants]) => [k, { state: 'ENABLED', variants, defaultVariant: def }]),
      ),
    },
    null,
    2,
  ) + '\n';
const ONOFF = { on: true, off: false };
const DEFS = { 'flags/shop.flagd.json': flagd({ 'new-checkout': ONOFF, 'fast-search': { v1: 'a', v2: 'b' } }, 'on') };

const deployment = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          env:
            - name: MODE
              value: standard${env}
`;
const cm = (def: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: flags, namespace: shop}
data:
  flags.flagd.json: |
    {"flags": {"dark-mode": {"state": "ENABLED", "variants": {"enabled": true, "disabled": false}, "defaultVariant": "${def}"}}}
`;
const featureFlag = `apiVersion: core.openfeature.dev/v1beta1
kind: FeatureFlag
metadata: {name: shop-flags, namespace: shop}
spec:
  flagSpec:
    flags:
      beta-pricing:
        state: ENABLED
        variants: {"true": true, "false": false}
        defaultVariant: "false"
`;
const goBefore = 'package shop\n\nfunc Price() int {\n\treturn 1\n}\n';
const goAfter =
  'package shop\n\nfunc Price() int {\n\tif client.Boolean(ctx, "beta-pricing", false, nil) {\n\t\treturn 2\n\t}\n\treturn 1\n}\n';

ruleTable(flags, rule, {
  valid: [
    {
      name: 'a file under the definition paths that never says defaultVariant defines nothing',
      unchanged: { 'flags/shop.flagd.json': flagd({ 'new-checkout': ONOFF }).replaceAll('defaultVariant', 'fallback') },
      before: { 'config/app.config.json': '{"checkout": "classic"}\n' },
      after: { 'config/app.config.json': '{"checkout": "new-checkout"}\n' },
    },
    {
      name: 'a definition file the definition paths exclude',
      config: { rules: { 'flags/flag-referenced': { options: { definitions: ['flags/**', '!flags/old/**'] } } } },
      unchanged: { 'flags/old/shop.flagd.json': flagd({ 'new-checkout': ONOFF }) },
      before: { 'config/app.config.json': '{"checkout": "classic"}\n' },
      after: { 'config/app.config.json': '{"checkout": "new-checkout"}\n' },
    },
    {
      name: 'no flag is defined anywhere',
      before: { 'app/main.go': goBefore },
      after: { 'app/main.go': goAfter },
    },
    {
      name: 'the key only appears in removed lines',
      unchanged: DEFS,
      before: deployment('\n            - name: CHECKOUT_FLAG\n              value: new-checkout'),
      after: deployment(''),
    },
    {
      name: 'a longer name that contains the key is not a reference',
      unchanged: DEFS,
      before: deployment(''),
      after: deployment('\n            - name: X\n              value: new-checkout-v2'),
    },
    {
      name: 'a line that only moved is not a new reference',
      unchanged: DEFS,
      before: { 'app/config.toml': 'a = 1\ncheckout = "new-checkout"\n' },
      after: { 'app/config.toml': 'checkout = "new-checkout"\na = 1\n' },
    },
    {
      name: 'adding a flag to its definition file is not a reference',
      before: { 'flags/shop.flagd.json': flagd({ a: ONOFF }) },
      after: { 'flags/shop.flagd.json': flagd({ a: ONOFF, 'new-checkout': ONOFF }) },
    },
    {
      name: 'a definition outside the definition paths is not searched by default',
      unchanged: { 'deploy/shop/configmap.yaml': cm('enabled') },
      before: { 'app/main.go': goBefore },
      after: { 'app/main.go': goBefore.replace('return 1', 'return lookup("dark-mode")') },
    },
    {
      name: 'a JSON file whose name does not say configuration (data) is not searched',
      unchanged: DEFS,
      before: { 'data/catalog.json': '[]\n' },
      after: { 'data/catalog.json': '["new-checkout"]\n' },
    },
    {
      name: 'documentation is not searched',
      unchanged: DEFS,
      before: { 'docs/flags.md': '# flags\n' },
      after: { 'docs/flags.md': '# flags\n\nnew-checkout guards the new flow.\n' },
    },
    {
      name: 'generated and vendored code is not searched',
      unchanged: DEFS,
      before: { 'vendor/x/a.go': goBefore },
      after: { 'vendor/x/a.go': goBefore.replace('return 1', 'return lookup("new-checkout")') },
    },
  ],
  invalid: [
    {
      name: 'an env var of a Deployment names a flag of an unchanged flagd file',
      unchanged: DEFS,
      before: deployment(''),
      after: deployment('\n            - name: CHECKOUT_FLAG\n              value: new-checkout'),
      errors: [
        {
          messageId: 'referenced',
          class: 'fully-reversible',
          severity: 'info',
          file: 'manifests.yaml',
          line: 16,
          message:
            /references flag new-checkout \(defined in flags\/shop\.flagd\.json, default on\); setting it to off is the first containment/,
        },
      ],
    },
    {
      name: 'Helm values name a flag held in a ConfigMap',
      unchanged: { 'deploy/flags-configmap.yaml': cm('enabled') },
      before: { 'charts/web/values.yaml': 'features: []\n' },
      after: { 'charts/web/values.yaml': 'features:\n  - dark-mode\n' },
      errors: [
        {
          messageId: 'referenced',
          file: 'charts/web/values.yaml',
          line: 2,
          message:
            /flag dark-mode \(defined in ConfigMap shop\/flags key flags\.flagd\.json, default enabled\); setting it to disabled/,
        },
      ],
    },
    {
      name: 'Go code evaluates a flag of an OpenFeature FeatureFlag object',
      unchanged: { 'deploy/openfeature/shop.yaml': featureFlag },
      before: { 'app/main.go': goBefore },
      after: { 'app/main.go': goAfter },
      errors: [
        { messageId: 'referenced', file: 'app/main.go', line: 4, message: /FeatureFlag shop\/shop-flags.*to false/ },
      ],
    },
    {
      name: 'a flag without an off variant',
      unchanged: DEFS,
      before: { 'config/app.config.json': '{"search": "classic"}\n' },
      after: { 'config/app.config.json': '{"search": "fast-search"}\n' },
      errors: [{ messageId: 'referencedNoOff', line: 1, message: /flag fast-search .* no off variant/ }],
    },
    {
      name: 'a flag defined in the same change, referenced by a new file',
      before: { 'flags/shop.flagd.json': flagd({ a: ONOFF }) },
      after: {
        'flags/shop.flagd.json': flagd({ a: ONOFF, 'new-checkout': ONOFF }),
        'web/src/checkout.ts': "if (await client.getBooleanValue('new-checkout', false)) render();\nelse legacy();\n",
      },
      errors: [{ messageId: 'referenced', file: 'web/src/checkout.ts', line: 1 }],
    },
    {
      name: 'two flags in one file, each named once',
      unchanged: DEFS,
      before: { 'app/flags.py': 'X = 1\n' },
      after: { 'app/flags.py': 'X = 1\nA = "new-checkout"\nB = "fast-search"\nC = "new-checkout"\n' },
      errors: [
        { messageId: 'referenced', line: 2 },
        { messageId: 'referencedNoOff', line: 3 },
      ],
    },
    {
      name: 'a definition in a dot folder and a deep folder of the default paths',
      unchanged: { '.config/openfeature/deep/er/shop.json': flagd({ 'new-checkout': ONOFF }) },
      before: { 'config/app.config.json': '{"checkout": "classic"}\n' },
      after: { 'config/app.config.json': '{"checkout": "new-checkout"}\n' },
      errors: [{ messageId: 'referenced', line: 1, message: /defined in \.config\/openfeature\/deep\/er\/shop\.json/ }],
    },
    {
      name: 'the definition paths widened by option',
      config: { rules: { 'flags/flag-referenced': { options: { definitions: ['deploy/**/*.yaml'] } } } },
      unchanged: { 'deploy/shop/configmap.yaml': cm('enabled') },
      before: { 'app/main.go': goBefore },
      after: { 'app/main.go': goBefore.replace('return 1', 'return lookup("dark-mode")') },
      errors: [{ messageId: 'referenced', line: 4, message: /ConfigMap shop\/flags key flags\.flagd\.json/ }],
    },
  ],
});

describe('flags data contract (read by decide)', () => {
  it('flag-referenced carries flag, source, offVariant, defaultVariant and the column', async () => {
    const [f] = await runRule(flags, rule, {
      name: 'env',
      unchanged: DEFS,
      before: deployment(''),
      after: deployment('\n            - name: CHECKOUT_FLAG\n              value: new-checkout'),
    });
    expect(f?.data).toEqual({
      flag: 'new-checkout',
      source: 'flags/shop.flagd.json',
      offVariant: 'off',
      defaultVariant: 'on',
    });
    expect(f?.column).toBe(22);
  });

  it('no offVariant when no variant turns the flag off', async () => {
    const [f] = await runRule(flags, rule, {
      name: 'no off',
      unchanged: DEFS,
      before: { 'config/app.config.json': '{}\n' },
      after: { 'config/app.config.json': '{"s": "fast-search"}\n' },
    });
    expect(f?.data).toEqual({ flag: 'fast-search', source: 'flags/shop.flagd.json', defaultVariant: 'on' });
  });

  it('default-changed carries flag, source and offVariant (a ConfigMap source, a variant named disabled)', async () => {
    const [f] = await runRule(flags, defaultChanged, { name: 'cm', before: cm('disabled'), after: cm('enabled') });
    expect(f?.data).toEqual({
      flag: 'dark-mode',
      source: 'ConfigMap shop/flags key flags.flagd.json',
      offVariant: 'disabled',
      from: 'disabled',
      to: 'enabled',
    });
  });

  it('flag-removed carries flag, source and the removed definition’s offVariant (a boolean false value)', async () => {
    const [f] = await runRule(flags, flagRemoved, {
      name: 'removed',
      before: { 'flags/x.flagd.json': flagd({ a: ONOFF, b: { blue: 'b', legacy: false } }) },
      after: { 'flags/x.flagd.json': flagd({ a: ONOFF }) },
    });
    expect(f?.data).toEqual({ flag: 'b', source: 'flags/x.flagd.json', offVariant: 'legacy' });
  });
});
