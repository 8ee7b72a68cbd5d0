import { InputError, UsageError } from '../../core/errors.js';
import { STORE_OPTIONS } from '../store-options.js';
import type { CommandResult } from '../command.js';
import { defineCommand, subcommand, type Command, type OptionTable, type OptionValues } from '../define.js';
import { ACTOR, CONFIG, ENV, outputOption } from '../flags.js';
import { seconds } from './check-targets.js';

const START = {
  service: { type: 'string', metavar: 'NAME', description: 'the alerting service (required)' },
  env: { ...ENV, defaultText: 'the latest deployment in any environment', description: 'its environment' },
  'alert-started-at': {
    type: 'string',
    metavar: 'TIME',
    defaultText: 'now',
    description:
      "when the alert started: ISO 8601 with a zone, a duration before now (-15m, -1h30m, 15m ago) or a time of day in the local zone (02:47: today's, or yesterday's when still to come); said back in UTC",
  },
  incident: {
    type: 'string',
    metavar: 'ID',
    defaultText: 'INC-<service>-<UTC time of the alert>',
    description: 'the incident id',
  },
  severity: { type: 'string', metavar: 'S', description: 'recorded with the detection' },
  alert: { type: 'string', metavar: 'REF', description: 'the alert (URL or id), recorded with the detection' },
  actor: { ...ACTOR, description: 'who starts the incident' },
  'no-decide': { type: 'boolean', description: 'record the detection and stop' },
  fact: { type: 'string', metavar: 'NAME=VALUE', repeatable: true, description: "a fact you know (as decide's)" },
  offline: {
    type: 'boolean',
    env: 'ROLLWRIGHT_OFFLINE',
    description: 'check no rollback target live (as decide --offline)',
  },
  timeout: { type: 'string', metavar: 'SECONDS', parse: seconds, description: 'per live request (as decide)' },
  strict: { type: 'boolean', description: 'refuse to decide on assumptions (as decide)' },
  'no-record': { type: 'boolean', description: 'do not record the decision (the detection is recorded)' },
  plan: { type: 'string', metavar: 'FILE', description: 'a plan JSON of the change (as decide)' },
  config: CONFIG,
  ...STORE_OPTIONS,
  output: outputOption({ text: '', json: 'schema rollwright.decision/v1', markdown: '' }),
} as const satisfies OptionTable;

const defined = defineCommand({
  name: 'incident',
  usage: [
    'rollwright incident start --service S [--env E] [--alert-started-at TIME] [--incident ID]',
    "                          [decide's flags: --fact name=value ..., --offline, -o FORMAT, ...]",
  ],
  description: `Start from the alert: find the service's latest deployment in the ledger (change.deployed), record
incident.detected for it with the time the alert started (the detect phase of the rollback SLOs is
measured from it, not from when the command ran), say which change and commit it resolved, and go on
into \`rollwright decide\` for that change and incident. What it resolved is printed before the
decision (on stderr with -o json or markdown, so that stdout stays the document).`,
  subcommands: {
    start: subcommand({
      summary: "the service's latest deployment, incident.detected at the alert's start, then decide",
      options: START,
      run: start,
    }),
  },
  exitCodes: {
    0: 'decided (as decide)',
    1: 'as decide (--strict, a broken chain)',
    2: 'usage or input error: no deployment of the service in the ledger, the incident exists already, a time that is not one',
    3: 'internal error',
  },
});

/** `--alert-started-at -15m`: a value starting with a dash would read as a flag, so it is joined to it. */
export const command: Command = {
  ...defined,
  main: (argv) => {
    const fixed: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--alert-started-at' && /^-\d/.test(argv[i + 1] ?? '')) fixed.push(`${a}=${argv[++i]}`);
      else fixed.push(a);
    }
    return defined.main(fixed);
  },
};

