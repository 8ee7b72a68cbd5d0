import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import type { Head, LedgerEvent } from '../../ledger/chain.js';
import type { EvidenceView } from '../../ledger/evidence.js';
import type { Ledger } from '../../ledger/store.js';
import type { CommandResult } from '../command.js';
import type { Where } from '../ledger-support.js';
import { defineCommand, subcommand } from '../define.js';
import { CONFIG, outputOption } from '../flags.js';
import { KEY_HELP } from '../signing-key.js';
import { STORE_OPTIONS } from '../store-options.js';

type Values = Where & { config?: string };

const ID_ARG = { name: 'ID', description: 'an incident, or a change' } as const;

export const command = defineCommand({
  name: 'evidence',
  usage: [
    'rollwright evidence show ID [-o text|json|markdown] [flags]',
    'rollwright evidence attest ID [--key KEY] [flags]',
    'rollwright evidence verify FILE [--pub KEY] [flags]',
  ],
  subcommands: {
    show: subcommand({
      summary:
        'the timeline of an incident (or a change) and its evidence: each item present (with what proves it and who recorded it) or still owed. Required items come from .rollwright.yaml environments.<env>.evidence (default: all nine). The whole chain is verified first: the evidence of a broken ledger is not shown (exit 1)',
      args: [ID_ARG],
      options: {
        config: CONFIG,
        ...STORE_OPTIONS,
        output: outputOption({ text: '', json: 'schema rollwright.evidence/v1', markdown: '' }),
      },
      run: (opts, args) => show(oneId('show', args), opts, opts.output),
    }),
    attest: subcommand({
      summary:
        'an in-toto Statement v1 (predicate https://rollwright.dev/attestation/evidence/v1) of the evidence; with --key (or ROLLWRIGHT_SIGNING_KEY), signed in a DSSE envelope with that Ed25519 private key. The whole chain is verified first: a broken ledger is not attested (exit 1)',
      args: [ID_ARG],
      options: {
        key: {
          type: 'string',
          metavar: 'KEY',
          env: 'ROLLWRIGHT_SIGNING_KEY',
          description: 'the private key to sign with (without one, the statement is not signed)',
          details: 'the variable holds the PEM itself',
        },
        config: CONFIG,
        ...STORE_OPTIONS,
      },
      run: (opts, args) => attest(oneId('attest', args), opts, opts.key),
    }),
    verify: subcommand({
      summary:
        'check an attestation: the DSSE signature with --pub (Ed25519 public key, PEM), and, when a ledger is at hand (--store, ROLLWRIGHT_STORE or the default file), that the attested events are in it unchanged and its chain verifies',
      args: [{ name: 'FILE', description: 'an attestation: a DSSE envelope, or an unsigned statement' }],
      options: {
        pub: { type: 'string', metavar: 'KEY', description: 'the public key to check the signature with' },
        ...STORE_OPTIONS,
      },
      run: (opts, args) => {
        if (args.length !== 1) throw new UsageError('evidence verify needs one FILE');
        return verifyAttestation(args[0]!, opts, opts.pub);
      },
    }),
  },
  notes: KEY_HELP,
  exitCodes: {
    0: 'ok',
    1: 'verification failed (bad signature, changed events, broken chain)',
    2: 'usage or input error',
    3: 'internal error',
  },
});

function oneId(sub: string, args: string[]): string {
  if (args.length !== 1) throw new UsageError(`evidence ${sub} needs one ID (an incident or a change)`);
  return args[0]!;
}

