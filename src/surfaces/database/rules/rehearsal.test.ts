import { describe, expect, it } from 'vitest';
import { RuleRunner } from '../../../testing/engine.js';
import { defaultConfig } from '../../../core/config.js';
import { ruleTable } from '../../../testing/rule-tester.js';
import { toFindings } from '../../../rehearse/assess-hook.js';
import type { RehearsalReport } from '../../../rehearse/rehearse.js';
import { database } from '../index.js';
import rule from './rehearsal.js';

// Static assessment never reports through this rule: only `assess --rehearse` does (src/rehearse).
ruleTable(database, rule, {
  valid: [
    {
      name: 'a down that does not restore the schema is invisible without a rehearsal',
      after: { 'm/6_a.up.sql': 'ALTER TABLE orders ADD COLUMN c int;', 'm/6_a.down.sql': 'SELECT 1;' },
    },
  ],
  invalid: [],
});

describe('database/rehearsal findings from a rehearsal report', () => {
  const report = (steps: RehearsalReport['steps']): RehearsalReport => ({
    schema: 'rollwright.rehearsal/v1',
    database: 'pglite',
    from: '5',
    to: '6',
    migrations: ['6'],
    ok: false,
    outcome: 'failed',
    steps,
    skipped: [],
    ms: 1,
  });

  it('maps each failed step to its message, class and location', () => {
    const runner = new RuleRunner(defaultConfig());
    toFindings(
      report([
        { step: 'up', ok: true, status: 'passed', ms: 1, detail: '' },
        {
          step: 'old-queries',
          ok: false,
          status: 'failed',
          ms: 1,
          detail: '',
          queries: [
            { file: 'q/app.sql', line: 3, query: 'SELECT legacy FROM users', error: 'column "legacy" does not exist' },
          ],
        },
        { step: 'down', ok: true, status: 'passed', ms: 1, detail: '' },
        { step: 'schema', ok: false, status: 'failed', ms: 1, detail: 'column public.orders.c still exists' },
        { step: 'rows', ok: false, status: 'failed', ms: 1, detail: 'public.t: 2 of 3 row(s) lost' },
        {
          step: 're-up',
          ok: false,
          status: 'failed',
          ms: 1,
          detail: '',
          failed: {
            file: 'm/6_a.up.sql',
            line: 1,
            statement: 'ALTER TABLE orders ADD COLUMN c int',
            error: 'already exists',
          },
        },
      ]),
      runner.reporter(rule),
      'm/6_a.down.sql',
    );
    expect(runner.findings.map((f) => [f.messageId, f.class, f.severity, `${f.file}:${f.line}`, f.message])).toEqual([
      [
        'oldQuery',
        'forward-only',
        'error',
        'q/app.sql:3',
        'the old application\'s query q/app.sql:3 (SELECT legacy FROM users) fails against the new schema: column "legacy" does not exist',
      ],
      [
        'notInverse',
        'reversible-with-manual-repair',
        'error',
        'm/6_a.down.sql:1',
        'after up and down the schema differs from before: column public.orders.c still exists',
      ],
      [
        'rowsLost',
        'non-recoverable-without-restore',
        'warning',
        'm/6_a.down.sql:1',
        'up and down lose rows: public.t: 2 of 3 row(s) lost',
      ],
      [
        'reupFailed',
        'reversible-with-manual-repair',
        'warning',
        'm/6_a.up.sql:1',
        'the up migration fails when applied again after its down, at m/6_a.up.sql:1 (ALTER TABLE orders ADD COLUMN c int): already exists',
      ],
    ]);
  });

  it('a down that fails is forward-only', () => {
    const runner = new RuleRunner(defaultConfig());
    toFindings(
      report([
        {
          step: 'down',
          ok: false,
          status: 'failed',
          ms: 1,
          detail: '',
          failed: { file: 'd.sql', line: 2, statement: 'DROP TABLE nope', error: 'table "nope" does not exist' },
        },
      ]),
      runner.reporter(rule),
      'x',
    );
    expect(runner.findings.map((f) => [f.messageId, f.class, f.line])).toEqual([['downFailed', 'forward-only', 2]]);
  });
});
