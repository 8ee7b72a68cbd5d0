import type { Finding } from '../../core/finding.js';
import { cmd, sh } from './shell.js';
import type { DecisionInput, FlagRef, Reconciler, RolloutRef, RunbookStep, WorkspaceRef } from './types.js';

/**
 * Runbook step builders: each returns steps with exact commands built from real names (quoted by
 * `sh` when they need it). The CLI commands follow the tools' own documentation (README.md, "Real
 * tool behaviour"); nothing here runs anything.
 */

export function step(text: string, command: string | null = null, check: string | null = null): RunbookStep {
  return { step: text, command, check };
}

// ---------------------------------------------------------------------------------------------
// Control loops: pause and resume (SPEC §4 question 1)

/** `argocd app set` takes `<namespace>/<name>` for Applications outside the control-plane namespace. */
export function argoAppRef(r: Pick<Reconciler, 'name' | 'namespace'>): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** How the ledger names a loop (`pause.started target=`): `<Kind>/<namespace>/<name>`. */
export function loopTarget(r: Pick<Reconciler, 'kind' | 'name' | 'namespace'>): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

export function describeLoop(r: Reconciler): string {
  const who = r.controller === 'argocd' ? 'Argo CD' : 'Flux';
  return `${who} ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function fluxNoun(r: Reconciler): string {
  return r.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization';
}

/** The ignore rule added to an ApplicationSet for a pause (Argo CD 2.9+, "Allow temporarily toggling auto-sync"). */
const IGNORE_SYNC_POLICY = { jsonPointers: ['/spec/syncPolicy'] };

/**
 * Pausing the Applications of an ApplicationSet: the ApplicationSet controller puts their sync policy
 * back to its template (argoproj/argo-cd#13329) unless `spec.ignoreApplicationDifferences` tells it to
 * leave `/spec/syncPolicy` alone; then their automated sync can be turned off one by one. They are
 * found by their owner reference (the ApplicationSet controller sets it on every Application it makes).
 */
function appSetPauseSteps(r: Reconciler): RunbookStep[] {
  const had = r.ignoreApplicationDifferences ?? null;
  const patch =
    had === null
      ? `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type merge -p ${sh(JSON.stringify({ spec: { ignoreApplicationDifferences: [IGNORE_SYNC_POLICY] } }))}`
      : `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type json -p ${sh(JSON.stringify([{ op: 'add', path: '/spec/ignoreApplicationDifferences/-', value: IGNORE_SYNC_POLICY }]))}`;
  return [
    step(
      `Make ApplicationSet ${r.namespace}/${r.name} leave the sync policy of its Applications alone (spec.ignoreApplicationDifferences on /spec/syncPolicy, Argo CD 2.9+); without it, it puts a changed sync policy back at once`,
      patch,
      `kubectl get applicationset ${sh(r.name)} -n ${sh(r.namespace)} -o jsonpath='{.spec.ignoreApplicationDifferences}' lists /spec/syncPolicy`,
    ),
    step(
      `Pause only the Applications of ApplicationSet ${r.namespace}/${r.name} that reconcile the change (${r.covers.join(', ')}): list its Applications by owner, then turn automated sync off on each (argocd app set ${r.namespace}/<app> --sync-policy none)`,
      `kubectl get applications -n ${sh(r.namespace)} -o custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences[0].name`,
      `argocd app get ${r.namespace}/<app> shows Sync Policy Manual for each, and it stays so`,
    ),
  ];
}

function appSetResumeSteps(r: Reconciler, record: string): RunbookStep[] {
  const had = r.ignoreApplicationDifferences ?? null;
  const restore =
    had === null
      ? `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type json -p ${sh(JSON.stringify([{ op: 'remove', path: '/spec/ignoreApplicationDifferences' }]))}`
      : `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type merge -p ${sh(JSON.stringify({ spec: { ignoreApplicationDifferences: JSON.parse(had) as unknown } }))}`;
  return [
    step(
      `Resume the Applications of ApplicationSet ${r.namespace}/${r.name}: put its ignoreApplicationDifferences back as it was at head, so it restores their sync policy from its template${r.syncPolicy ? ` (${r.syncPolicy})` : ''}`,
      restore,
      `its Applications show the template's sync policy again and sync automatically; then ${record}`,
    ),
  ];
}

