import { STORE_HELP, STORE_OPTIONS } from '../store-options.js';
import { UsageError } from '../../core/errors.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright slo report [--service S] [--since TIME] [-o text|json|markdown] [flags]

Rollback SLOs (SPEC §7) from the ledger: per incident, the five phase durations against the targets
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
    checkout: { detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h }

Flags:
      --service NAME      only incidents of this service
      --since TIME        only incidents detected at or after TIME (ISO 8601 with a zone)
      --at TIME           evaluate phases still running as of TIME (default: now)
      --config FILE       config file (default: .rollwright.yaml in --repo)
${STORE_HELP}
      --repo DIR          the repository: its default ledger and .rollwright.yaml (default: .)
  -o, --output FORMAT     text (default), json (schema rollwright.slo/v1) or markdown
  -h, --help              show this help

Exit codes: 0 the report was made (breaches are reported, not failed on), 2 usage or input error, 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      service: { type: 'string' },
      since: { type: 'string' },
      at: { type: 'string' },
      config: { type: 'string' },
      ...STORE_OPTIONS,
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const [sub, ...rest] = positionals;
  if (sub !== 'report')
    throw new UsageError(
      sub === undefined ? 'slo needs a subcommand: report' : `unknown slo subcommand ${JSON.stringify(sub)}: report`,
    );
  if (rest.length) throw new UsageError(`slo report takes no arguments, got ${rest.join(' ')}`);
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json', 'markdown'] as const, 'text');
  const [{ withLedger, timeFlag }, { loadLedgerConfig }, { sloReport, SLO_EVENT_TYPES }, { renderSlo }] =
    await Promise.all([
      import('../ledger-support.js'),
      import('../../ledger/config.js'),
      import('../../ledger/slo.js'),
      import('../../reporters/slo.js'),
    ]);
  const since = timeFlag('--since', values.since as string | undefined, true);
  const at = timeFlag('--at', values.at as string | undefined, true);
  const config = await loadLedgerConfig(
    (values.repo as string | undefined) ?? '.',
    values.config as string | undefined,
  );
  const events = await withLedger(values, false, (l) => l.select({ types: SLO_EVENT_TYPES }));
  const report = sloReport(events, config, {
    ...(values.service !== undefined ? { service: values.service as string } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(at !== undefined ? { now: at } : {}),
  });
  return { stdout: renderSlo(report, format), exitCode: 0 };
}
