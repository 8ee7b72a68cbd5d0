import { STORE_HELP, STORE_OPTIONS } from '../store-options.js';
import { KEY_HELP } from '../signing-key.js';
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import type { CheckpointReport, SignedCheckpoint } from '../../ledger/checkpoint.js';
import type { Ledger } from '../../ledger/store.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright ledger verify [--checkpoints] [--key PUB ...] [--witness W ...] [-o text|json] [flags]
       rollwright ledger checkpoint [--key KEY] [--witness W ...] [-o text|json] [flags]
       rollwright ledger export [--since TIME] [-o jsonl|cdevents] [flags]
       rollwright ledger import FILE [flags]

  verify      walk the hash chain from the first event to the head; report the first broken link
              (an edited, deleted, reordered or added event, or a row outside 1..head) and exit 1.
              --checkpoints also checks the chain against every signed checkpoint in the store (a
              checkpoint whose signed hash no longer matches the event at its number is a rewrite; one
              beyond the head, a truncation); --witness W checks it against a witness's checkpoints,
              and that the store still holds them (a store rewritten whole, checkpoints included, is
              caught). --key PUB: the checkpoints must be signed by this key (repeatable)
  checkpoint  sign the head (sequence number, hash, ledger id, time) with an Ed25519 key, after
              verifying the chain and the checkpoints already stored (a broken or rewritten chain is
              not signed: exit 1); store it, and append it to each --witness (run it again to retry a
              witness that failed: the stored checkpoint is appended where it is missing)
  export      write the events as JSON lines in chain order, each with its hashes and its CDEvent
              (-o jsonl, the default), or the CDEvents alone (-o cdevents). --since TIME starts at the
              first event recorded at or after TIME, so the output is a verifiable chain segment
  import      verify a jsonl export as a chain and append it: into an empty ledger, or one whose head
              the file continues; events already present are skipped. All or nothing

Witnesses (W): FILE appends one JSON line per checkpoint to a file; git:DIR[#REF] appends it to a git
note in the repository at DIR (REF default refs/notes/rollwright-checkpoints; push it to share it).
What the chain and the checkpoints prove, and what they do not: docs/ledger.md.

${KEY_HELP}

Flags:
      --checkpoints       (verify) check the chain against the signed checkpoints in the store
      --key KEY           (checkpoint) the private key to sign with (default: ROLLWRIGHT_SIGNING_KEY);
                          (verify) a public key the checkpoints must be signed by (repeatable)
      --witness W         (checkpoint, verify) an external witness (repeatable)
      --since TIME        (export) ISO 8601 time with a zone
${STORE_HELP}
      --repo DIR          the repository: its default ledger and .rollwright.yaml (default: .)
  -o, --output FORMAT     verify, checkpoint: text (default) or json; export: jsonl (default) or cdevents
  -h, --help              show this help

Exit codes: 0 ok, 1 the chain is broken or a checkpoint does not hold, 2 usage or input error (a bad
import file: nothing imported), 3 internal error.`;

const SUBCOMMANDS = 'verify, checkpoint, export or import';

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      since: { type: 'string' },
      checkpoints: { type: 'boolean' },
      key: { type: 'string', multiple: true },
      witness: { type: 'string', multiple: true },
      ...STORE_OPTIONS,
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const [sub, ...rest] = positionals;
  switch (sub) {
    case 'verify':
      noMore(sub, rest, values, ['since']);
      return verify(values);
    case 'checkpoint':
      noMore(sub, rest, values, ['since', 'checkpoints']);
      return checkpoint(values);
    case 'export':
      noMore(sub, rest, values, ['checkpoints', 'key', 'witness']);
      return exportLedger(values);
    case 'import':
      if (rest.length !== 1) throw new UsageError('ledger import needs one FILE (a jsonl export)');
      noMore(sub, [], values, ['since', 'output', 'checkpoints', 'key', 'witness']);
      return importFile(rest[0]!, values);
    case undefined:
      throw new UsageError(`ledger needs a subcommand: ${SUBCOMMANDS}`);
    default:
      throw new UsageError(`unknown ledger subcommand ${JSON.stringify(sub)}: ${SUBCOMMANDS}`);
  }
}

type Values = Record<string, string | boolean | string[] | undefined>;

function noMore(sub: string, rest: string[], values: Values, flags: string[]): void {
  if (rest.length) throw new UsageError(`ledger ${sub} takes no arguments, got ${rest.join(' ')}`);
  for (const f of flags) if (values[f] !== undefined) throw new UsageError(`ledger ${sub} does not take --${f}`);
}

async function verify(values: Values): Promise<CommandResult> {
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
  const keyRefs = (values.key as string[] | undefined) ?? [];
  const witnessSpecs = (values.witness as string[] | undefined) ?? [];
  // --key and --witness are about checkpoints: either asks for them.
  const withCheckpoints = values.checkpoints === true || keyRefs.length > 0 || witnessSpecs.length > 0;
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
  head: import('../../ledger/chain.js').Head,
  trusted: import('node:crypto').KeyObject[],
  witnesses: Array<import('../witness.js').Witness>,
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

async function checkpoint(values: Values): Promise<CommandResult> {
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
  const keyRefs = (values.key as string[] | undefined) ?? [];
  if (keyRefs.length > 1) throw new UsageError('ledger checkpoint signs with one --key');
  const [{ withLedger }, { verifyLedger }, { signingKey, SIGNING_KEY_ENV }, witnessLib, cp, { ChainBrokenError }] =
    await Promise.all([
      import('../ledger-support.js'),
      import('../../ledger/verify.js'),
      import('../signing-key.js'),
      import('../witness.js'),
      import('../../ledger/checkpoint.js'),
      import('../../ledger/errors.js'),
    ]);
  const key = await signingKey(keyRefs[0]);
  if (!key)
    throw new UsageError(`ledger checkpoint needs a signing key: --key FILE, --key env:NAME, or ${SIGNING_KEY_ENV}`);
  const witnesses = await Promise.all(((values.witness as string[] | undefined) ?? []).map(witnessLib.parseWitness));
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

async function exportLedger(values: Values): Promise<CommandResult> {
  const format = oneOf('--output', values.output as string | undefined, ['jsonl', 'cdevents'] as const, 'jsonl');
  const [{ openFromFlags, timeFlag }, { exportRow }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/jsonl.js'),
  ]);
  const since = timeFlag('--since', values.since as string | undefined, true);
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

async function importFile(file: string, values: Values): Promise<CommandResult> {
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
