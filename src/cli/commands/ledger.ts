import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { InputError, UsageError } from '../../core/errors.js';
import type { Head } from '../../ledger/chain.js';
import type { CheckpointReport, SignedCheckpoint } from '../../ledger/checkpoint.js';
import type { Ledger } from '../../ledger/store.js';
import type { CommandResult } from '../command.js';
import type { Where } from '../ledger-support.js';
import { defineCommand, subcommand, type OptionTable } from '../define.js';
import { isoTime, outputOption } from '../flags.js';
import { KEY_HELP } from '../signing-key.js';
import { STORE_OPTIONS } from '../store-options.js';
import type { Witness } from '../witness.js';

const WITNESS = {
  witness: {
    type: 'string',
    metavar: 'W',
    repeatable: true,
    description: 'an external witness of the checkpoints: FILE or git:DIR[#REF]',
    details:
      'verify also checks that the store still holds what the witness holds, so a store rewritten whole, checkpoints included, is caught',
  },
} as const satisfies OptionTable;

const TEXT_OR_JSON = (schema: string) => outputOption({ text: '', json: `schema ${schema}` });

export const command = defineCommand({
  name: 'ledger',
  usage: [
    'rollwright ledger verify [--checkpoints] [--key PUB ...] [--witness W ...] [-o text|json] [flags]',
    'rollwright ledger checkpoint [--key KEY] [--witness W ...] [-o text|json] [flags]',
    'rollwright ledger export [--since TIME] [-o jsonl|cdevents] [flags]',
    'rollwright ledger import FILE [flags]',
  ],
  subcommands: {
    verify: subcommand({
      summary:
        'walk the hash chain from the first event to the head; report the first broken link (an edited, deleted, reordered or added event, or a row outside 1..head) and exit 1; with --checkpoints, --key or --witness, also check it against the signed checkpoints',
      options: {
        checkpoints: {
          type: 'boolean',
          description: 'also check the chain against the signed checkpoints in the store',
          details:
            'a checkpoint whose signed hash no longer matches the event at its number is a rewrite; one beyond the head, a truncation. --key or --witness implies it',
        },
        key: {
          type: 'string',
          metavar: 'PUB',
          repeatable: true,
          description: 'a public key the checkpoints must be signed by',
          details: 'without it, the signatures are checked for consistency, not against a key you trust',
        },
        ...WITNESS,
        ...STORE_OPTIONS,
        output: TEXT_OR_JSON('rollwright.ledger-verify/v1'),
      },
      run: (opts) => verify(opts, opts.output, opts.checkpoints, opts.key ?? [], opts.witness ?? []),
    }),
    checkpoint: subcommand({
      summary:
        'sign the head (sequence number, hash, ledger id, time) with an Ed25519 key, after verifying the chain and the checkpoints already stored (a broken or rewritten chain is not signed: exit 1); store it, and append it to each --witness (run it again to retry a witness that failed: the stored checkpoint is appended where it is missing)',
      options: {
        key: {
          type: 'string',
          metavar: 'KEY',
          env: 'ROLLWRIGHT_SIGNING_KEY',
          several: 'ledger checkpoint signs with one --key',
          description: 'the private key to sign with',
          details: 'the variable holds the PEM itself',
        },
        ...WITNESS,
        ...STORE_OPTIONS,
        output: TEXT_OR_JSON('rollwright.ledger-checkpoint/v1'),
      },
      run: (opts) => checkpoint(opts, opts.output, opts.key, opts.witness ?? []),
    }),
    export: subcommand({
      summary:
        'write the events as JSON lines in chain order, each with its hashes and its CDEvent (-o jsonl), or the CDEvents alone (-o cdevents)',
      options: {
        since: {
          type: 'string',
          metavar: 'TIME',
          parse: isoTime,
          description:
            'start at the first event recorded at or after TIME (ISO 8601 with a zone), so the output is a verifiable chain segment',
          details: 'import can append it to a ledger holding what precedes it',
        },
        ...STORE_OPTIONS,
        output: outputOption({ jsonl: 'events with their hashes and CDEvents', cdevents: 'the CDEvents alone' }),
      },
      run: (opts) => exportLedger(opts, opts.output, opts.since),
    }),
    import: subcommand({
      summary:
        'verify a jsonl export as a chain and append it: into an empty ledger, or one whose head the file continues; events already present are skipped. All or nothing',
      args: [{ name: 'FILE', description: 'a jsonl export (ledger export -o jsonl)' }],
      options: STORE_OPTIONS,
      run: (opts, args) => {
        if (args.length !== 1) throw new UsageError('ledger import needs one FILE (a jsonl export)');
        return importFile(args[0]!, opts);
      },
    }),
  },
  notes: `Witnesses (W): FILE appends one JSON line per checkpoint to a file; git:DIR[#REF] appends it to a git note in the repository at DIR (REF default refs/notes/rollwright-checkpoints; push it to share it). What the chain and the checkpoints prove, and what they do not: docs/ledger.md.

${KEY_HELP}`,
  exitCodes: {
    0: 'ok',
    1: 'the chain is broken or a checkpoint does not hold',
    2: 'usage or input error (a bad import file: nothing imported)',
    3: 'internal error',
  },
});

