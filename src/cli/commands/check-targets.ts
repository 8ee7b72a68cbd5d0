import { UsageError } from '../../core/errors.js';
import { defineCommand } from '../define.js';
import { colorWanted, NO_COLOR, CONFIG, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'check-targets',
  usage: ['rollwright check-targets [--change REV | --rev REV] [flags]'],
  description: `List the rollback targets of a change, and check that each still exists: the previous image of every
container (by digest, with the tag it came with and its signatures), the previous chart version of a
HelmRelease, a Chart.yaml dependency or an Argo CD Helm source (in its HTTP or OCI chart repository),
and the previous ref of a Terraform module, a Kustomize remote base or a Flux source (in its git
remote or module registry). A rollback to an artifact that is gone is no rollback.`,
  options: {
    change: {
      type: 'string',
      metavar: 'REV',
      defaultText: 'HEAD',
      description: 'the change REV^..REV, or a range A..B: the targets are what it replaced',
    },
    rev: {
      type: 'string',
      metavar: 'REV',
      description: 'every target the tree at REV references (what a rollback to REV runs again)',
    },
    repo: { type: 'string', metavar: 'DIR', defaultText: 'the current directory', description: 'the repository' },
    config: { ...CONFIG, defaultText: '.rollwright.yaml at the revision' },
    offline: {
      type: 'boolean',
      env: 'ROLLWRIGHT_OFFLINE',
      description: 'contact nothing: every status is "unknown"',
    },
    timeout: {
      type: 'string',
      metavar: 'SECONDS',
      defaultText: '10',
      parse: seconds,
      description: 'per request; requests are retried 3 times on 429, 5xx and network errors, honouring Retry-After',
    },
    strict: {
      type: 'boolean',
      description: 'also fail when a target could not be checked (unknown, unauthorised, unreachable, rate-limited)',
    },
    output: outputOption({ text: '', json: 'rollwright.targets/v1' }),
    'no-color': NO_COLOR,
  },
  notes: `Credentials come from the docker config (DOCKER_CONFIG or ~/.docker/config.json: auths, credHelpers,
credsStore). Loopback registries are reached over HTTP; list other plain-HTTP hosts in
ROLLWRIGHT_INSECURE_REGISTRIES (comma-separated).`,
  exitCodes: {
    0: 'every target exists (or could not be checked, without --strict)',
    1: 'a target is missing (with --strict: or could not be checked)',
    2: 'usage or input error',
    3: 'internal error',
  },
  async run(opts) {
    if (opts.change !== undefined && opts.rev !== undefined)
      throw new UsageError('--change and --rev cannot be used together');
    const [{ checkRollbackTargets }, { allRules, surfaces }, { renderTargetsText }] = await Promise.all([
      import('../../engine/check-targets.js'),
      import('../../registry.js'),
      import('../../reporters/targets.js'),
    ]);
    const report = await checkRollbackTargets({
      repo: opts.repo ?? '.',
      ...(opts.rev !== undefined
        ? { head: opts.rev, tree: true }
        : opts.change !== undefined
          ? changeRange(opts.change)
          : {}),
      ...(opts.config !== undefined ? { configFile: opts.config } : {}),
      live: {
        ...(opts.offline ? { offline: true } : {}),
        ...(opts.timeout !== undefined ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
      },
      surfaces,
      rules: allRules(),
    });
    const c = report.counts;
    const failed = c.missing > 0 || (opts.strict && c.unknown + c.unauthorised + c.unreachable + c['rate-limited'] > 0);
    const stdout =
      opts.output === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : renderTargetsText(report, { color: colorWanted(opts.noColor) });
    return { stdout, exitCode: failed ? 1 : 0 };
  },
});

/** `--timeout SECONDS` of a live check. */
export function seconds(value: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0 || Number(value) > 600)
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a number of seconds (0 < s <= 600)`);
  return Number(value);
}

/** `--change REV` (REV^..REV) or `--change A..B`. */
function changeRange(v: string): { base?: string; head: string } {
  const i = v.indexOf('..');
  if (i < 0) return { head: v };
  const base = v.slice(0, i);
  const head = v.slice(i + 2);
  if (base === '' || head === '' || head.startsWith('.'))
    throw new UsageError(`--change ${JSON.stringify(v)}: expected a commit or a range A..B`);
  return { base, head };
}
