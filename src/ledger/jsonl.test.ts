import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { exportLine, parseExport } from './jsonl.js';
import { Ledger, type NewEvent } from './store.js';
import { testStores } from '../testing/ledger/stores.js';
import { verifyLedger } from './verify.js';

const stores = testStores();

const ev = (i: number): NewEvent => ({
  type: 'change.merged',
  subject: { change: `CHG-${i}`, incident: null, service: null, environment: null },
  occurredAt: `2026-01-05T09:0${i}:00.000Z`,
  actor: 'ci',
  payload: { commit: `c${i}`, branch: 'main' },
});

async function exported(l: Ledger): Promise<string> {
  const id = await l.ledgerId();
  return (await l.select()).map((e) => exportLine(e, id)).join('\n') + '\n';
}

describe.each(stores.kinds)('%s: export and import', (kind) => {
  it('round-trips a ledger into an empty one, identical hash for hash, and imports the same file twice harmlessly', async () => {
    const a = await Ledger.open(await stores.fresh(kind), { create: true });
    const b = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      await a.append([1, 2, 3, 4].map(ev));
      const text = await exported(a);
      const events = parseExport(text, 'x.jsonl');
      expect(await b.appendChained(events)).toEqual({ added: 4, skipped: 0 });
      expect(await b.select()).toEqual(await a.select());
      expect(await b.head()).toEqual(await a.head());
      expect(await verifyLedger(b)).toMatchObject({ ok: true, events: 4 });
      expect(await b.appendChained(events)).toEqual({ added: 0, skipped: 4 });
      // A later export of the source continues what was imported.
      await a.append([5, 6].map(ev));
      expect(await b.appendChained(parseExport(await exported(a), 'x.jsonl'))).toEqual({ added: 2, skipped: 4 });
      expect(await verifyLedger(b)).toMatchObject({ ok: true, events: 6 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a file that does not continue the ledger, and imports nothing', async () => {
    const a = await Ledger.open(await stores.fresh(kind), { create: true });
    const b = await Ledger.open(await stores.fresh(kind), { create: true });
    try {
      await a.append([1, 2].map(ev));
      await b.append([ev(9)]);
      const events = parseExport(await exported(a), 'x.jsonl');
      await expect(b.appendChained(events)).rejects.toThrow(
        /event #1 of the file \(.+\) differs from event #1 of the ledger \(.+\): the file is not a continuation of this ledger; nothing was imported/,
      );
      // A segment that starts after the head.
      const c = await Ledger.open(await stores.fresh(kind), { create: true });
      try {
        await expect(c.appendChained(events.slice(1))).rejects.toThrow(
          /the file continues a chain at event #1 .* but the ledger's head is #0 .*: nothing was imported/,
        );
        expect((await c.head()).seq).toBe(0);
      } finally {
        await c.close();
      }
      expect((await b.head()).seq).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('reading an export', () => {
  it('verifies the file as a chain and names the line that breaks it', async () => {
    const l = await Ledger.open(await stores.fresh('sqlite'), { create: true });
    let lines: string[];
    try {
      await l.append([1, 2, 3].map(ev));
      lines = (await exported(l)).trim().split('\n');
    } finally {
      await l.close();
    }
    const edited = lines.map((x, i) => (i === 1 ? x.replace('"commit":"c2"', '"commit":"c2-evil"') : x)).join('\n');
    expect(() => parseExport(edited, 'x.jsonl')).toThrow(
      /x\.jsonl:2: event #2 \(change\.merged change CHG-2, id .*\) was edited: its content does not match its hash; nothing was imported/,
    );
    const dropped = [lines[0], lines[2]].join('\n');
    expect(() => parseExport(dropped, 'x.jsonl')).toThrow(
      /x\.jsonl:2: event #2 is missing \(deleted\): #1 is followed by #3; nothing was imported/,
    );
    const badType = lines[0]!.replace('"type":"change.merged"', '"type":"change.exploded"');
    expect(() => parseExport(badType, 'x.jsonl')).toThrow(/x\.jsonl:1: unknown event type "change\.exploded"/);
    const badPayload = lines[0]!.replace('"branch":"main"', '"brnch":"main"');
    expect(() => parseExport(badPayload, 'x.jsonl')).toThrow(
      /x\.jsonl:1: the payload does not match change\.merged: unknown key "brnch"/,
    );
    expect(() => parseExport('{"seq": 1}\n', 'x.jsonl')).toThrow(InputError);
    expect(() => parseExport('not json\n', 'x.jsonl')).toThrow(/x\.jsonl:1: not JSON/);
    expect(() => parseExport('\n\n', 'x.jsonl')).toThrow(/no events in the file/);
    // A segment (an export --since) parses: its first link is checked against the ledger on import.
    expect(parseExport(lines.slice(1).join('\n'), 'x.jsonl').map((e) => e.seq)).toEqual([2, 3]);
  });
});
