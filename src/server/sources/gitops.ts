import {
  atMost,
  clip,
  commitOf,
  defined,
  invalid,
  obj,
  optObj,
  optStr,
  optTime,
  str,
  type MapOptions,
  type Mapped,
} from './draft.js';

/**
 * Argo CD notifications (the `webhook` service) posting `{"app": <the Application>}`: the template in
 * docs/serve.md sends `.app.metadata`, `.app.spec.destination` and `.app.status` with `toJson`.
 *
 * | Application field                                            | ledger                                      |
 * |--------------------------------------------------------------|---------------------------------------------|
 * | `status.operationState.phase: Succeeded`                     | `change.deployed` at `finishedAt`           |
 * | `operationState.syncResult.revision` (else `operation.sync.revision`, `status.sync.revision`) | the change (the commit) and `commit` |
 * | `metadata.labels.service` (else `metadata.name`)             | service                                     |
 * | `metadata.labels.env` (else `spec.destination.namespace`)    | environment                                 |
 * | `status.summary.images` (exactly one)                        | `artifact`                                  |
 * | `phase: Failed` / `Error`                                    | not recorded (counted as ignored, with the message) |
 *
 * Delivery key: the application, revision, phase and the operation's `startedAt`.
 */
export function mapArgoCd(body: unknown, opts: MapOptions): Mapped {
  const S = 'argocd';
  const root = obj(body, S, '(body)');
  const app = obj(root.app, S, 'app');
  const meta = obj(app.metadata, S, 'app.metadata');
  const name = str(meta.name, S, 'app.metadata.name');
  const ns = optStr(meta.namespace, S, 'app.metadata.namespace') ?? 'argocd';
  const labels = optObj(meta.labels, S, 'app.metadata.labels');
  const spec = optObj(app.spec, S, 'app.spec');
  const dest = optObj(spec.destination, S, 'app.spec.destination');
  const status = obj(app.status, S, 'app.status');
  const op = obj(status.operationState, S, 'app.status.operationState');
  const phase = str(op.phase, S, 'app.status.operationState.phase');
  const syncResult = optObj(op.syncResult, S, 'app.status.operationState.syncResult');
  const operation = optObj(op.operation, S, 'app.status.operationState.operation');
  const opSync = optObj(operation.sync, S, 'app.status.operationState.operation.sync');
  const revisions = Array.isArray(syncResult.revisions) ? syncResult.revisions : [];
  const revision =
    optStr(syncResult.revision, S, 'app.status.operationState.syncResult.revision') ??
    (typeof revisions[0] === 'string' ? revisions[0] : undefined) ??
    optStr(opSync.revision, S, 'app.status.operationState.operation.sync.revision') ??
    optStr(optObj(status.sync, S, 'app.status.sync').revision, S, 'app.status.sync.revision');
  const startedAt = optTime(op.startedAt, S, 'app.status.operationState.startedAt');
  const finishedAt = optTime(op.finishedAt, S, 'app.status.operationState.finishedAt');
  const out: Mapped = { drafts: [], ignored: [] };
  if (phase !== 'Succeeded') {
    out.ignored.push({
      reason: `argocd ${ns}/${name}: sync ${phase}${op.message ? `: ${clip(String(op.message))!.slice(0, 200)}` : ''}; only a Succeeded sync is a deployment`,
    });
    return out;
  }
  if (revision === undefined)
    throw invalid(S, 'app.status.operationState.syncResult.revision', 'is required for a Succeeded sync');
  const images = optObj(status.summary, S, 'app.status.summary').images;
  const artifact =
    Array.isArray(images) && images.length === 1 && typeof images[0] === 'string' ? images[0] : undefined;
  const service = (typeof labels[opts.serviceLabel] === 'string' ? labels[opts.serviceLabel] : name) as string;
  const environment =
    (typeof labels[opts.environmentLabel] === 'string' ? (labels[opts.environmentLabel] as string) : undefined) ??
    optStr(dest.namespace, S, 'app.spec.destination.namespace') ??
    optStr(dest.name, S, 'app.spec.destination.name');
  if (environment === undefined)
    throw invalid(
      S,
      `app.metadata.labels.${opts.environmentLabel}`,
      'no environment: label the Application or give spec.destination.namespace',
    );
  out.drafts.push({
    key: `argocd:${ns}/${name}:${revision}:${phase}:${startedAt ?? ''}`,
    record: {
      type: 'change.deployed',
      change: revision,
      service,
      environment,
      ...(finishedAt ? { at: atMost(finishedAt, opts.now)! } : {}),
      actor: 'argocd',
      payload: defined({ commit: commitOf(revision), artifact: clip(artifact), log: `argocd app get ${ns}/${name}` }),
    },
  });
  return out;
}

