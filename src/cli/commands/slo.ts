import { STORE_OPTIONS } from '../store-options.js';
import type { CommandResult } from '../command.js';
import { defineCommand, subcommand } from '../define.js';
import { AT, CONFIG, isoTime, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'slo',
  usage: ['rollwright slo report [--service S] [--since TIME] [-o text|json|markdown] [flags]'],
  description: `Rollback SLOs from the ledger: per incident, the five phase durations against the targets
of its service, and per service the p50, p90, max and breach count of each phase.

  detect    bad state → alert: from the detection's started-at, else the change.deployed of the
            change the incident names, to incident.detected
  decide    alert → decision.made
  execute   decision → recovery.executed (the recovery applied)
  verify    applied → recovery.verified (passed)
  evidence  verified → every required evidence item attached

A phase whose events are missing is unknown (null in JSON, ? in text), never zero. A phase still
running whose elapsed time already exceeds its target counts as breached.

Targets, in .rollwright.yaml (durations; * for services not listed):
  rollbackSLO:
    checkout: { detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h }`,
  subcommands: {
    report: subcommand({
      summary: 'per incident, the five phase durations against their targets; per service, p50, p90, max and breaches',
      options: {
        service: { type: 'string', metavar: 'NAME', description: 'only incidents of this service' },
        since: {
          type: 'string',
          metavar: 'TIME',
          parse: isoTime,
          description: 'only incidents detected at or after TIME (ISO 8601 with a zone)',
        },
        at: { ...AT, description: 'evaluate phases still running as of TIME' },
        config: CONFIG,
        ...STORE_OPTIONS,
        output: outputOption({ text: '', json: 'schema rollwright.slo/v1', markdown: '' }),
      },
      run: report,
    }),
  },
  exitCodes: {
    0: 'the report was made (breaches are reported, not failed on)',
    2: 'usage or input error',
    3: 'internal error',
  },
});

async function report(opts: {
  service?: string;
  since?: string;
  at?: string;
  config?: string;
  store?: string;
  repo?: string;
  verbose: boolean;
  output: 'text' | 'json' | 'markdown';
}): Promise<CommandResult> {
  const [{ withLedger }, { loadLedgerConfig }, { sloReport, SLO_EVENT_TYPES }, { renderSlo }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/config.js'),
    import('../../ledger/slo.js'),
    import('../../reporters/slo.js'),
  ]);
  const { since, at } = opts;
  const config = await loadLedgerConfig(opts.repo ?? '.', opts.config);
  const events = await withLedger(opts, false, (l) => l.select({ types: SLO_EVENT_TYPES }));
  const report = sloReport(events, config, {
    ...(opts.service !== undefined ? { service: opts.service } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(at !== undefined ? { now: at } : {}),
  });
  return { stdout: renderSlo(report, opts.output), exitCode: 0 };
}
