import { STORE_OPTIONS } from '../store-options.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Window, WindowsReport } from '../../ledger/windows.js';
import { defineCommand } from '../define.js';
import { AT, CONFIG, ENV, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'windows',
  usage: ['rollwright windows [--env NAME] [--all] [--at TIME] [-o text|json] [flags]'],
  description: `Rollback windows: each opens at a change's first change.deployed in an environment, from the
change's declared rollbackWindow (the change.declared event's payload, else the declaration file
of that id in the repository's declarations dir). A duration (48h) closes at deployment + duration;
an event condition (until-contract-phase) closes at the first later change.deployed with
phase=contract for the same change, or for the same service in the same environment.`,
  options: {
    env: { ...ENV, description: 'only windows in this environment' },
    all: { type: 'boolean', description: 'closed windows too' },
    at: AT,
    config: CONFIG,
    ...STORE_OPTIONS,
    repo: {
      ...STORE_OPTIONS.repo,
      description: 'the repository: where the default ledger, .rollwright.yaml and declarations are',
    },
    output: outputOption({ text: '', json: 'schema rollwright.windows/v1' }),
  },
  extraArgs: (args) => `windows takes no arguments, got ${args.join(' ')}`,
  exitCodes: { 0: 'ok', 2: 'usage or input error', 3: 'internal error' },
  async run(opts) {
    const [{ withLedger }, { loadLedgerConfig }, { computeWindows }] = await Promise.all([
      import('../ledger-support.js'),
      import('../../ledger/config.js'),
      import('../../ledger/windows.js'),
    ]);
    const at = opts.at;
    const repo = opts.repo ?? '.';
    const config = await loadLedgerConfig(repo, opts.config);
    const events = await withLedger(opts, false, (l) => l.select({ types: ['change.declared', 'change.deployed'] }));
    const deployedWithout = new Set(events.filter((e) => e.type === 'change.deployed').map((e) => e.subject.change!));
    for (const e of events) if (e.type === 'change.declared') deployedWithout.delete(e.subject.change!);
    const fromRepo = deployedWithout.size
      ? await repoWindows(join(repo, config.declarations.dir), deployedWithout)
      : new Map();
    const report = computeWindows(events, fromRepo, {
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      ...(opts.all ? { all: true } : {}),
      ...(at !== undefined ? { now: at } : {}),
    });
    if (opts.output === 'json') return { stdout: JSON.stringify(report, null, 2) + '\n', exitCode: 0 };
    return { stdout: renderWindows(report, opts.all), exitCode: 0 };
  },
});

/** rollbackWindow of the repository's declaration files, for the ids asked (working tree, not git). */
async function repoWindows(dir: string, ids: ReadonlySet<string>): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return out;
  }
  const { parseSingleYaml } = await import('../../core/yaml.js');
  for (const name of names) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    const { value } = parseSingleYaml(text);
    const change = (value as { change?: { id?: unknown; rollbackWindow?: unknown } } | null)?.change;
    if (change && typeof change.id === 'string' && ids.has(change.id) && change.rollbackWindow !== undefined)
      out.set(change.id, change.rollbackWindow);
  }
  return out;
}

const short = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

function closes(w: Window, formatDuration: (s: number) => string): string {
  if (w.kind === 'duration')
    return `${short(w.closesAt!)}${w.open ? ` (in ${formatDuration(w.remainingSeconds!)})` : ' (closed)'}${w.condition ? `, ${w.condition}` : ''}`;
  if (w.closedBy)
    return `closed by #${w.closedBy.seq} ${w.closedBy.type} ${w.closedBy.change ?? ''} phase=${w.closesOn} at ${short(w.closedBy.at)}`;
  return `when a change.deployed with phase=${w.closesOn} is recorded`;
}

function renderWindows(r: WindowsReport, all: boolean): string {
  if (r.windows.length === 0) return `No ${all ? '' : 'open '}rollback windows as of ${short(r.at)}.\n`;
  const fmt = (s: number) => {
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    return d ? `${d}d${h}h` : h ? `${h}h${m}m` : `${m}m`;
  };
  const rows = [
    ['CHANGE', 'SERVICE', 'ENV', 'SURFACE', 'WINDOW', 'OPENED', 'CLOSES'],
    ...r.windows.map((w) => [
      w.change,
      w.service ?? '-',
      w.environment,
      w.surface ?? '-',
      w.window,
      short(w.opensAt),
      closes(w, fmt),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((c, i) => (i < row.length - 1 ? c.padEnd(widths[i]!) : c)).join('  '));
  return `${all ? 'Rollback windows' : 'Open rollback windows'} as of ${short(r.at)}\n\n${lines.join('\n')}\n`;
}