/**
 * Flux notification-controller, `generic` or `generic-hmac` provider: the body is a Flux `Event`.
 *
 * | Event field                                                        | ledger                                   |
 * |--------------------------------------------------------------------|------------------------------------------|
 * | `severity: info`, `reason` ReconciliationSucceeded / InstallSucceeded / UpgradeSucceeded | `change.deployed` at `timestamp` |
 * | `metadata.<group>/revision` (`main@sha1:<sha>`, `main/<sha>`, a chart version) | the change (the commit, else the revision) |
 * | `metadata.service` (Alert `eventMetadata`), else `involvedObject.name` | service                               |
 * | `metadata.env`, else `involvedObject.namespace`                     | environment                              |
 * | `severity: error`                                                   | not recorded (counted as ignored, with the reason) |
 *
 * Delivery key: the object, revision and reason.
 */
export function mapFlux(body: unknown, opts: MapOptions): Mapped {
  const S = 'flux';
  const e = obj(body, S, '(body)');
  const inv = obj(e.involvedObject, S, 'involvedObject');
  const kind = str(inv.kind, S, 'involvedObject.kind');
  const name = str(inv.name, S, 'involvedObject.name');
  const ns = optStr(inv.namespace, S, 'involvedObject.namespace') ?? 'flux-system';
  const severity = str(e.severity, S, 'severity');
  if (severity !== 'info' && severity !== 'error' && severity !== 'trace')
    throw invalid(S, 'severity', `must be info or error, got ${JSON.stringify(severity)}`);
  const reason = optStr(e.reason, S, 'reason') ?? '';
  const timestamp = optTime(e.timestamp, S, 'timestamp');
  const metadata = optObj(e.metadata, S, 'metadata');
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== 'string') throw invalid(S, `metadata.${k}`, 'must be a string');
  const md = metadata as Record<string, string>;
  const revisionKey = Object.keys(md).find((k) => k === 'revision' || k.endsWith('/revision'));
  const revision = revisionKey ? md[revisionKey] : undefined;
  const out: Mapped = { drafts: [], ignored: [] };
  const ok =
    severity === 'info' && /^(ReconciliationSucceeded|InstallSucceeded|UpgradeSucceeded|Succeeded)$/.test(reason);
  if (!ok) {
    out.ignored.push({
      reason: `flux ${kind}/${ns}/${name}: ${severity} ${reason || '(no reason)'}${e.message ? `: ${clip(String(e.message))!.slice(0, 200)}` : ''}; only a succeeded reconciliation is a deployment`,
    });
    return out;
  }
  if (revision === undefined) throw invalid(S, 'metadata.revision', `is required for ${reason}`);
  const commit = commitOf(revision);
  const service = md[opts.serviceLabel] ?? md.service ?? name;
  const environment = md[opts.environmentLabel] ?? md.env ?? md.environment ?? ns;
  out.drafts.push({
    key: `flux:${kind}/${ns}/${name}:${revision}:${reason}`,
    record: {
      type: 'change.deployed',
      change: commit ?? revision,
      service,
      environment,
      ...(timestamp ? { at: atMost(timestamp, opts.now)! } : {}),
      actor: 'flux',
      payload: defined({
        commit,
        version: commit ? undefined : clip(revision),
        log: `flux get ${kind.toLowerCase()} ${name} -n ${ns}`,
      }),
    },
  });
  return out;
}

