import type { Finding } from '../../../core/finding.js';
import { relevantWorkspaces } from '../loops.js';
import { cmd, sh } from '../shell.js';
import type { DecisionInput, PlaybookId, RunbookStep } from '../types.js';
import { dirOf, parseWorkload, step } from './step.js';
import { tf } from './terraform.js';
import { crdOf, dataOf, isFindingOf, policyUnitOf, previousImageOf, rules, workloadOf } from '../findings.js';

/**
 * The steps a playbook adds around the recovery: before it (the previous artifact checked, the old
 * read path checked, a rehearsal, the denied input captured, CRDs checked, a module release frozen)
 * and after it (workloads restarted, connectivity checked, state compared).
 */

/** The images the change replaced (`kubernetes/image-changed`): the rollback targets to check. */
export function previousImages(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map(previousImageOf).filter((from): from is string => typeof from === 'string'))];
}

/** The change as `rollwright check-targets --change` takes it: its one commit, else base..head. */
export function changeRev(input: DecisionInput): string {
  const a = input.assessment;
  return input.commits.length === 1 && input.commits[0] === a.head ? a.head : `${a.base}..${a.head}`;
}

export function playbookBefore(
  input: DecisionInput,
  findings: readonly Finding[],
  playbook: PlaybookId,
  rehearseFirst: boolean,
  checkOldReads: boolean,
): RunbookStep[] {
  const out: RunbookStep[] = [];
  const images = previousImages(findings);
  const targets = input.assessment.targets?.targets ?? [];
  if (images.length > 0 || targets.length > 0) {
    const named = images.length > 0 ? images : [...new Set(targets.map((t) => t.target))];
    out.push(
      step(
        `Check the rollback targets still exist (${named.join(', ')})${images.some((i) => !/@sha256:/.test(i)) ? '; a tag may have moved: the check says the digest it names now' : ''}`,
        cmd`rollwright check-targets --change ${changeRev(input)}`,
        'exits 0: every rollback target exists (exit 1 names the missing one: roll forward instead)',
      ),
    );
  }
  const stated = input.facts.get('previous-artifact');
  const prev = input.ledger?.previousArtifact ?? (typeof stated === 'string' ? stated : null);
  if (
    prev &&
    !previousImages(findings).includes(prev) &&
    /^[\w.-]+(?::\d+)?\/[^\s]+(?:@sha256:[0-9a-f]{64}|:[\w.-]+)$/.test(prev)
  )
    out.push(
      step(
        `Check the previously deployed artifact (${input.ledger?.previousArtifact ? 'ledger' : 'stated'}) still exists`,
        `docker manifest inspect ${sh(prev)}`,
        'exits 0: the rollback target exists',
      ),
    );
  if (checkOldReads)
    out.push(
      step(
        'Check the previous version reads what the new one wrote: start it against a copy (snapshot) of the data in staging',
        null,
        'the previous version starts and serves reads from the copied data',
      ),
    );
  if (rehearseFirst) {
    const dirs = [...new Set(findings.filter((f) => f.surface === 'database').map((f) => dirOf(f.file)))];
    for (const d of dirs)
      out.push(
        step(
          'Rehearse the migrations (up, old queries, down, up again) before rolling back',
          cmd`rollwright rehearse --dir ${d}`,
          'the rehearsal reports no failed old query and no rows lost',
        ),
      );
  }
  if (playbook === 'bad-policy-rule') out.push(...policyCaptureSteps(findings));
  if (playbook === 'bad-controller-upgrade') out.push(...crdCheckSteps(findings));
  if (playbook === 'bad-iac-module') out.push(...moduleSteps(input, findings));
  return out;
}