export function pauseSteps(r: Reconciler): RunbookStep[] {
  if (r.controller === 'argocd' && r.kind === 'ApplicationSet') return appSetPauseSteps(r);
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    return [
      step(
        `Pause the one Argo CD Application ${ref}: turn its automated sync off (not the controller)`,
        cmd`argocd app set ${ref} --sync-policy none`,
        `${cmd`argocd app get ${ref}`} shows Sync Policy Manual (<none> in older CLIs)`,
      ),
    ];
  }
  const noun = fluxNoun(r);
  return [
    step(
      `Pause the one Flux ${r.kind} ${r.namespace}/${r.name} (not the controller)`,
      `flux suspend ${noun} ${sh(r.name)} -n ${sh(r.namespace)}`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows SUSPENDED True`,
    ),
  ];
}

/** The restore of a paused loop, exactly as it was at head (`r.automated/selfHeal/prune`). */
export function resumeSteps(r: Reconciler, record: string): RunbookStep[] {
  if (r.controller === 'argocd' && r.kind === 'ApplicationSet') return appSetResumeSteps(r, record);
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    const flags = [r.selfHeal ? ' --self-heal' : '', r.prune ? ' --auto-prune' : ''].join('');
    const was = r.syncPolicy ? `syncPolicy ${r.syncPolicy}` : 'the previous sync policy';
    return [
      step(
        `Restore the sync policy of Argo CD Application ${ref} exactly as it was (automated${r.selfHeal ? ', selfHeal' : ''}${r.prune ? ', prune' : ''})`,
        `argocd app set ${sh(ref)} --sync-policy automated${flags}`,
        `${cmd`argocd app get ${ref}`} shows ${was}, Synced and Healthy at the recovery's revision; then ${record}`,
      ),
    ];
  }
  const noun = fluxNoun(r);
  return [
    step(
      `Resume Flux ${r.kind} ${r.namespace}/${r.name} (it reconciles at once, applying what Git now holds)`,
      `flux resume ${noun} ${sh(r.name)} -n ${sh(r.namespace)}`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows Ready True at the recovery's revision; then ${record}`,
    ),
  ];
}

export function workspacePauseStep(w: WorkspaceRef): RunbookStep {
  return step(
    `Pause the apply queue of workspace ${w.dir} only (turn auto-apply off or lock the workspace in the pipeline)`,
    null,
    'no run of this workspace is queued or applying',
  );
}

export function workspaceResumeStep(w: WorkspaceRef, record: string): RunbookStep {
  return step(
    `Resume the apply queue of workspace ${w.dir} (auto-apply back on, lock released)`,
    null,
    `the next run of ${w.dir} plans only what Git holds; then ${record}`,
  );
}

/** Syncing after a push: Argo CD (manual sync while paused, else wait), Flux (reconcile with source). */
export function syncSteps(r: Reconciler, paused: boolean): RunbookStep[] {
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    if (paused || !r.automated)
      return [
        step(
          `Sync Argo CD Application ${ref} to the new revision (automated sync is off)`,
          cmd`argocd app sync ${ref}`,
          `${cmd`argocd app wait ${ref} --health --timeout 600`} exits 0`,
        ),
      ];
    return [
      step(
        `Let Argo CD Application ${ref} sync the new revision`,
        cmd`argocd app wait ${ref} --sync --health --timeout 600`,
        'exits 0: Synced and Healthy at the new revision',
      ),
    ];
  }
  const noun = fluxNoun(r);
  if (paused)
    return [
      step(
        `Flux ${r.kind} ${r.namespace}/${r.name} is suspended: the new revision is applied when it is resumed (last step)`,
        null,
        null,
      ),
    ];
  return [
    step(
      `Reconcile Flux ${r.kind} ${r.namespace}/${r.name} with its source`,
      `flux reconcile ${noun} ${sh(r.name)} -n ${sh(r.namespace)} --with-source`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows Ready True at the new revision`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Progressive rollouts and flags (questions 2 and 3)

export function abortSteps(r: RolloutRef): RunbookStep[] {
  if (r.kind === 'Rollout')
    return [
      step(
        `Abort Argo Rollout ${r.namespace}/${r.name}: traffic returns to the stable ReplicaSet (spec.template still holds the new version until Git is reverted)`,
        `kubectl argo rollouts abort ${sh(r.name)} -n ${sh(r.namespace)}`,
        `kubectl argo rollouts get rollout ${sh(r.name)} -n ${sh(r.namespace)} shows the stable ReplicaSet at full weight`,
      ),
    ];
  return [
    step(
      `Roll Flagger Canary ${r.namespace}/${r.name} back to its primary: open its rollback gate (a webhook of type rollback, e.g. the loadtester's /rollback/open with {"name":"${r.name}","namespace":"${r.namespace}"}); without one, Flagger rolls back only on failed analysis or a new revision`,
      null,
      `kubectl get canary ${sh(r.name)} -n ${sh(r.namespace)} shows Failed with the canary weight at 0`,
    ),
  ];
}