async function verify(
  values: Where,
  format: 'text' | 'json',
  checkpoints: boolean,
  keyRefs: string[],
  witnessSpecs: string[],
): Promise<CommandResult> {
  // --key and --witness are about checkpoints: either asks for them.
  const withCheckpoints = checkpoints || keyRefs.length > 0 || witnessSpecs.length > 0;
  const [{ withLedger }, { verifyLedger }, { publicKeys }, { parseWitness }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/verify.js'),
    import('../signing-key.js'),
    import('../witness.js'),
  ]);
  const trusted = await publicKeys(keyRefs, '--key');
  const witnesses = await Promise.all(witnessSpecs.map(parseWitness));
  const { r, id, where, store, reports } = await withLedger(values, false, async (l, store) => {
    const r = await verifyLedger(l);
    const id = await l.ledgerId();
    const reports = withCheckpoints ? await checkpointReports(l, id, r.head, trusted, witnesses) : [];
    return { r, id, where: l.where, store, reports };
  });
  const ok = r.ok && reports.every((x) => x.ok);
  if (format === 'json')
    return {
      stdout:
        JSON.stringify(
          {
            schema: 'rollwright.ledger-verify/v1',
            ok,
            store: where,
            storeSource: store.source,
            ledger: id,
            events: r.events,
            head: r.head,
            broken: r.broken ?? null,
            ...(withCheckpoints ? { checkpoints: reports } : {}),
          },
          null,
          2,
        ) + '\n',
      exitCode: ok ? 0 : 1,
    };
  const lines: string[] = [];
  const events = `${r.events} event${r.events === 1 ? '' : 's'}`;
  if (ok)
    lines.push(
      `ledger ok: ${events} in one chain, head #${r.head.seq} (${r.head.hash.slice(0, 12)}) in ${where} (${store.origin})`,
    );
  else if (!r.ok) {
    lines.push(`ledger verify FAILED in ${where} (${store.origin}): ${r.broken!.message}`);
    lines.push(`  ${events} verified before the break; the head records ${r.head.seq}`);
  } else {
    const first = reports.find((x) => !x.ok)!.problems[0]!;
    lines.push(`ledger verify FAILED in ${where} (${store.origin}): ${first}`);
    lines.push(
      `  the chain itself links up (${events}, head #${r.head.seq}), as a chain rewritten with recomputed hashes does`,
    );
  }
  for (const rep of reports) lines.push(...describeReport(rep));
  return { stdout: lines.join('\n') + '\n', exitCode: ok ? 0 : 1 };
}