/** Loads the evidence view of an incident or change id. */
async function load(l: Ledger, id: string, values: Values): Promise<{ view: EvidenceView; events: LedgerEvent[] }> {
  const [{ loadLedgerConfig }, { evidenceView }] = await Promise.all([
    import('../../ledger/config.js'),
    import('../../ledger/evidence.js'),
  ]);
  const config = await loadLedgerConfig(values.repo ?? '.', values.config);
  const asIncident = await l.select({ incidents: [id] });
  const ofIncident = asIncident.filter((e) => e.subject.incident === id);
  let kind: 'incident' | 'change';
  let events: LedgerEvent[];
  if (ofIncident.length) {
    kind = 'incident';
    const change =
      ofIncident.find((e) => e.type === 'incident.detected')?.subject.change ??
      ofIncident.find((e) => e.subject.change)?.subject.change;
    const changeEvents = change
      ? (await l.select({ changes: [change] })).filter((e) => e.subject.incident === null)
      : [];
    events = [...ofIncident, ...changeEvents].sort((a, b) => a.seq - b.seq);
  } else {
    kind = 'change';
    events = await l.select({ changes: [id] });
    if (events.length === 0)
      throw new InputError(`no incident or change ${JSON.stringify(id)} in the ledger (${l.where})`);
  }
  return { view: evidenceView(id, kind, events, config), events };
}

/**
 * The whole chain must verify before its evidence is shown or attested: evidence read from a broken
 * chain (an edited event, a row added outside it) would present a forgery as proof. Exit 1.
 */
async function verifiedHead(l: Ledger, what: string): Promise<Head> {
  const [{ verifyLedger }, { ChainBrokenError }] = await Promise.all([
    import('../../ledger/verify.js'),
    import('../../ledger/errors.js'),
  ]);
  const check = await verifyLedger(l);
  if (!check.ok)
    throw new ChainBrokenError(
      `${l.where}: the ledger does not verify, so its evidence cannot be ${what}: ${check.broken!.message}; ` +
        'run `rollwright ledger verify` for the details',
    );
  return check.head;
}

async function show(id: string, values: Values, format: 'text' | 'json' | 'markdown'): Promise<CommandResult> {
  const [{ withLedger }, { renderEvidence }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../reporters/evidence.js'),
  ]);
  const { view } = await withLedger(values, false, async (l) => {
    await verifiedHead(l, 'shown');
    return load(l, id, values);
  });
  return { stdout: renderEvidence(view, format), exitCode: 0 };
}

async function attest(id: string, values: Values, keyRef: string | undefined): Promise<CommandResult> {
  const [{ withLedger }, attestLib] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/attest.js'),
  ]);
  const { signingKey } = await import('../signing-key.js');
  const key = await signingKey(keyRef);
  const statement = await withLedger(values, false, async (l) => {
    const head = await verifiedHead(l, 'attested');
    const { view, events } = await load(l, id, values);
    return attestLib.evidenceStatement(view, { id: await l.ledgerId(), head }, events);
  });
  const out = key ? attestLib.signStatement(statement, key) : statement;
  return { stdout: JSON.stringify(out, null, 2) + '\n', exitCode: 0 };
}

