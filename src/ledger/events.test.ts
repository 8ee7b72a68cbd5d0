import { describe, expect, it } from 'vitest';
import { knownKeys, PAYLOAD_SCHEMAS, SUBJECT_RULES, summarize, validatePayload } from './events.js';
import { EVENT_TYPES, EVIDENCE_ITEMS, type EventType } from '../core/vocabulary.js';

describe('the event vocabulary', () => {
  it('has a payload schema and a subject rule for every type, and nothing else', () => {
    expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(SUBJECT_RULES).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TYPES).toEqual([
      'change.declared',
      'change.assessed',
      'change.merged',
      'change.deployed',
      'incident.detected',
      'decision.made',
      'pause.started',
      'pause.ended',
      'recovery.executed',
      'recovery.verified',
      'evidence.attached',
      'incident.resolved',
      'postmortem.action',
      'score.recorded',
    ]);
    expect(EVIDENCE_ITEMS).toHaveLength(9);
  });

  const valid: Array<[EventType, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'change.declared',
      {
        rollbackClass: 'reversible-with-compatibility-window',
        rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' },
        verification: 'error-rate < 1%',
      },
      {
        rollbackClass: 'reversible-with-compatibility-window',
        rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' },
        verification: ['error-rate < 1%'],
      },
    ],
    [
      'change.declared',
      { rollbackWindow: '2h unless compromise suspected' },
      { rollbackWindow: '2h unless compromise suspected' },
    ],
    [
      'change.assessed',
      { class: 'forward-only', findings: '3', gate: 'failed' },
      { class: 'forward-only', findings: 3, gate: 'failed' },
    ],
    ['change.deployed', { artifact: 'sha256:abc', phase: 'contract' }, { artifact: 'sha256:abc', phase: 'contract' }],
    ['incident.detected', { 'started-at': '2026-01-05T10:58:00+02:00' }, { 'started-at': '2026-01-05T08:58:00.000Z' }],
    [
      'decision.made',
      { transition: 'rollforward', rationale: 'data changed' },
      { transition: 'rollforward', rationale: 'data changed' },
    ],
    ['recovery.executed', { transition: 'rollback', commit: '9f3c2a1' }, { transition: 'rollback', commit: '9f3c2a1' }],
    ['recovery.verified', {}, { result: 'passed' }],
    [
      'recovery.verified',
      { result: 'failed', checks: ['error-rate', 'latency'] },
      { result: 'failed', checks: ['error-rate', 'latency'] },
    ],
    [
      'evidence.attached',
      { item: 'approval', ref: 'https://tickets.example/CAB-7' },
      { item: 'approval', ref: 'https://tickets.example/CAB-7' },
    ],
    ['postmortem.action', { action: 'add a canary', owner: 'sre' }, { action: 'add a canary', owner: 'sre' }],
    ['incident.resolved', {}, {}],
    [
      'pause.started',
      { target: 'argocd/shop-web', controller: 'argocd' },
      { target: 'argocd/shop-web', controller: 'argocd' },
    ],
    [
      'score.recorded',
      { repository: 'github.com/acme/shop', head: 'abc', score: 64, items: { declarations: 'partial' } },
      { repository: 'github.com/acme/shop', head: 'abc', score: 64, items: { declarations: 'partial' } },
    ],
  ];

  it.each(valid)('%s accepts %j', (type, payload, normalised) => {
    expect(validatePayload(type, payload)).toEqual({ ok: true, payload: normalised });
  });

  it.each([
    ['evidence.attached', { itme: 'approval', ref: 'x' }, /unknown key "itme" \(known: item, ref, digest, note\)/],
    [
      'evidence.attached',
      { item: 'selfie', ref: 'x' },
      /^item: must be one of change-id, rollback-commit, artifact-digest, approval, policy-result, sync-log, health-metrics, drift-check, postmortem-action$/,
    ],
    ['evidence.attached', { item: 'approval' }, /^ref: is required$/],
    [
      'evidence.attached',
      { item: 'approval', ref: 'x', digest: 'md5:1' },
      /^digest: must be sha256:<64 lower-case hex digits>$/,
    ],
    ['decision.made', {}, /^transition: is required$/],
    [
      'decision.made',
      { transition: 'undo' },
      /^transition: must be one of rollback, rollforward, compensate, pause, abort-rollout, restore, repair-state, break-glass$/,
    ],
    ['change.assessed', { class: 'mostly-fine' }, /^class: must be one of fully-reversible, /],
    ['change.assessed', { class: 'forward-only', findings: 'many' }, /^findings: must be a whole number$/],
    ['recovery.verified', { checks: { a: 1 } }, /^checks: has the wrong form \(object\)$/],
    ['incident.resolved', { summary: 42 }, /^summary: must be string$/],
    ['incident.detected', { 'started-at': 'an hour ago' }, /^started-at: must be an ISO 8601 time with a zone/],
    [
      'change.declared',
      { rollbackWindow: '48' },
      /^rollbackWindow: must be a duration \(48h, 7d\) or an event condition/,
    ],
    ['change.deployed', { artifact: '' }, /^artifact: must not be empty$/],
    [
      'score.recorded',
      { repository: 'r', head: 'abc', items: { declarations: 'great' } },
      /^items\.declarations: must be one of pass, partial, fail, unknown$/,
    ],
    ['change.deployed', { artifact: 'a\u0000b' }, /^artifact: must not contain NUL characters$/],
  ] as Array<[EventType, Record<string, unknown>, RegExp]>)('%s refuses %j', (type, payload, message) => {
    const r = validatePayload(type, payload);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatch(message);
  });

  it('lists the keys of a type for messages', () => {
    expect(knownKeys('recovery.executed')).toEqual(['transition', 'commit', 'artifact', 'log']);
  });

  it('summarises payloads by the keys that matter', () => {
    expect(summarize('recovery.executed', { transition: 'rollback', commit: 'abc', log: 'x' })).toBe(
      'transition=rollback commit=abc',
    );
    expect(
      summarize('change.declared', { rollbackClass: 'fully-reversible', rollbackWindow: { appImage: '24h' } }),
    ).toBe('rollbackClass=fully-reversible rollbackWindow={appImage: 24h}');
  });
});