/** The store's checkpoints, then each witness's, checked against the chain as it stands. */
async function checkpointReports(
  l: Ledger,
  ledgerId: string,
  head: Head,
  trusted: KeyObject[],
  witnesses: Witness[],
): Promise<CheckpointReport[]> {
  const [{ storedCheckpoints, checkCheckpoints, compareWithStore }, { readWitness }] = await Promise.all([
    import('../../ledger/checkpoint.js'),
    import('../witness.js'),
  ]);
  const rows = await storedCheckpoints(l);
  const stored = rows.flatMap((x) => (x.ok ? [x.checkpoint] : []));
  const reports = [
    await checkCheckpoints(l, stored, {
      source: 'store',
      trusted,
      ledgerId,
      head,
      malformed: rows.flatMap((x) => (x.ok ? [] : [x.problem])),
    }),
  ];
  for (const w of witnesses) {
    const { entries, malformed } = await readWitness(w, ledgerId);
    const rep = await checkCheckpoints(l, entries, { source: w.name, trusted, ledgerId, head, malformed });
    rep.problems.push(...compareWithStore(entries, stored, ledgerId));
    if (rep.checked === 0)
      rep.problems.push(
        `the witness holds no checkpoint of ledger ${ledgerId}` +
          (rep.otherLedgers ? ` (it holds ${rep.otherLedgers} of other ledgers: was the ledger's id replaced?)` : ''),
      );
    rep.ok = rep.problems.length === 0;
    reports.push(rep);
  }
  return reports;
}

function describeReport(rep: CheckpointReport): string[] {
  const name = rep.source === 'store' ? 'checkpoints in the store' : `witness ${rep.source}`;
  const n = `${rep.checked} checkpoint${rep.checked === 1 ? '' : 's'}`;
  const signers = new Set(rep.checks.map((c) => c.signature));
  const trust = signers.has('trusted')
    ? 'signed by a key given'
    : rep.checked
      ? 'signatures consistent, not checked against a trusted key (pass --key PUB)'
      : '';
  if (rep.ok) {
    if (rep.checked === 0) return [`  ${name}: none (nothing anchors this chain yet: rollwright ledger checkpoint)`];
    return [
      `  ${name}: ${n}, all hold; the latest, #${rep.lastGood!.seq} signed ${rep.lastGood!.time}${trust ? `; ${trust}` : ''}`,
    ];
  }
  return [
    `  ${name}: ${n} checked, ${rep.problems.length} problem${rep.problems.length === 1 ? '' : 's'}:`,
    ...rep.problems.map((p) => `    - ${p}`),
  ];
}

async function checkpoint(
  values: Where,
  format: 'text' | 'json',
  keyRef: string | undefined,
  witnessSpecs: string[],
): Promise<CommandResult> {
  const [{ withLedger }, { verifyLedger }, { signingKey, SIGNING_KEY_ENV }, witnessLib, cp, { ChainBrokenError }] =
    await Promise.all([
      import('../ledger-support.js'),
      import('../../ledger/verify.js'),
      import('../signing-key.js'),
      import('../witness.js'),
      import('../../ledger/checkpoint.js'),
      import('../../ledger/errors.js'),
    ]);
  const key = await signingKey(keyRef);
  if (!key)
    throw new UsageError(`ledger checkpoint needs a signing key: --key FILE, --key env:NAME, or ${SIGNING_KEY_ENV}`);
  const witnesses = await Promise.all(witnessSpecs.map(witnessLib.parseWitness));
  for (const w of witnesses) await witnessLib.checkWitness(w);
  const done = await withLedger(values, false, async (l) => {
    const check = await verifyLedger(l);
    if (!check.ok)
      throw new ChainBrokenError(
        `${l.where}: the ledger does not verify, so its head is not signed: ${check.broken!.message}; run \`rollwright ledger verify\``,
      );
    if (check.head.seq === 0) throw new InputError('the ledger has no events: there is no head to sign', l.where);
    const ledgerId = await l.ledgerId();
    const [prior] = await checkpointReports(l, ledgerId, check.head, [], []);
    if (!prior!.ok)
      throw new ChainBrokenError(
        `${l.where}: the chain does not match its checkpoints, so its head is not signed: ${prior!.problems[0]}; run \`rollwright ledger verify --checkpoints\``,
      );
    const signed = cp.signCheckpoint(
      { ledger: ledgerId, seq: check.head.seq, hash: check.head.hash, time: new Date().toISOString() },
      key,
    );
    const saved = await cp.saveCheckpoint(l, signed);
    return { where: l.where, ...saved };
  });
  // The witnesses are written after the store: a witness never holds a checkpoint the store lacks.
  const results: Array<{ witness: string; result: 'appended' | 'present' }> = [];
  for (const w of witnesses)
    results.push({ witness: w.name, result: await witnessLib.appendWitness(w, done.checkpoint) });
  return { stdout: renderCheckpoint(done, results, format), exitCode: 0 };
}

