/**
 * The checklist items on inputs made by hand, each with the cases that pass, are partial, fail and are
 * unknown; the whole pipeline on a real repository and ledger is src/cli/commands/score.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import type { Finding } from '../../core/finding.js';
import type { LedgerEvent } from '../../ledger/chain.js';
import { overallScore, scopedTarget, scoreReport, trendOf, withLintFindings } from './index.js';
import type { ScoredChange, ScoreInput } from './types.js';

const SHA = (n: number) => n.toString(16).padEnd(40, 'a');

function change(n: number, extra: Partial<ScoredChange> = {}): ScoredChange {
  return {
    sha: SHA(n),
    subject: `change ${n}`,
    at: '2026-03-01T00:00:00.000Z',
    environments: ['prod'],
    production: true,
    declaration: null,
    findings: [],
    ...extra,
  };
}

function finding(rule: string, extra: Partial<Finding> = {}): Finding {
  return {
    rule,
    surface: rule.split('/')[0]!,
    class: 'reversible-with-manual-repair',
    severity: 'warning',
    message: rule,
    messageId: 'm',
    file: 'x',
    line: 1,
    ...extra,
  };
}

let seq = 0;
function event(
  type: string,
  payload: Record<string, unknown>,
  subject: Partial<LedgerEvent['subject']> = {},
): LedgerEvent {
  seq++;
  return {
    seq,
    id: `e${seq}`,
    type,
    subject: { change: null, incident: null, service: null, environment: null, ...subject },
    occurredAt: `2026-03-01T00:${String(seq).padStart(2, '0')}:00.000Z`,
    recordedAt: '2026-03-01T01:00:00.000Z',
    actor: 'sre',
    payload,
    prevHash: '',
    hash: '',
  } as LedgerEvent;
}

function input(extra: Partial<ScoreInput> = {}): ScoreInput {
  return {
    repository: 'github.com/acme/shop',
    name: 'shop',
    head: SHA(99),
    since: { given: '90d', start: '2026-01-01T00:00:00.000Z' },
    config: defaultConfig(),
    commitsInWindow: 0,
    changes: [],
    notAssessed: 0,
    tree: { source: 'test', images: [], modules: [], live: false },
    policyTests: [],
    policies: { policies: [], exceptions: [] },
    ledger: { where: 'test', events: [] },
    now: '2026-03-02T00:00:00.000Z',
    ...extra,
  };
}

const status = (i: ScoreInput, id: string) => scoreReport(i).items.find((x) => x.id === id)!;

describe('declarations', () => {
  it.each([
    ['pass', [change(1, { declaration: { rollbackClass: 'fully-reversible', source: 'a.yaml' } })]],
    ['pass', [change(1, { declaredLate: '.rollwright/changes/late.yaml' })]],
    ['partial', [change(1, { declaration: { rollbackClass: 'fully-reversible', source: 'trailer:1' } }), change(2)]],
    ['fail', [change(1), change(2), change(3, { declaration: { rollbackClass: 'forward-only', source: 'b' } })]],
    ['unknown', [change(1, { production: false, environments: ['staging'] })]],
  ] as const)('%s: %j', (expected, changes) => {
    expect(status(input({ changes: [...changes] }), 'declarations').status).toBe(expected);
  });
});

describe('state repair', () => {
  const repair = change(7, { findings: [finding('terraform/import-block')] });
  it('is governed by a repair-state decision naming the commit, not by one naming another', () => {
    const decided = event(
      'decision.made',
      { transition: 'repair-state', change: SHA(7).slice(0, 12) },
      { incident: 'I' },
    );
    const other = event(
      'decision.made',
      { transition: 'repair-state', change: SHA(8).slice(0, 12) },
      { incident: 'I' },
    );
    expect(
      status(input({ changes: [repair], ledger: { where: 't', events: [decided] } }), 'state-repair-governed').status,
    ).toBe('pass');
    const item = status(input({ changes: [repair], ledger: { where: 't', events: [other] } }), 'state-repair-governed');
    expect(item.status).toBe('fail');
    expect(item.evidence).toContain(`ungoverned: ${SHA(7).slice(0, 7)} "change 7"`);
  });
  it('is unknown without any repair in the window', () => {
    expect(status(input({ changes: [change(1)] }), 'state-repair-governed').status).toBe('unknown');
  });
});

describe('pause and break-glass from the ledger', () => {
  it.each([
    ['argocd/shop-prod', true],
    ['flux-system/kustomization/apps', true],
    ['argocd/all', false],
    ['*', false],
    ['argocd', false],
    ['argocd/*', false],
  ])('target %s is one object: %s', (target, scoped) => {
    expect(scopedTarget(target)).toBe(scoped);
  });

  it('fails a broad pause, is partial while a scoped one is not resumed, passes once it is', () => {
    const broad = event('pause.started', { target: 'argocd/all' }, { incident: 'I' });
    expect(status(input({ ledger: { where: 't', events: [broad] } }), 'pause-scoped').status).toBe('fail');
    const one = event('pause.started', { target: 'argocd/shop' }, { incident: 'I' });
    expect(status(input({ ledger: { where: 't', events: [one] } }), 'pause-scoped').status).toBe('partial');
    const resumed = event('pause.ended', { target: 'argocd/shop' }, { incident: 'I' });
    expect(status(input({ ledger: { where: 't', events: [one, resumed] } }), 'pause-scoped').status).toBe('pass');
  });

  it('wants a commit recorded after a break-glass, for the same incident', () => {
    const glass = event('recovery.executed', { transition: 'break-glass' }, { incident: 'I' });
    const elsewhere = event('recovery.executed', { transition: 'rollback', commit: 'abc1234' }, { incident: 'J' });
    expect(status(input({ ledger: { where: 't', events: [glass, elsewhere] } }), 'break-glass-reconciled').status).toBe(
      'fail',
    );
    const fixed = event('recovery.executed', { transition: 'rollforward', commit: 'abc1234' }, { incident: 'I' });
    expect(status(input({ ledger: { where: 't', events: [glass, fixed] } }), 'break-glass-reconciled').status).toBe(
      'pass',
    );
  });

  it('says there is no ledger rather than passing', () => {
    for (const id of ['pause-scoped', 'break-glass-reconciled', 'rollback-evidence']) {
      const item = status(input({ ledger: null }), id);
      expect(item.status).toBe('unknown');
      expect(item.evidence[0]).toMatch(/^no ledger/);
    }
  });
});

describe('the tree', () => {
  const image = (ref: string, pinned: boolean, production: boolean, retention: 'present' | 'missing' | 'unknown') => ({
    ref,
    file: 'f.yaml',
    line: 1,
    pinned,
    production,
    retention,
    ...(pinned ? {} : { why: 'tag 1' }),
  });
  it.each([
    ['pass', [image('a@sha256:1', true, true, 'present')], true],
    ['partial', [image('a@sha256:1', true, true, 'unknown')], true],
    ['partial', [image('a@sha256:1', true, true, 'present')], false],
    ['partial', [image('a:1', false, false, 'unknown'), image('b@sha256:1', true, true, 'present')], true],
    ['fail', [image('a:1', false, true, 'unknown')], true],
    ['fail', [image('a@sha256:1', true, false, 'missing')], true],
  ] as const)('images: %s', (expected, images, live) => {
    expect(status(input({ tree: { source: 't', images: [...images], modules: [], live } }), 'digests').status).toBe(
      expected,
    );
  });
});

describe('the overall score and the trend', () => {
  it('averages pass 1, partial 0.5 and fail 0 over the decided items', () => {
    expect(overallScore([{ status: 'pass' }, { status: 'partial' }, { status: 'fail' }, { status: 'unknown' }])).toBe(
      50,
    );
    expect(overallScore([{ status: 'unknown' }])).toBeNull();
  });
  it.each([
    ['pass', 'partial', 'up'],
    ['fail', 'partial', 'down'],
    ['unknown', 'fail', 'down'],
    ['partial', 'partial', 'same'],
    ['pass', undefined, 'new'],
  ] as const)('%s after %s is %s', (now, before, trend) => {
    expect(trendOf(now, before)).toBe(trend);
  });
  it('compares with the last run of the same repository only', () => {
    const mine = event('score.recorded', {
      repository: 'github.com/acme/shop',
      head: 'x',
      items: { declarations: 'fail' },
    });
    const theirs = event('score.recorded', {
      repository: 'github.com/acme/other',
      head: 'y',
      items: { declarations: 'pass' },
    });
    const r = scoreReport(
      input({
        changes: [change(1, { declaration: { rollbackClass: 'fully-reversible', source: 'a' } })],
        ledger: { where: 't', events: [mine, theirs] },
      }),
    );
    expect(r.previous?.seq).toBe(mine.seq);
    expect(r.items.find((i) => i.id === 'declarations')).toMatchObject({ trend: 'up', previous: 'fail' });
  });
});

describe('lint findings over the targets', () => {
  it('marks the artifact a lint smell names as not pinned, and adds what the targets did not list', () => {
    const config = { ...defaultConfig(), environments: { prod: { paths: ['prod/**'] } } } as ReturnType<
      typeof defaultConfig
    >;
    const facts = withLintFindings(
      {
        source: 'targets',
        live: true,
        images: [
          { ref: 'a@sha256:1', file: 'prod/a.yaml', line: 3, pinned: true, production: true, retention: 'present' },
        ],
        modules: [],
      },
      [
        finding('kubernetes/mutable-image-tag', { file: 'prod/a.yaml', line: 3, message: 'tag moved off its digest' }),
        finding('terraform/module-source-unpinned', { file: 'prod/main.tf', line: 1, object: 'module.vpc' }),
        finding('flux/suspend-committed', { file: 'prod/k.yaml', line: 1 }),
      ],
      config,
    );
    expect(facts.images).toEqual([
      expect.objectContaining({
        ref: 'a@sha256:1',
        pinned: false,
        why: 'tag moved off its digest',
        retention: 'present',
      }),
    ]);
    expect(facts.modules).toEqual([
      expect.objectContaining({
        ref: 'module.vpc',
        file: 'prod/main.tf',
        pinned: false,
        production: true,
        retention: 'unknown',
      }),
    ]);
    const item = status(input({ tree: facts, config }), 'iac-pinned');
    expect(item.status).toBe('fail');
  });
});

describe('controller upgrades', () => {
  const declared = { rollbackClass: 'fully-reversible', rollbackMethod: 'git revert', source: 'a.yaml' } as const;
  it('passes a declared upgrade rolled to one ring, fails the same upgrade made in a base every environment builds', () => {
    const ring = change(1, { declaration: declared, findings: [finding('controllers/controller-upgraded')] });
    expect(status(input({ changes: [ring] }), 'controller-upgrades').status).toBe('pass');
    const shared = change(2, {
      declaration: declared,
      findings: [finding('controllers/controller-upgraded'), finding('controllers/shared-base-upgrade')],
    });
    const item = status(input({ changes: [shared] }), 'controller-upgrades');
    expect(item.status).toBe('fail');
    expect(item.evidence.join('\n')).toMatch(/upgraded in a base every environment builds, with no ring: /);
  });
});