async function start(opts: OptionValues<typeof START>): Promise<CommandResult> {
  const service = opts.service;
  if (service === undefined || service.trim() === '')
    throw new UsageError('incident start needs --service: the service the alert is about');
  const env = opts.env;

  const [{ parseHumanTime, toIso }, { withLedger }, { prepareEvent, actorOf }] = await Promise.all([
    import('../../ledger/time.js'),
    import('../ledger-support.js'),
    import('../../ledger/record.js'),
  ]);
  const now = Date.now();
  const started =
    opts.alertStartedAt !== undefined
      ? parseHumanTime(opts.alertStartedAt, now)
      : { ok: true as const, ms: now, said: `now (${toIso(now)})` };
  if (!started.ok) throw new UsageError(`--alert-started-at: ${started.reason}`);
  const actor = actorOf(opts.actor);

  const { deployed, event } = await withLedger(opts, false, async (ledger) => {
    const deployed = await ledger.last('change.deployed', { service, environment: env ?? null });
    if (!deployed || deployed.subject.change === null)
      throw new InputError(
        `no change.deployed of service ${service}${env !== undefined ? ` in ${env}` : ''} in the ledger: record deployments with rollwright record change.deployed, or name the change with rollwright decide --change`,
      );
    if (Date.parse(deployed.occurredAt) > started.ms)
      process.stderr.write(
        `rollwright: warning: the alert started (${toIso(started.ms)}) before the latest deployment of ${service} (${deployed.occurredAt}); deciding about that deployment anyway\n`,
      );
    const incident =
      opts.incident ??
      `INC-${service}-${toIso(started.ms)
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`;
    const payload: Record<string, unknown> = {
      'started-at': toIso(started.ms),
      source: 'rollwright incident start',
      ...(opts.severity !== undefined ? { severity: opts.severity } : {}),
      ...(opts.alert !== undefined ? { alert: opts.alert } : {}),
    };
    const prepared = await prepareEvent(ledger, {
      type: 'incident.detected',
      incident,
      change: deployed.subject.change,
      service,
      ...(deployed.subject.environment !== null ? { environment: deployed.subject.environment } : {}),
      actor,
      payload,
    });
    const [e] = await ledger.append([prepared]);
    return { deployed, event: e! };
  });

  const change = deployed.subject.change!;
  const commit = typeof deployed.payload.commit === 'string' ? deployed.payload.commit : null;
  const environment = deployed.subject.environment;
  const incident = event.subject.incident!;
  const head =
    [
      `Deployment: ${change}${commit ? ` (commit ${commit.slice(0, 12)})` : ''} of ${service}${environment ? ` in ${environment}` : ''}, deployed at ${deployed.occurredAt} (ledger #${deployed.seq})`,
      `Alert:      started ${started.said}`,
      `Recorded:   #${event.seq} incident.detected ${incident}`,
    ].join('\n') + '\n';
  if (opts.noDecide) return { stdout: head, exitCode: 0 };

  const { command: decide } = await import('./decide.js');
  const r = await decide.main([
    '--change',
    change,
    '--incident',
    incident,
    ...(environment ? ['--env', environment] : []),
    ...(opts.store !== undefined ? ['--store', opts.store] : []),
    ...(opts.repo !== undefined ? ['--repo', opts.repo] : []),
    ...(opts.actor !== undefined ? ['--actor', opts.actor] : []),
    ...(opts.config !== undefined ? ['--config', opts.config] : []),
    ...(opts.plan !== undefined ? ['--plan', opts.plan] : []),
    ...(opts.fact ?? []).flatMap((f) => ['--fact', f]),
    ...(opts.offline ? ['--offline'] : []),
    ...(opts.timeout !== undefined ? ['--timeout', String(opts.timeout)] : []),
    ...(opts.strict ? ['--strict'] : []),
    ...(opts.noRecord ? ['--no-record'] : []),
    '-o',
    opts.output,
  ]);
  if (opts.output === 'text') return { ...r, stdout: `${head}\n${r.stdout}` };
  process.stderr.write(head);
  return r;
}