export function flagOffSteps(f: FlagRef, change: string): RunbookStep[] {
  const variant = f.offVariant ?? '<its off variant>';
  return [
    step(
      `Turn feature flag ${f.key} off in Git: in ${f.file}:${f.line} (${f.source}) set defaultVariant to ${variant}`,
      null,
      `git diff shows only the defaultVariant of ${f.key}`,
    ),
    step(
      `Commit and push the flag change`,
      `git commit -m ${sh(`Turn feature flag ${f.key} off (containment for ${change})`)} -- ${sh(f.file)} && git push`,
      `the flag provider serves ${variant} for ${f.key}`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// IaC state (question 4)

export function workspaceFor(input: DecisionInput, file: string): WorkspaceRef {
  const ws = [...input.repository.workspaces].sort((a, b) => b.dir.length - a.dir.length);
  return (
    ws.find((w) => w.dir === '.' || w.dir === '' || file === w.dir || file.startsWith(`${w.dir}/`)) ??
    ws[0] ?? { dir: dirOf(file), tool: 'tofu' }
  );
}

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i <= 0 ? '.' : file.slice(0, i);
}

export function tf(w: WorkspaceRef, rest: string): string {
  return `${w.tool} -chdir=${sh(w.dir === '' ? '.' : w.dir)} ${rest}`;
}

export function repairStateSteps(
  ws: readonly WorkspaceRef[],
  findings: readonly Finding[],
  input: DecisionInput,
): RunbookStep[] {
  const out: RunbookStep[] = [];
  for (const w of ws)
    out.push(
      step(
        `Compare recorded state with reality in workspace ${w.dir} before any apply (refresh-only: changes nothing)`,
        tf(w, 'plan -refresh-only'),
        'every difference listed is explained; no apply of the normal plan until it is',
      ),
    );
  for (const f of findings) {
    const w = workspaceFor(input, f.file);
    const address = typeof f.data?.address === 'string' ? f.data.address : null;
    if (f.rule === 'terraform/plan-drift' && f.messageId === 'deletedOutside' && address)
      out.push(
        step(
          `${address} was deleted outside Terraform: find out why, then either restore it and adopt it with an import block (import { to = ${address}, id = "<its id>" }) or remove it from configuration`,
          null,
          tf(w, 'plan') + ` shows no create of ${address} that nobody expects`,
        ),
      );
    else if (f.rule === 'terraform/plan-drift' && address)
      out.push(
        step(
          `${address} changed outside Terraform: write the real value into configuration, or accept reality into state with a refresh-only apply (a governed change)`,
          tf(w, 'apply -refresh-only'),
          tf(w, 'plan -detailed-exitcode') + ` shows no change for ${address}`,
        ),
      );
    else if (f.rule === 'terraform/moved-block-missing' && typeof f.data?.moved === 'string')
      out.push(
        step(
          `Add the missing moved block in ${f.file}: ${f.data.moved}`,
          null,
          tf(w, 'plan') + ' shows a move, not a destroy and create',
        ),
      );
    else if (f.rule === 'terraform/plan-incomplete')
      out.push(
        step(
          `Run a full plan (no -target) of workspace ${w.dir}: the partial plan left resources unplanned`,
          tf(w, 'plan'),
          'the plan completes without errors',
        ),
      );
    else if (
      f.rule === 'terraform/state-operation' ||
      f.rule === 'terraform/state-file-committed' ||
      f.rule === 'terraform/backend-changed'
    )
      out.push(
        step(
          `Review the state operation at ${f.file}:${f.line} (${f.message}); undo it with an import block or a moved block, never by pushing an old state`,
          null,
          tf(w, 'plan -refresh-only') + ' shows recorded state matching reality',
        ),
      );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Git: validation, revert, push

export function revertRange(commits: readonly string[], change: string): string {
  if (commits.length === 0) return change;
  if (commits.length === 1) return commits[0]!;
  return `${commits[0]}^..${commits[commits.length - 1]}`;
}

export function revertSteps(input: DecisionInput): RunbookStep[] {
  const range = revertRange(input.commits, input.change);
  return [
    step(
      'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
      cmd`rollwright revert ${range} --check`,
      "the revert's own class is no worse than the change's, and it applies without conflict",
    ),
    step(
      input.commits.length > 1
        ? `Revert the change's ${input.commits.length} commits in Git (newest first)`
        : 'Revert the change in Git',
      cmd`git revert --no-edit ${range}`,
      'git show --stat HEAD lists only the files of the change',
    ),
    step('Push the revert through the normal review path', 'git push', 'the pipeline checks pass on the revert commit'),
  ];
}

/** The imperative undo of break-glass, per kind of object the change touched. */
export function imperativeUndoSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const out: RunbookStep[] = [];
  const seen = new Set<string>();
  const add = (key: string, s: RunbookStep) => {
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  };
  for (const r of input.repository.rollouts)
    if (r.kind === 'Rollout')
      add(
        `rollout/${r.namespace}/${r.name}`,
        step(
          `Break-glass: roll Argo Rollout ${r.namespace}/${r.name} back to its previous revision`,
          `kubectl argo rollouts undo ${sh(r.name)} -n ${sh(r.namespace)}`,
          `kubectl argo rollouts get rollout ${sh(r.name)} -n ${sh(r.namespace)} shows the previous revision Healthy`,
        ),
      );
  for (const r of input.repository.reconcilers)
    if (r.kind === 'HelmRelease' && r.covers.length > 0)
      add(
        `hr/${r.namespace}/${r.name}`,
        step(
          `Break-glass: roll Helm release ${r.name} back to its previous revision (Flux names the release after the HelmRelease unless spec.releaseName or targetNamespace says otherwise)`,
          `helm rollback ${sh(r.name)} -n ${sh(r.namespace)}`,
          `helm history ${sh(r.name)} -n ${sh(r.namespace)} shows a new revision deployed from the previous chart and values`,
        ),
      );
  for (const f of findings) {
    const o = parseObject(f.object);
    if (!o) continue;
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) && o.group === 'apps')
      add(
        `${o.kind}/${o.namespace}/${o.name}`,
        step(
          `Break-glass: roll ${o.kind} ${o.namespace}/${o.name} back to its previous ReplicaSet/revision`,
          `kubectl rollout undo ${o.kind.toLowerCase()}/${sh(o.name)} -n ${sh(o.namespace)}`,
          `kubectl rollout status ${o.kind.toLowerCase()}/${sh(o.name)} -n ${sh(o.namespace)} completes`,
        ),
      );
  }
  const before = input.commits.length > 0 ? `${input.commits[0]}^` : `${input.change}^`;
  const tfFindings = findings.filter((f) => f.surface === 'terraform');
  if (out.length === 0 && tfFindings.length > 0) {
    const dir = '/tmp/rollwright-break-glass';
    out.push(
      step(
        'Break-glass: check out the previous revision beside the working tree',
        cmd`git worktree add ${dir} ${before}`,
        null,
      ),
    );
    const seenWs = new Set<string>();
    for (const f of tfFindings) {
      const w = workspaceFor(input, f.file);
      if (seenWs.has(w.dir)) continue;
      seenWs.add(w.dir);
      const local = { ...w, dir: `${dir}/${w.dir}` };
      out.push(
        step(
          `Break-glass: plan the previous revision of workspace ${w.dir} with the operator's credentials`,
          tf(local, 'plan -out=break-glass.tfplan'),
          'the plan undoes only what the change did',
        ),
        step(
          `Break-glass: apply that reviewed plan`,
          tf(local, 'apply break-glass.tfplan'),
          tf(local, 'plan -detailed-exitcode') + ' exits 0',
        ),
      );
    }
  }
  if (out.length === 0) {
    const files = [...new Set(findings.map((f) => f.file))].filter((f) => /\.ya?ml$/.test(f));
    for (const file of files)
      add(
        `file/${file}`,
        step(
          `Break-glass: apply the previous revision of ${file} directly`,
          `git show ${sh(`${before}:${file}`)} | kubectl apply -f -`,
          'kubectl apply reports the objects configured',
        ),
      );
  }
  if (out.length === 0)
    out.push(
      step(
        'Break-glass: undo the change directly on the system it changed, by hand, logging every command',
        null,
        'the previous behaviour is back',
      ),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Objects and ledger records

export interface ObjectRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** `finding.object` is `<group>/<kind>/<namespace>/<name>` (core group empty). */
export function parseObject(object: string | undefined): ObjectRef | null {
  if (!object) return null;
  const parts = object.split('/');
  if (parts.length !== 4) return null;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return { group, kind, namespace, name };
}

/** `Deployment shop/web` (the kubernetes surface's `describeObject`) as kind, namespace, name. */
export function parseWorkload(text: unknown): { kind: string; namespace: string; name: string } | null {
  if (typeof text !== 'string') return null;
  const m = /^(\w+) (?:([^/\s]+)\/)?([^/\s]+)$/.exec(text);
  return m ? { kind: m[1]!, namespace: m[2] ?? 'default', name: m[3]! } : null;
}

/** `rollwright record <type>` for the incident (or the change, where the ledger allows it). */
export function recordCmd(
  input: DecisionInput,
  type: string,
  data: ReadonlyArray<[string, string]>,
  opts: { needsIncident?: boolean; raw?: string } = {},
): string {
  const incident = input.ledger?.incident ?? null;
  const subject = incident
    ? `--incident ${sh(incident)}`
    : opts.needsIncident
      ? '--incident "$INCIDENT"'
      : `--change ${sh(input.change)}`;
  const fields = data.map(([k, v]) => ` --data ${sh(`${k}=${v}`)}`).join('');
  return `rollwright record ${type} ${subject}${fields}${opts.raw ? ` ${opts.raw}` : ''}`;
}
