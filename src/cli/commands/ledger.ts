import { STORE_OPTIONS } from '../store-options.js';
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import type { CommandResult } from '../command.js';
import type { Where } from '../ledger-support.js';
import { defineCommand, subcommand } from '../define.js';
import { isoTime, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'ledger',
  usage: [
    'rollwright ledger verify [-o text|json] [flags]',
    'rollwright ledger export [--since TIME] [-o jsonl|cdevents] [flags]',
    'rollwright ledger import FILE [flags]',
  ],
  subcommands: {
    verify: subcommand({
      summary:
        'walk the hash chain from the first event to the head; report the first broken link (an edited, deleted, reordered or added event) and exit 1',
      options: { ...STORE_OPTIONS, output: outputOption({ text: '', json: 'schema rollwright.ledger-verify/v1' }) },
      run: (opts) => verify(opts, opts.output),
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
  exitCodes: {
    0: 'ok',
    1: 'the chain is broken',
    2: 'usage or input error (a bad import file: nothing imported)',
    3: 'internal error',
  },
});

async function verify(values: Where, format: 'text' | 'json'): Promise<CommandResult> {
  const [{ withLedger }, { verifyLedger }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/verify.js'),
  ]);
  const { r, id, where } = await withLedger(values, false, async (l) => ({
    r: await verifyLedger(l),
    id: await l.ledgerId(),
    where: l.where,
  }));
  if (format === 'json')
    return {
      stdout:
        JSON.stringify(
          {
            schema: 'rollwright.ledger-verify/v1',
            ok: r.ok,
            store: where,
            ledger: id,
            events: r.events,
            head: r.head,
            broken: r.broken ?? null,
          },
          null,
          2,
        ) + '\n',
      exitCode: r.ok ? 0 : 1,
    };
  const lines: string[] = [];
  if (r.ok)
    lines.push(
      `ledger ok: ${r.events} event${r.events === 1 ? '' : 's'} in one chain, head #${r.head.seq} (${r.head.hash.slice(0, 12)}) in ${where}`,
    );
  else {
    lines.push(`ledger verify FAILED in ${where}: ${r.broken!.message}`);
    lines.push(
      `  ${r.events} event${r.events === 1 ? '' : 's'} verified before the break; the head records ${r.head.seq}`,
    );
  }
  return { stdout: lines.join('\n') + '\n', exitCode: r.ok ? 0 : 1 };
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
  const ledger = await openFromFlags(values, false);
  let id: string;
  let after = 0;
  try {
    id = await ledger.ledgerId();
    if (since !== undefined) {
      const r = await ledger.db
        .selectFrom('ledger_events')
        .select((eb) => eb.fn.min('seq').as('first'))
        .where('recorded_at', '>=', since)
        .executeTakeFirst();
      after = r?.first === null || r?.first === undefined ? Number.MAX_SAFE_INTEGER : Number(r.first) - 1;
    }
  } catch (e) {
    await ledger.close();
    throw e;
  }
  async function* lines(): AsyncGenerator<string> {
    try {
      for await (const page of ledger.pages({ afterSeq: after })) {
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