async function verifyAttestation(file: string, values: Values, pubFile: string | undefined): Promise<CommandResult> {
  const [attestLib, { resolveLedgerStore }, { Ledger }, { verifyLedger }] = await Promise.all([
    import('../../ledger/attest.js'),
    import('../store-resolution.js'),
    import('../../ledger/store.js'),
    import('../../ledger/verify.js'),
  ]);
  let doc: unknown;
  try {
    doc = JSON.parse(await readText(file));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`not JSON: ${(e as Error).message}`, file);
  }
  const lines: string[] = [];
  let ok = true;
  let statement: unknown;
  const d = doc as Record<string, unknown>;
  if (d && typeof d === 'object' && 'payloadType' in d && 'payload' in d && Array.isArray(d.signatures)) {
    if (d.payloadType !== attestLib.PAYLOAD_TYPE || typeof d.payload !== 'string')
      throw new InputError(
        `a DSSE envelope of payload type ${JSON.stringify(d.payloadType)}, not ${attestLib.PAYLOAD_TYPE}`,
        file,
      );
    if (pubFile === undefined)
      throw new UsageError(`${file} is a signed DSSE envelope: pass --pub KEY to check its signature`);
    const { publicKeys } = await import('../signing-key.js');
    const [pub] = await publicKeys([pubFile], '--pub');
    const good = attestLib.verifyEnvelope(d as unknown as import('../../ledger/attest.js').Envelope, pub!);
    if (good.length) lines.push(`signature: valid (Ed25519, keyid ${good[0]!.slice(0, 16)}…)`);
    else {
      ok = false;
      lines.push(`signature: INVALID: no signature verifies with ${pubFile}`);
    }
    try {
      statement = JSON.parse(Buffer.from(d.payload, 'base64').toString('utf8'));
    } catch {
      throw new InputError('the envelope payload is not JSON', file);
    }
  } else {
    statement = doc;
    if (pubFile !== undefined) {
      ok = false;
      lines.push(`signature: MISSING: ${file} is an unsigned statement, --pub cannot be checked`);
    } else lines.push('signature: none (an unsigned statement)');
  }
  const s = statement as Partial<import('../../ledger/attest.js').Statement>;
  if (
    s?._type !== attestLib.STATEMENT_TYPE ||
    s.predicateType !== attestLib.PREDICATE_TYPE ||
    !s.predicate ||
    !Array.isArray(s.subject)
  )
    throw new InputError(`not an in-toto Statement v1 with predicate ${attestLib.PREDICATE_TYPE}`, file);
  const p = s.predicate;
  const attested = Array.isArray(p.events) ? p.events : [];
  const lastHash = [...attested].sort((a, b) => a.seq - b.seq).pop()?.hash;
  const digest = s.subject[0]?.digest?.sha256;
  if (digest !== lastHash) {
    ok = false;
    lines.push('statement: INCONSISTENT: the subject digest is not the hash of the last attested event');
  } else
    lines.push(
      `statement: ${p.kind} ${p.id}, ${attested.length} event${attested.length === 1 ? '' : 's'}, evidence ${p.complete ? 'complete' : `owed: ${p.owed.join(', ')}`}`,
    );

  // A store named (flag, environment, config) must open; the default one is checked when it exists.
  const { spec, source } = await resolveLedgerStore(values);
  const haveLedger =
    (source !== 'default' && source !== 'work-tree') || (spec.kind === 'sqlite' && existsSync(spec.path));
  if (!haveLedger) lines.push('ledger: not checked (no ledger here; pass --store to check the events against one)');
  else {
    const l = await Ledger.open(spec, { create: false });
    try {
      const id = await l.ledgerId();
      if (id !== p.ledger?.id) {
        ok = false;
        lines.push(`ledger: MISMATCH: attested from ledger ${p.ledger?.id}, this is ${id} (${l.where})`);
      } else {
        const check = await verifyLedger(l);
        const rows = await l.select({
          incidents: p.kind === 'incident' ? [p.id] : [],
          changes: p.change ? [p.change] : [],
        });
        const bySeq = new Map(rows.map((e) => [e.seq, e]));
        const changed = attested.filter((a) => bySeq.get(a.seq)?.hash !== a.hash || bySeq.get(a.seq)?.id !== a.id);
        if (changed.length) {
          ok = false;
          lines.push(
            `ledger: CHANGED: attested event${changed.length === 1 ? '' : 's'} ${changed.map((c) => `#${c.seq}`).join(', ')} ${changed.length === 1 ? 'is' : 'are'} not in ${l.where} as attested`,
          );
        } else lines.push(`ledger: the ${attested.length} attested events are in ${l.where} unchanged`);
        if (!check.ok) {
          ok = false;
          lines.push(`ledger: BROKEN: ${check.broken!.message}`);
        }
      }
    } finally {
      await l.close();
    }
  }
  lines.push(ok ? 'verified' : 'verification FAILED');
  return { stdout: lines.join('\n') + '\n', exitCode: ok ? 0 : 1 };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file);
  }
}
