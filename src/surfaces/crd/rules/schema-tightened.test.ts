import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { tightenings } from '../model.js';
import { crd } from '../testing/fixtures.js';
import rule from './schema-tightened.js';

const schema = (size: string, extra = '') => `          type: object
          properties:
            spec:
              type: object${extra}
              properties:
                size: ${size}
`;

/** A `spec` with `size` and `color`, and extra schema keywords (allOf, oneOf, CEL rules...) on `spec`. */
const spec = (extra: string) => `          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: string}
                color: {type: string}
${extra}`;
const v1 = (extra: string) => crd([{ name: 'v1', storage: true, schema: spec(extra) }]);
const ind = '              ';
const allOf = (...branches: string[]) => `${ind}allOf:\n${branches.map((b) => `${ind}  - ${b}\n`).join('')}`;
const oneOf = (...branches: string[]) => `${ind}oneOf:\n${branches.map((b) => `${ind}  - ${b}\n`).join('')}`;
const anyOf = (...branches: string[]) => `${ind}anyOf:\n${branches.map((b) => `${ind}  - ${b}\n`).join('')}`;
const cel = (...rules: string[]) =>
  `${ind}x-kubernetes-validations:\n${rules.map((r) => `${ind}  - {rule: '${r}', message: m}\n`).join('')}`;

ruleTable(surface, rule, {
  valid: [
    { name: 'allOf removed', before: v1(allOf('{required: [size]}')), after: v1('') },
    {
      name: 'allOf branch loosened (required dropped)',
      before: v1(allOf('{required: [size, color]}')),
      after: v1(allOf('{required: [size]}')),
    },
    {
      name: 'anyOf branch added (accepts more)',
      before: v1(anyOf('{required: [size]}')),
      after: v1(anyOf('{required: [size]}', '{required: [color]}')),
    },
    {
      name: 'branches reordered',
      before: v1(oneOf('{required: [size]}', '{required: [color]}')),
      after: v1(oneOf('{required: [color]}', '{required: [size]}')),
    },
    { name: 'oneOf removed', before: v1(oneOf('{required: [size]}', '{required: [color]}')), after: v1('') },
    { name: 'CEL rule removed', before: v1(cel('has(self.size)')), after: v1('') },
    {
      name: 'CEL rule message changed only',
      before: v1(cel('has(self.size)')),
      after: v1(cel('has(self.size)').replace('m}', 'other}')),
    },
    {
      name: 'enum widened',
      before: crd([{ name: 'v1', storage: true, schema: schema('{type: string, enum: [small]}') }]),
      after: crd([{ name: 'v1', storage: true, schema: schema('{type: string, enum: [small, large]}') }]),
    },
    {
      name: 'optional field added',
      before: crd([{ name: 'v1', storage: true, schema: schema('{type: string}') }]),
      after: crd([
        { name: 'v1', storage: true, schema: schema('{type: string}\n                color: {type: string}') },
      ]),
    },
    {
      name: 'a new version with a stricter schema',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([
        { name: 'v1', storage: true },
        { name: 'v2', schema: schema('{type: string, enum: [small]}') },
      ]),
    },
  ],
  invalid: [
    {
      name: 'enum narrowed',
      before: crd([{ name: 'v1', storage: true, schema: schema('{type: string, enum: [small, large]}') }]),
      after: crd([{ name: 'v1', storage: true, schema: schema('{type: string, enum: [small]}') }]),
      errors: [
        {
          messageId: 'tightened',
          class: 'reversible-with-manual-repair',
          line: 13,
          message: /enum values removed \("large"\) at \.spec\.size/,
        },
      ],
    },
    {
      name: 'required added',
      before: crd([{ name: 'v1', storage: true, schema: schema('{type: string}') }]),
      after: crd([{ name: 'v1', storage: true, schema: schema('{type: string}', '\n              required: [size]') }]),
      errors: [{ messageId: 'tightened', message: /newly required at \.spec\.size/ }],
    },
    {
      name: 'pattern added',
      before: crd([{ name: 'v1', storage: true, schema: schema('{type: string}') }]),
      after: crd([{ name: 'v1', storage: true, schema: schema("{type: string, pattern: '^[a-z]+$'}") }]),
      errors: [{ messageId: 'tightened', message: /pattern added/ }],
    },
    {
      name: 'required added inside an allOf branch',
      before: v1(allOf('{required: [size]}')),
      after: v1(allOf('{required: [size, color]}')),
      errors: [{ messageId: 'tightened', message: /newly required at \.spec\.allOf\[0\]\.color/ }],
    },
    {
      name: 'allOf branch added',
      before: v1(allOf('{required: [size]}')),
      after: v1(allOf('{required: [size]}', '{properties: {size: {enum: [small]}}}')),
      errors: [{ messageId: 'tightened', message: /allOf branch added at \.spec\.allOf\[1\]/ }],
    },
    {
      name: 'allOf added',
      before: v1(''),
      after: v1(allOf('{required: [size]}')),
      errors: [{ messageId: 'tightened', message: /allOf added \(1 branch every object must match\) at \.spec/ }],
    },
    {
      name: 'oneOf added where none was',
      before: v1(''),
      after: v1(oneOf('{required: [size]}', '{required: [color]}')),
      errors: [{ messageId: 'tightened', message: /oneOf added \(objects must match exactly one of 2 branches\)/ }],
    },
    {
      name: 'oneOf branch added (an object matching two branches is rejected)',
      before: v1(oneOf('{required: [size]}')),
      after: v1(oneOf('{required: [size]}', '{required: [color]}')),
      errors: [{ messageId: 'tightened', message: /oneOf branch added .* at \.spec\.oneOf\[1\]/ }],
    },
    {
      name: 'anyOf branch removed',
      before: v1(anyOf('{required: [size]}', '{required: [color]}')),
      after: v1(anyOf('{required: [size]}')),
      errors: [{ messageId: 'tightened', message: /anyOf branch 1 removed at \.spec/ }],
    },
    {
      name: 'an enum added inside a oneOf branch',
      before: v1(oneOf('{required: [size]}', '{required: [color]}')),
      after: v1(oneOf('{required: [size], properties: {size: {enum: [small]}}}', '{required: [color]}')),
      errors: [{ messageId: 'tightened', message: /enum added at \.spec\.oneOf\[0\]\.size/ }],
    },
    {
      name: '`not` added',
      before: v1(''),
      after: v1(`${ind}not: {required: [color]}\n`),
      errors: [{ messageId: 'tightened', message: /`not` added .* at \.spec/ }],
    },
    {
      name: 'CEL validation rule added',
      before: v1(''),
      after: v1(cel('self.size != "huge"')),
      errors: [{ messageId: 'tightened', message: /validation rule added \(self\.size != "huge"\) at \.spec/ }],
    },
    {
      name: 'CEL rule rewritten (stricter or not, stored objects are not re-checked)',
      before: v1(cel('has(self.size)')),
      after: v1(cel('has(self.size) && has(self.color)')),
      errors: [
        { messageId: 'tightened', message: /validation rule added \(has\(self\.size\) && has\(self\.color\)\)/ },
      ],
    },
  ],
});

describe('tightenings', () => {
  it('finds CEL rules, type changes and dropped properties', () => {
    const old = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } };
    const neu = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.a != ""' }],
      properties: { a: { type: 'integer' } },
    };
    expect(tightenings(old, neu).map((t) => `${t.at} ${t.what}`)).toEqual([
      '. validation rule added (self.a != "")',
      '.a type string → integer',
      '.b property removed (its stored values are pruned)',
    ]);
  });
});