/**
 * GitHub webhooks (`X-GitHub-Event`), signed with `X-Hub-Signature-256`.
 *
 * | event / field                                                   | ledger                                        |
 * |-----------------------------------------------------------------|-----------------------------------------------|
 * | `deployment_status` with `deployment_status.state: success`     | `change.deployed` at `deployment_status.created_at` |
 * | `deployment.sha`                                                | the change and `commit`                       |
 * | `deployment.payload.service` (else `repository.name`)           | service                                       |
 * | `deployment_status.environment` (else `deployment.environment`) | environment                                   |
 * | `deployment_status.log_url` (else `target_url`)                 | `log`                                         |
 * | `pull_request` `action: closed` with `pull_request.merged: true`| `change.merged` at `merged_at`                |
 * | `pull_request.merge_commit_sha`                                 | the change and `commit`                       |
 * | `repository.full_name`, `base.ref`, `html_url`                  | `repository`, `branch`, `pull-request`        |
 * | other events and states (`ping`, `failure`, closed unmerged)    | not recorded (ignored, with the reason)       |
 *
 * Delivery key: the deployment status id; the repository and pull request number for a merge (both
 * the same in every redelivery, whichever hook delivers them). Without them, `X-GitHub-Delivery`.
 */
export function mapGitHub(event: string, delivery: string | undefined, body: unknown, opts: MapOptions): Mapped {
  const S = 'github';
  const p = obj(body, S, '(body)');
  const out: Mapped = { drafts: [], ignored: [] };
  const repo = optObj(p.repository, S, 'repository');
  if (event === 'deployment_status') {
    const ds = obj(p.deployment_status, S, 'deployment_status');
    const d = obj(p.deployment, S, 'deployment');
    const state = str(ds.state, S, 'deployment_status.state');
    if (state !== 'success') {
      out.ignored.push({ reason: `github deployment_status ${state}: only success is a deployment` });
      return out;
    }
    const sha = str(d.sha, S, 'deployment.sha');
    const payload =
      d.payload !== null && typeof d.payload === 'object' && !Array.isArray(d.payload)
        ? (d.payload as Record<string, unknown>)
        : {};
    const service = (typeof payload.service === 'string' && payload.service) || str(repo.name, S, 'repository.name');
    const environment =
      optStr(ds.environment, S, 'deployment_status.environment') ?? str(d.environment, S, 'deployment.environment');
    const at = optTime(ds.created_at, S, 'deployment_status.created_at');
    const id = ds.id;
    out.drafts.push({
      key:
        typeof id === 'number' || typeof id === 'string'
          ? `github:deployment_status:${id}`
          : `github:delivery:${delivery ?? sha}`,
      record: {
        type: 'change.deployed',
        change: sha,
        service,
        environment,
        ...(at ? { at: atMost(at, opts.now)! } : {}),
        actor: 'github',
        payload: defined({
          commit: commitOf(sha) ?? sha,
          version: clip(optStr(d.ref, S, 'deployment.ref')),
          log: clip(
            optStr(ds.log_url, S, 'deployment_status.log_url') ??
              optStr(ds.target_url, S, 'deployment_status.target_url'),
          ),
        }),
      },
    });
    return out;
  }
  if (event === 'pull_request') {
    const action = str(p.action, S, 'action');
    const pr = obj(p.pull_request, S, 'pull_request');
    if (action !== 'closed' || pr.merged !== true) {
      out.ignored.push({
        reason: `github pull_request ${action}${action === 'closed' ? ' without merge' : ''}: only a merge is recorded`,
      });
      return out;
    }
    const sha = str(pr.merge_commit_sha, S, 'pull_request.merge_commit_sha');
    const fullName = str(repo.full_name, S, 'repository.full_name');
    const number = pr.number ?? p.number;
    const at = optTime(pr.merged_at, S, 'pull_request.merged_at');
    out.drafts.push({
      key: `github:pull_request:${fullName}#${String(number)}:merged`,
      record: {
        type: 'change.merged',
        change: sha,
        ...(at ? { at: atMost(at, opts.now)! } : {}),
        actor: 'github',
        payload: defined({
          commit: sha,
          repository: fullName,
          branch: clip(optStr(optObj(pr.base, S, 'pull_request.base').ref, S, 'pull_request.base.ref')),
          'pull-request': clip(optStr(pr.html_url, S, 'pull_request.html_url')),
        }),
      },
    });
    return out;
  }
  out.ignored.push({ reason: `github ${event} events are not recorded (deployment_status and pull_request are)` });
  return out;
}
