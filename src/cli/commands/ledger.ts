import { STORE_OPTIONS } from '../store-options.js';
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright ledger verify [-o text|json] [flags]
       rollwright ledger export [--since TIME] [-o jsonl|cdevents] [flags]
       rollwright ledger import FILE [flags]

  verify   walk the hash chain from the first event to the head; report the first broken link
           (an edited, deleted, reordered or added event) and exit 1
  export   write the events as JSON lines in chain order, each with its hashes and its CDEvent
           (-o jsonl, the default), or the CDEvents alone (-o cdevents). --since TIME starts at the
           first event recorded at or after TIME, so the output is a verifiable chain segment
  import   verify a jsonl export as a chain and append it: into an empty ledger, or one whose head
           the file continues; events already present are skipped. All or nothing

Flags:
      --since TIME        (export) ISO 8601 time with a zone
      --store STORE       sqlite:PATH or postgres://user@host:5432/db (default: ROLLWRIGHT_STORE, else
                          sqlite:<repo>/.rollwright/ledger.db)
      --repo DIR          where the default ledger is (default: .)
  -o, --output FORMAT     verify: text (default) or json; export: jsonl (default) or cdevents
  -h, --help              show this help

Exit codes: 0 ok, 1 the chain is broken, 2 usage or input error (a bad import file: nothing imported), 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      since: { type: 'string' },
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
    case 'export':
      noMore(sub, rest, values, []);
      return exportLedger(values);
    case 'import':
      if (rest.length !== 1) throw new UsageError('ledger import needs one FILE (a jsonl export)');
      noMore(sub, [], values, ['since', 'output']);
      return importFile(rest[0]!, values);
    case undefined:
      throw new UsageError('ledger needs a subcommand: verify, export or import');
    default:
      throw new UsageError(`unknown ledger subcommand ${JSON.stringify(sub)}: verify, export or import`);
  }
}

type Values = Record<string, string | boolean | string[] | undefined>;

function noMore(sub: string, rest: string[], values: Values, flags: string[]): void {
  if (rest.length) throw new UsageError(`ledger ${sub} takes no arguments, got ${rest.join(' ')}`);
  for (const f of flags) if (values[f] !== undefined) throw new UsageError(`ledger ${sub} does not take --${f}`);
}

async function verify(values: Values): Promise<CommandResult> {
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
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

async function exportLedger(values: Values): Promise<CommandResult> {
  const format = oneOf('--output', values.output as string | undefined, ['jsonl', 'cdevents'] as const, 'jsonl');
  const [{ openFromFlags, timeFlag }, { exportRow }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/jsonl.js'),
  ]);
  const since = timeFlag('--since', values.since as string | undefined, true);
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
