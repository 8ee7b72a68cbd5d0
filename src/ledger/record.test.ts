import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../core/errors.js';
import { actorOf, checkInput, prepareEvent, recordEvent, type RecordInput } from './record.js';
import { Ledger } from './store.js';
import { testStores } from '../testing/ledger/stores.js';

const stores = testStores();
const NOW = Date.parse('2026-01-05T12:00:00Z');

const deployed: RecordInput = {
  type: 'change.deployed',
  change: 'CHG-1',
  service: 'checkout',
  environment: 'prod',
  at: '2026-01-05T09:00:00Z',
  actor: 'argocd',
  payload: { artifact: `sha256:${'b'.repeat(64)}` },
  now: NOW,
};
const detected: RecordInput = {
  type: 'incident.detected',
  incident: 'INC-1',
  change: 'CHG-1',
  at: '2026-01-05T09:04:00Z',
  actor: 'alertmanager',
  payload: {},
  now: NOW,
};

describe('checks before the ledger is touched', () => {
  it.each<[string, Partial<RecordInput>, typeof UsageError | typeof InputError, RegExp]>([
    [
      'an unknown event type',
      { type: 'incident.exploded' },
      UsageError,
      /unknown event type "incident\.exploded"; the event types are: change\.declared, /,
    ],
    [
      'a future time',
      { at: '2026-01-05T13:00:00Z' },
      InputError,
      /--at: "2026-01-05T13:00:00Z" is in the future \(now is 2026-01-05T12:00:00\.000Z\)/,
    ],
    [
      'an unparseable time',
      { at: 'yesterday 9am' },
      InputError,
      /--at: "yesterday 9am" is not an ISO 8601 time with a zone/,
    ],
    ['a time without a zone', { at: '2026-01-05T09:00:00' }, InputError, /is not an ISO 8601 time with a zone/],
    [
      'a payload that does not match',
      { payload: { artefact: 'x' } },
      InputError,
      /the payload does not match change\.deployed:\n {2}- unknown key "artefact" \(known: artifact, version, commit, phase, log\)\nnothing was recorded/,
    ],
    [
      'a missing change',
      { change: undefined },
      UsageError,
      /change\.deployed is recorded for a change: pass --change ID/,
    ],
    [
      'an incident on a change event',
      { incident: 'INC-1' },
      UsageError,
      /change\.deployed is about a change, not an incident: drop --incident/,
    ],
    ['a deployment without a service', { service: undefined }, UsageError, /change\.deployed needs --service NAME/],
    [
      'a control character in an id',
      { change: 'CHG\n1' },
      UsageError,
      /--change: must be 1 to 256 characters without control characters/,
    ],
  ])('refuses %s', (_name, over, cls, message) => {
    const err = (() => {
      try {
        checkInput({ ...deployed, ...over });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses incident events without an incident, and a declaration for another change', () => {
    expect(() => checkInput({ type: 'decision.made', change: 'CHG-1', payload: { transition: 'rollback' } })).toThrow(
      /decision\.made is recorded for an incident: pass --incident ID/,
    );
    expect(() => checkInput({ type: 'evidence.attached', payload: { item: 'approval', ref: 'x' } })).toThrow(
      /evidence\.attached is recorded for a change or an incident: pass --change ID or --incident ID/,
    );
    expect(() => checkInput({ type: 'change.declared', change: 'CHG-1', payload: { id: 'CHG-2' } })).toThrow(
      /the declaration's id "CHG-2" is not the change being recorded \("CHG-1"\)/,
    );
  });

  it('takes the actor from --actor, else ROLLWRIGHT_ACTOR, else the user', () => {
    expect(actorOf('alice', {})).toBe('alice');
    expect(actorOf(undefined, { ROLLWRIGHT_ACTOR: 'ci-bot' })).toBe('ci-bot');
    expect(actorOf(undefined, {})).toMatch(/.+/);
  });
});

describe.each(stores.kinds)('%s: checks against the ledger', (kind) => {
  it('refuses an event for an incident that does not exist, and a second detection; writes nothing', async () => {
    const l = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      await recordEvent(l, deployed);
      const head = await l.head();
      const err = await prepareEvent(l, {
        type: 'decision.made',
        incident: 'INC-404',
        payload: { transition: 'rollback' },
        now: NOW,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toBe(
        'no incident INC-404 in the ledger: record `incident.detected --incident INC-404` first; nothing was recorded',
      );
      await recordEvent(l, detected);
      await expect(prepareEvent(l, detected)).rejects.toThrow(
        /incident INC-1 was already detected \(event #2 at 2026-01-05T09:04:00\.000Z\); nothing was recorded/,
      );
      expect((await l.head()).seq).toBe(head.seq + 1);
    } finally {
      await l.close();
    }
  });

  it('fills in what the ledger knows: the detection’s service and environment from the deployment, incident events from the detection', async () => {
    const l = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      await recordEvent(l, deployed);
      const d = await recordEvent(l, detected);
      expect(d.subject).toEqual({ change: 'CHG-1', incident: 'INC-1', service: 'checkout', environment: 'prod' });
      const v = await recordEvent(l, {
        type: 'evidence.attached',
        incident: 'INC-1',
        payload: { item: 'approval', ref: 'CAB-1' },
        now: NOW,
      });
      expect(v.subject).toEqual({ change: 'CHG-1', incident: 'INC-1', service: 'checkout', environment: 'prod' });
      expect(v.occurredAt).toBe('2026-01-05T12:00:00.000Z');
      // A deployment's environment can come from the change's declaration.
      await recordEvent(l, { type: 'change.declared', change: 'CHG-2', payload: { environment: 'staging' }, now: NOW });
      const d2 = await recordEvent(l, {
        type: 'change.deployed',
        change: 'CHG-2',
        service: 'web',
        payload: {},
        now: NOW,
      });
      expect(d2.subject.environment).toBe('staging');
      await expect(
        prepareEvent(l, { type: 'change.deployed', change: 'CHG-3', service: 'web', payload: {}, now: NOW }),
      ).rejects.toThrow(/change\.deployed needs --env NAME/);
    } finally {
      await l.close();
    }
  });
});