function renderCheckpoint(
  done: { where: string; checkpoint: SignedCheckpoint; added: boolean },
  witnesses: Array<{ witness: string; result: 'appended' | 'present' }>,
  format: 'text' | 'json',
): string {
  const c = done.checkpoint;
  if (format === 'json')
    return (
      JSON.stringify(
        { schema: 'rollwright.ledger-checkpoint/v1', store: done.where, added: done.added, checkpoint: c, witnesses },
        null,
        2,
      ) + '\n'
    );
  const lines = [
    `${done.added ? 'checkpoint' : 'already checkpointed:'} #${c.seq} (hash ${c.hash.slice(0, 12)}) of ledger ${c.ledger} signed ${c.time} by keyid ${c.keyid.slice(0, 16)}… in ${done.where}`,
    ...witnesses.map((w) => `  witness ${w.witness}: ${w.result === 'appended' ? 'appended' : 'already holds it'}`),
  ];
  return lines.join('\n') + '\n';
}

async function exportLedger(
  values: Where,
  format: 'jsonl' | 'cdevents',
  since: string | undefined,
): Promise<CommandResult> {
  const [{ openFromFlags }, { exportRow }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/jsonl.js'),
  ]);
  const { ledger } = await openFromFlags(values, false);
  let id: string;
  let after = 0;
  let until: number;
  try {
    id = await ledger.ledgerId();
    // The chain as it stands: rows numbered 1 to the head (rows outside it are for verify to report).
    until = (await ledger.head()).seq;
    if (since !== undefined) {
      const r = await ledger.db
        .selectFrom('ledger_events')
        .select((eb) => eb.fn.min('seq').as('first'))
        .where('recorded_at', '>=', since)
        .where('seq', '>=', 1)
        .where('seq', '<=', until)
        .executeTakeFirst();
      after = r?.first === null || r?.first === undefined ? Number.MAX_SAFE_INTEGER : Number(r.first) - 1;
    }
  } catch (e) {
    await ledger.close();
    throw e;
  }
  async function* lines(): AsyncGenerator<string> {
    try {
      for await (const page of ledger.pages({ afterSeq: after, untilSeq: until })) {
        let chunk = '';
        for (const row of page) chunk += exportRow(row, id, format) + '\n';
        yield chunk;
      }
    } finally {
      await ledger.close();
    }
  }
  return { stdout: '', exitCode: 0, stream: lines() };
}

async function importFile(file: string, values: Where): Promise<CommandResult> {
  const [{ withLedger }, { parseExport }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/jsonl.js'),
  ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file);
  }
  // The whole file is verified before the ledger is opened: a bad file creates nothing.
  const events = parseExport(text, file);
  const r = await withLedger(values, true, async (l) => ({ ...(await l.appendChained(events)), head: await l.head() }));
  return {
    stdout:
      `imported ${r.added} event${r.added === 1 ? '' : 's'}` +
      (r.added ? ` (#${events[events.length - r.added]!.seq}–#${events[events.length - 1]!.seq})` : '') +
      `, ${r.skipped} already present; head #${r.head.seq} (${r.head.hash.slice(0, 12)})\n`,
    exitCode: 0,
  };
}
