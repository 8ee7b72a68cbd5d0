import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../engine/rule-tester.js';
import { crd as surface } from '../index.js';
import { tightenings } from '../model.js';
import { crd } from './fixtures.js';
import rule from './schema-tightened.js';

const schema = (size: string, extra = '') => `          type: object
          properties:
            spec:
              type: object${extra}
              properties:
                size: ${size}
`;

ruleTable(surface, rule, {
  valid: [
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
