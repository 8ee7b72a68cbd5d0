import { describe, expect, it } from 'vitest';
import { defaultConfig, type RollwrightConfig } from '../core/config.js';
import { ConfigSchema } from '../core/config-schema.js';
import { parseSingleYaml } from '../core/yaml.js';
import { allRules } from '../registry.js';
import { trustConfig } from './config-trust.js';

const parse = (text: string): RollwrightConfig =>
  text ? ConfigSchema.parse(parseSingleYaml(text).value ?? {}) : defaultConfig();

/** [case, base config, head config, what is loosened (prefixes), a check of the config that applies] */
const CASES: Array<[string, string, string, string[], (c: RollwrightConfig) => unknown, unknown]> = [
  // Tightenings and neutral edits apply at once, unreported.
  [
    'a rule raised to error',
    '',
    'rules:\n  kubernetes/image-changed: error\n',
    [],
    (c) => c.rules['kubernetes/image-changed'],
    'error',
  ],
  [
    'a rule switched back on',
    'rules:\n  kubernetes/image-changed: off\n',
    'rules: {}\n',
    [],
    (c) => c.rules['kubernetes/image-changed'],
    undefined,
  ],
  [
    'an ignore removed',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored\n',
    'ignore: []\n',
    [],
    (c) => c.ignore,
    [],
  ],
  [
    'an ignore reworded',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored\n',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: third-party code\n',
    [],
    (c) => c.ignore[0]?.reason,
    'third-party code',
  ],
  [
    'an environment added',
    '',
    'environments:\n  prod:\n    paths: ["**/prod/**", "**/production/**", "**/prd/**"]\n  staging:\n    paths: ["**/staging/**", "**/stage/**"]\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n  edge:\n    paths: ["edge/**"]\n    requireDeclaration: true\n',
    [],
    (c) => c.environments.edge?.requireDeclaration,
    true,
  ],
  [
    'a declaration required in staging',
    '',
    'environments:\n  prod:\n    paths: ["**/prod/**", "**/production/**", "**/prd/**"]\n  staging:\n    paths: ["**/staging/**", "**/stage/**"]\n    requireDeclaration: true\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n',
    [],
    (c) => c.environments.staging?.requireDeclaration,
    true,
  ],
  [
    'kubernetes.version raised',
    'kubernetes:\n  version: "1.30"\n',
    'kubernetes:\n  version: "1.34"\n',
    [],
    (c) => c.kubernetes.version,
    '1.34',
  ],
  // Loosenings come from the base, and are reported.
  [
    'a rule switched off',
    '',
    'rules:\n  kubernetes/stateful-object-deleted: off\n',
    ['rule kubernetes/stateful-object-deleted switched off'],
    (c) => c.rules['kubernetes/stateful-object-deleted'],
    undefined,
  ],
  [
    'a rule lowered to info',
    'rules:\n  kubernetes/image-changed: error\n',
    'rules:\n  kubernetes/image-changed: info\n',
    ['rule kubernetes/image-changed lowered to info'],
    (c) => c.rules['kubernetes/image-changed'],
    'error',
  ],
  [
    'an error rule lowered below its default',
    '',
    'rules:\n  secrets/plaintext-secret:\n    severity: warning\n',
    ['rule secrets/plaintext-secret lowered to warning'],
    (c) => c.rules['secrets/plaintext-secret'],
    undefined,
  ],
  [
    'options changed',
    '',
    'rules:\n  kubernetes/mutable-image-tag:\n    options: { allow: ["**"] }\n',
    ['rule kubernetes/mutable-image-tag options changed'],
    (c) => c.rules['kubernetes/mutable-image-tag'],
    undefined,
  ],
  [
    'an ignore added',
    '',
    'ignore:\n  - paths: ["clusters/prod/**"]\n    reason: trust me\n',
    ['ignore of clusters/prod/** added'],
    (c) => c.ignore,
    [],
  ],
  [
    'a rule ignored on paths the base already ignored',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored\n',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored\n    rules: [kubernetes/mutable-image-tag]\n',
    ['ignore of kubernetes/mutable-image-tag on vendor/** added'],
    (c) => c.ignore.map((i) => [i.paths, i.rules ?? []]),
    [[['vendor/**'], []]],
  ],
  [
    'a rule the base already ignored there',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored\n    rules: [kubernetes/mutable-image-tag]\n',
    'ignore:\n  - paths: ["vendor/**"]\n    reason: vendored, reviewed\n    rules: [kubernetes/mutable-image-tag]\n',
    [],
    (c) => c.ignore.map((i) => [i.paths, i.rules ?? []]),
    [[['vendor/**'], ['kubernetes/mutable-image-tag']]],
  ],
  [
    'prod no longer requires a declaration',
    '',
    'environments:\n  prod:\n    paths: ["**/prod/**", "**/production/**", "**/prd/**"]\n    requireDeclaration: false\n  staging:\n    paths: ["**/staging/**", "**/stage/**"]\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n',
    ['environment prod no longer requires a declaration'],
    (c) => c.environments.prod?.requireDeclaration,
    true,
  ],
  [
    'an environment removed',
    '',
    'environments:\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n',
    ['environment prod removed', 'environment staging removed'],
    (c) => Object.keys(c.environments).sort(),
    ['dev', 'prod', 'staging'],
  ],
  [
    'a path taken out of prod',
    '',
    'environments:\n  prod:\n    paths: ["**/prod/**"]\n  staging:\n    paths: ["**/staging/**", "**/stage/**"]\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n',
    ['paths **/production/**, **/prd/** removed from environment prod'],
    (c) => c.environments.prod?.paths.length,
    3,
  ],
  [
    'evidence dropped',
    '',
    'environments:\n  prod:\n    paths: ["**/prod/**", "**/production/**", "**/prd/**"]\n    evidence: [change-id]\n  staging:\n    paths: ["**/staging/**", "**/stage/**"]\n  dev:\n    paths: ["**/dev/**", "**/development/**"]\n',
    ['evidence '],
    (c) => c.environments.prod?.evidence,
    undefined,
  ],
  [
    'kubernetes.version lowered',
    '',
    'kubernetes:\n  version: "1.20"\n',
    ['kubernetes.version lowered to 1.20'],
    (c) => c.kubernetes.version,
    '1.34',
  ],
  [
    'the config deleted (back to the defaults)',
    'rules:\n  kubernetes/image-changed: error\n',
    '',
    ['rule kubernetes/image-changed lowered to its default severity'],
    (c) => c.rules['kubernetes/image-changed'],
    'error',
  ],
];

describe('trustConfig: loosenings come from the base revision, tightenings apply at once', () => {
  it.each(CASES)('%s', (_name, base, head, loosened, pick, expected) => {
    const r = trustConfig(parse(base), parse(head), head, allRules());
    expect(r.loosened.map((l) => l.what)).toEqual(
      loosened.map((p) => expect.stringMatching(new RegExp(`^${p.replace(/[*.]/g, '\\$&')}`))),
    );
    expect(pick(r.config)).toEqual(expected);
  });

  it('points at the line of the loosening', () => {
    const head =
      'kubernetes:\n  version: "1.34"\nrules:\n  kubernetes/image-changed: error\n  kubernetes/pvc-storage-changed: off\n';
    const r = trustConfig(defaultConfig(), parse(head), head, allRules());
    expect(r.loosened.map((l) => l.line)).toEqual([5]);
  });
});