export function playbookAfter(input: DecisionInput, findings: readonly Finding[], playbook: PlaybookId): RunbookStep[] {
  const out: RunbookStep[] = [];
  if (playbook === 'bad-config-reference') {
    const seen = new Set<string>();
    for (const f of findings) {
      if (!(
        isFindingOf(f, rules.danglingReference) ||
        (isFindingOf(f, rules.configMapDataChanged) && (f.messageId === 'env' || f.messageId === 'subPath'))
      ))
        continue;
      const w = parseWorkload(workloadOf(f));
      if (!w || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind)) continue;
      const key = `${w.kind}/${w.namespace}/${w.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        step(
          `Restart ${w.kind} ${w.namespace}/${w.name}: it reads the ${isFindingOf(f, rules.danglingReference) ? 'restored reference' : 'ConfigMap'} only at pod start`,
          `kubectl rollout restart ${w.kind.toLowerCase()}/${sh(w.name)} -n ${sh(w.namespace)}`,
          `kubectl rollout status ${w.kind.toLowerCase()}/${sh(w.name)} -n ${sh(w.namespace)} completes`,
        ),
      );
    }
  }
  if (playbook === 'bad-network-change') {
    for (const f of findings.filter((x) => isFindingOf(x, rules.planNetworkChanged)))
      out.push(
        step(
          `Connectivity check for ${String(dataOf(f, rules.planNetworkChanged)?.address ?? f.file)}: from the affected clients, reach what it routes or admits`,
          null,
          'connections succeed from every affected client, and nothing newly reachable that should not be',
        ),
      );
    out.push(
      step(
        'Keep a break-glass path ready if this pipeline reaches its targets through the changed network (console or out-of-band access, logged)',
        null,
        null,
      ),
    );
  }
  if (playbook === 'bad-iac-module') {
    for (const w of relevantWorkspaces(
      input,
      findings.filter((f) => f.surface === 'terraform'),
    ))
      out.push(
        step(
          `Compare desired, recorded and actual state of workspace ${w.dir} after the recovery`,
          tf(w, 'plan -refresh-only -detailed-exitcode'),
          'exits 0: recorded state matches reality; a normal plan shows no changes',
        ),
      );
  }
  return out;
}

function policyCaptureSteps(findings: readonly Finding[]): RunbookStep[] {
  const units = [
    ...new Set(findings.filter((f) => f.surface === 'policy').map((f) => String(policyUnitOf(f) ?? f.file))),
  ];
  return [
    step(
      `Capture the denied input before changing anything: the admission request or policy report that ${units.join(', ')} denied`,
      'kubectl get events --all-namespaces --field-selector reason=PolicyViolation',
      'the denied object and the message of the rule are saved with the incident',
    ),
    step(
      'Add the denied input as a regression test of the policy (it must be admitted after the fix)',
      null,
      'the policy tests fail on the bad rule and pass on the fix',
    ),
    step(
      'If the rule itself must stay, use a scoped exception with an expiry (one namespace or object, a TTL) rather than disabling the policy bundle',
      null,
      'the exception names its scope and expiry',
    ),
  ];
}

function crdCheckSteps(findings: readonly Finding[]): RunbookStep[] {
  const crds = [
    ...new Set(
      findings
        .filter((f) => f.surface === 'crd')
        .map((f) => String(crdOf(f) ?? ''))
        .filter((s) => /\./.test(s)),
    ),
  ];
  const out = crds.map((name) =>
    step(
      `Check CRD ${name} before any downgrade: every stored version must be served by the previous controller`,
      `kubectl get crd ${sh(name)} -o jsonpath='{.status.storedVersions}'`,
      'every listed version is served by the previous release',
    ),
  );
  if (out.length === 0)
    out.push(
      step(
        'Check the CRDs of the controller before a downgrade: every stored version must be served by the previous release',
        `kubectl get crd -o custom-columns=NAME:.metadata.name,STORED:.status.storedVersions`,
        'every stored version is served by the previous release',
      ),
    );
  return out;
}

function moduleSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const modules = findings.filter((f) => isFindingOf(f, rules.moduleVersionChanged));
  const out: RunbookStep[] = [];
  for (const m of modules) {
    const d = dataOf(m, rules.moduleVersionChanged);
    const address = String(d?.address ?? m.file);
    out.push(
      step(
        `Freeze promotion of ${address} ${String(d?.to ?? 'the new release')} to other stacks`,
        null,
        'no pipeline promotes the release while the incident is open',
      ),
    );
    out.push(
      step(
        `Find the stacks that use the release (${String(d?.to ?? '')})`,
        `${cmd`git grep -n ${String(d?.to ?? address)}`} -- '*.tf'`,
        'the list of stacks already on it',
      ),
    );
    out.push(
      step(
        `Pin the previous version ${String(d?.from ?? '')} for ${address} (the revert does it for this stack)`,
        null,
        `${m.file} names ${String(d?.from ?? 'the previous version')}`,
      ),
    );
  }
  for (const w of relevantWorkspaces(
    input,
    findings.filter((f) => f.surface === 'terraform'),
  ))
    out.push(
      step(
        `Fresh plan of workspace ${w.dir} before anything is applied`,
        tf(w, 'plan'),
        'the plan changes only what the module release changed',
      ),
    );
  return out;
}
