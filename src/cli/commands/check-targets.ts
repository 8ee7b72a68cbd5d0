import { UsageError } from '../../core/errors.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';
import { colorWanted } from './assess.js';

export const FORMATS = ['text', 'json'] as const;

export const help = `Usage: rollwright check-targets [--change REV | --rev REV] [flags]

List the rollback targets of a change, and check that each still exists: the previous image of every
container (by digest, with the tag it came with and its signatures), the previous chart version of a
HelmRelease, a Chart.yaml dependency or an Argo CD Helm source (in its HTTP or OCI chart repository),
and the previous ref of a Terraform module, a Kustomize remote base or a Flux source (in its git
remote or module registry). A rollback to an artifact that is gone is no rollback.

Flags:
      --change REV        the change REV^..REV (default: HEAD): the targets are what it replaced
      --rev REV           every target the tree at REV references (what a rollback to REV runs again)
      --repo DIR          the repository (default: the current directory)
      --config FILE       config file (default: .rollwright.yaml at the revision)
      --offline           contact nothing: every status is "unknown" (also ROLLWRIGHT_OFFLINE=1)
      --timeout SECONDS   per request (default 10); requests are retried 3 times on 429, 5xx and
                          network errors, honouring Retry-After
      --strict            also fail when a target could not be checked (unknown, unauthorised,
                          unreachable, rate-limited)
  -o, --output FORMAT     text (default) or json (rollwright.targets/v1)
  -h, --help              show this help

Credentials come from the docker config (DOCKER_CONFIG or ~/.docker/config.json: auths, credHelpers,
credsStore). Loopback registries are reached over HTTP; list other plain-HTTP hosts in
ROLLWRIGHT_INSECURE_REGISTRIES (comma-separated).

Exit codes: 0 every target exists (or could not be checked, without --strict); 1 a target is missing
(with --strict: or could not be checked); 2 usage or input error; 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values } = parse(argv, {
    change: { type: 'string' },
    rev: { type: 'string' },
    repo: { type: 'string' },
    config: { type: 'string' },
    offline: { type: 'boolean' },
    timeout: { type: 'string' },
    strict: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, FORMATS, 'text');
  if (values.change !== undefined && values.rev !== undefined)
    throw new UsageError('--change and --rev cannot be used together');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = String(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(s) || Number(s) <= 0 || Number(s) > 600)
      throw new UsageError(`--timeout: ${JSON.stringify(s)} is not a number of seconds (0 < s <= 600)`);
    timeoutMs = Math.round(Number(s) * 1000);
  }
  const [{ checkRollbackTargets }, { allRules, surfaces }, { renderTargetsText }] = await Promise.all([
    import('../../engine/check-targets.js'),
    import('../../registry.js'),
    import('../../reporters/targets.js'),
  ]);
  const tree = values.rev !== undefined;
  const report = await checkRollbackTargets({
    repo: (values.repo as string | undefined) ?? '.',
    ...(tree
      ? { head: values.rev as string, tree: true }
      : values.change !== undefined
        ? { head: values.change as string }
        : {}),
    ...(values.config !== undefined ? { configFile: values.config as string } : {}),
    live: { ...(values.offline ? { offline: true } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
    surfaces,
    rules: allRules(),
  });
  const c = report.counts;
  const failed =
    c.missing > 0 || (values.strict === true && c.unknown + c.unauthorised + c.unreachable + c['rate-limited'] > 0);
  const stdout =
    format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTargetsText(report, { color: colorWanted() });
  return { stdout, exitCode: failed ? 1 : 0 };
}
