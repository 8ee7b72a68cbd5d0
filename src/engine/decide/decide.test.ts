import { describe, expect, it } from 'vitest';
import { EVIDENCE_ITEMS } from '../../core/vocabulary.js';
import { decide, LEDGER_QUESTION, narrowestLoops, unresolvedFacts } from './decide.js';
import { FACTS } from './facts.js';
import {
  argoApp,
  finding,
  fluxKustomization,
  IMAGE_FROM,
  imageChanged,
  input,
  ledger,
  SHA1,
  SHA2,
  window,
} from './fixtures.js';
import { pickPlaybook } from './playbooks.js';
import { QUESTIONS } from './questions/index.js';
import type { Decision, DecisionInput, RolloutRef } from './types.js';

type Repo = DecisionInput['repository'];
const repo = (x: Partial<Repo>): Repo => ({ reconcilers: [], rollouts: [], flags: [], workspaces: [], ...x });
const commands = (d: Decision) => d.runbook.map((s) => s.command);
const sources = (d: Decision) => d.rationale.map((r) => r.source);
const answerTo = (d: Decision, q: string) => d.rationale.find((r) => r.question === q)?.answer;
const Q = Object.fromEntries(QUESTIONS.map((q) => [q.id, q.text])) as Record<(typeof QUESTIONS)[number]['id'], string>;
const ALL_EVIDENCE = [...EVIDENCE_ITEMS];
const REVERT_CHECK = `rollwright revert ${SHA1} --check --incident INC-7`;
const CHECK_TARGETS = `rollwright check-targets --change ${SHA1}`;
/** A plain rollback for a known incident: rollwright applies the checked revert and records the recovery. */
const REVERT = `rollwright revert ${SHA1} --apply --incident INC-7`;
/** An abort or a break-glass: the revert only makes Git agree, and the runbook records its own transition. */
const GIT_REVERT = `git revert --no-edit ${SHA1}`;
const reverts = (d: Decision) =>
  commands(d).filter((c) => c !== null && /^(git revert |rollwright revert .* --apply)/.test(c));
const RECORD_ROLLBACK =
  'rollwright record recovery.executed --incident INC-7 --data transition=rollback --data commit="$(git rev-parse HEAD)"';
const RECORD_ROLLFORWARD = RECORD_ROLLBACK.replace('transition=rollback', 'transition=rollforward');

/** Every imperative command that may appear only under break-glass. */
const IMPERATIVE = /kubectl rollout undo|helm rollback|kubectl argo rollouts undo|\| kubectl apply/;

const dropColumn = () =>
  finding('database/contract-statement', 'dropColumn', 'non-recoverable-without-restore', {
    file: 'db/migrations/0007_drop_legacy_email.up.sql',
    line: 1,
    severity: 'error',
    data: { target: 'users.legacy_email', column: 'legacy_email' },
    text: 'DROP COLUMN {{target}}: its data is destroyed',
  });

const iamNarrowing = () =>
  finding('terraform/plan-iam-changed', 'grantChanged', 'reversible-with-manual-repair', {
    file: 'infra/prod/iam.tf',
    line: 12,
    data: { address: 'aws_iam_role_policy.app', type: 'aws_iam_role_policy', action: 'updated in place' },
    text: '{{address}} ({{type}}) is {{action}}',
  });

describe('bad-app-release: image digest under Argo CD selfHeal', () => {
  const base = () => input([imageChanged()], { repository: repo({ reconcilers: [argoApp()] }) });

  it('rolls back by git revert through Git, never kubectl rollout undo', () => {
    const i = base();
    const d = decide(i);
    expect(d).toMatchObject({
      schema: 'rollwright.decision/v1',
      change: 'CHG-1',
      transition: 'rollback',
      containment: [],
      playbook: 'bad-app-release',
      class: 'fully-reversible',
      environment: 'prod',
      refused: [],
      overruled: [],
    });
    expect(sources(d)).toEqual([
      'assumed', // 1 loop
      'repository', // selfHeal overwrites imperative fixes
      'repository', // 2 rollouts
      'repository', // 3 flags
      'assessment', // 4 state
      'assessment', // 5 data
      'assumed', // 6 artifact check
      'assumed', // 6 summary
      'assumed', // 7 gitops
    ]);
    expect(answerTo(d, 'Will the controller overwrite an imperative fix in the cluster?')).toMatch(
      /^yes: Argo CD Application argocd\/web syncs automatically with selfHeal \(clusters\/prod\/apps\/web.yaml:1\)/,
    );
    expect(commands(d)).toEqual([
      CHECK_TARGETS,
      REVERT_CHECK,
      REVERT,
      'git push',
      'argocd app wait argocd/web --sync --health --timeout 600',
      null,
    ]);
    expect(d.runbook.some((s) => IMPERATIVE.test(s.command ?? ''))).toBe(false);
    expect(d.assumptions).toEqual([
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
    expect(d.evidenceOwed).toEqual(ALL_EVIDENCE);
    expect(unresolvedFacts(i)).toEqual(['loop-repeating-damage', 'artifact-available', 'gitops-path-available']);
  });

  it('with the loop repeating damage: pauses that ONE Application and restores its exact policy as the last step', () => {
    const other = argoApp({ name: 'api', paths: ['apps/api'], covers: [] });
    const i = input([imageChanged()], {
      repository: repo({ reconcilers: [argoApp(), other] }),
      stated: { 'loop-repeating-damage': true, 'artifact-available': true, 'gitops-path-available': true },
    });
    const d = decide(i);
    expect(d.transition).toBe('rollback');
    expect(d.containment).toEqual(['pause']);
    expect(commands(d)).toEqual([
      'argocd app set argocd/web --sync-policy none',
      'rollwright record pause.started --incident INC-7 --data target=Application/argocd/web --data controller=argocd',
      CHECK_TARGETS,
      REVERT_CHECK,
      REVERT,
      'git push',
      'argocd app sync argocd/web',
      null,
      'argocd app set argocd/web --sync-policy automated --self-heal --auto-prune',
    ]);
    const last = d.runbook[d.runbook.length - 1]!;
    expect(last.check).toContain('syncPolicy {automated: {prune: true, selfHeal: true}}');
    expect(last.check).toContain('rollwright record pause.ended --incident INC-7 --data target=Application/argocd/web');
    expect(d.runbook.some((s) => (s.command ?? '').includes('argocd/api'))).toBe(false);
    expect(sources(d).slice(0, 2)).toEqual(['fact', 'repository']);
    expect(d.assumptions).toEqual([]);
    expect(unresolvedFacts(i)).toEqual([]);
  });

  it('restores only the policy flags the Application had (selfHeal without prune)', () => {
    const d = decide(
      input([imageChanged()], {
        repository: repo({ reconcilers: [argoApp({ prune: false, syncPolicy: '{automated: {selfHeal: true}}' })] }),
        stated: { 'loop-repeating-damage': true },
      }),
    );
    expect(commands(d).at(-1)).toBe('argocd app set argocd/web --sync-policy automated --self-heal');
  });

  it('does not pause again when the ledger shows the pause active, but still ends with the resume', () => {
    const i = input([imageChanged()], {
      repository: repo({ reconcilers: [fluxKustomization()] }),
      ledger: ledger({
        activePauses: [
          { target: 'Kustomization/flux-system/apps', controller: 'flux', since: '2026-11-27T11:00:00.000Z' },
        ],
      }),
      stated: { 'loop-repeating-damage': true },
    });
    const d = decide(i);
    expect(d.containment).toEqual(['pause']);
    expect(answerTo(d, Q.loop)).toContain('already paused since 2026-11-27T11:00:00.000Z (ledger): not paused again');
    expect(commands(d).filter((c) => c?.startsWith('flux suspend'))).toEqual([]);
    expect(commands(d).at(-1)).toBe('flux resume kustomization apps -n flux-system');
    // suspended: no reconcile (flux refuses a suspended object); the resume applies the revert
    expect(commands(d).some((c) => c?.startsWith('flux reconcile'))).toBe(false);
  });

  it('an Application whose manifest a Flux Kustomization applies: the Kustomization is suspended first, resumed last', () => {
    const parent = fluxKustomization({ name: 'argocd-apps', paths: ['argocd'], covers: ['argocd/web.yaml'] });
    const i = input([imageChanged()], {
      repository: repo({ reconcilers: [argoApp({ parent })] }),
      stated: { 'loop-repeating-damage': true },
    });
    const d = decide(i);
    expect(commands(d).slice(0, 3)).toEqual([
      'flux suspend kustomization argocd-apps -n flux-system',
      'rollwright record pause.started --incident INC-7 --data target=Kustomization/flux-system/argocd-apps --data controller=flux',
      commands(
        decide(
          input([imageChanged()], {
            repository: repo({ reconcilers: [argoApp()] }),
            stated: { 'loop-repeating-damage': true },
          }),
        ),
      )[0],
    ]);
    expect(commands(d).at(-1)).toBe('flux resume kustomization argocd-apps -n flux-system');
    expect(answerTo(d, Q.loop)).toContain('pause Flux Kustomization flux-system/argocd-apps first');
    // A suspended parent never reconciles in the runbook: only the child is synced.
    expect(commands(d).some((c) => c?.startsWith('flux reconcile'))).toBe(false);
  });

  it('a closed window refuses the rollback, names the window, and gives the rollforward', () => {
    const i = input([imageChanged()], {
      ledger: ledger({
        windows: [
          window({ surface: 'appImage', window: '24h' }),
          window({ surface: 'databaseSchema', window: 'until-contract-phase' }),
        ],
      }),
    });
    const d = decide(i);
    expect(d.transition).toBe('rollforward');
    expect(d.refused).toEqual([
      {
        transition: 'rollback',
        reason:
          'Is the rollback window still open? No: the appImage rollback window "24h" (closed at 2026-11-27T10:00:00.000Z) has closed',
        alternative: 'rollforward',
      },
    ]);
    expect(answerTo(d, 'Is the rollback window still open?')).toContain('appImage rollback window "24h"');
    expect(answerTo(d, 'Is the rollback window still open?')).not.toContain('databaseSchema');
    expect(reverts(d)).toEqual([]);
    expect(commands(d)).toContain(`rollwright assess --base ${SHA1} --head HEAD`);
  });

  it('an open window lets the rollback through and says until when', () => {
    const d = decide(
      input([imageChanged()], {
        ledger: ledger({
          windows: [window({ open: true, closesAt: '2026-11-29T10:00:00.000Z', remainingSeconds: 100 })],
        }),
      }),
    );
    expect(d.transition).toBe('rollback');
    expect(answerTo(d, 'Is the rollback window still open?')).toBe(
      'yes: window "48h" open until 2026-11-29T10:00:00.000Z',
    );
  });

  it('gitops path down: break-glass, logged, then the reconciliation commit at once, resume last', () => {
    const i = input([imageChanged()], {
      repository: repo({ reconcilers: [fluxKustomization()] }),
      stated: { 'gitops-path-available': false, 'loop-repeating-damage': false, 'artifact-available': true },
    });
    const d = decide(i);
    expect(d.transition).toBe('break-glass');
    expect(d.containment).toEqual(['pause']);
    const c = commands(d);
    expect(c).toEqual([
      'flux suspend kustomization apps -n flux-system',
      'rollwright record pause.started --incident INC-7 --data target=Kustomization/flux-system/apps --data controller=flux',
      'kubectl rollout undo deployment/web -n shop',
      'rollwright record recovery.executed --incident INC-7 --data transition=break-glass',
      GIT_REVERT,
      'git push',
      null,
      'flux resume kustomization apps -n flux-system',
    ]);
    // the imperative action is followed by its log and then the reconciliation commit, nothing between
    const undo = c.indexOf('kubectl rollout undo deployment/web -n shop');
    expect(c[undo + 1]).toMatch(/^rollwright record recovery\.executed/);
    expect(c[undo + 2]).toBe(GIT_REVERT);
    expect(d.assumptions).toEqual([]);
  });

  it('imperative commands never appear outside break-glass', () => {
    const facts: Array<Record<string, boolean>> = [
      {},
      { 'loop-repeating-damage': true },
      { 'rollout-in-progress': true },
      { 'artifact-available': false },
    ];
    for (const stated of facts) {
      const d = decide(
        input([imageChanged()], {
          repository: repo({
            reconcilers: [argoApp()],
            rollouts: [{ kind: 'Rollout', name: 'web', namespace: 'shop', file: 'r.yaml', line: 1 }],
          }),
          stated,
        }),
      );
      expect(d.transition).not.toBe('break-glass');
      expect(d.runbook.filter((s) => IMPERATIVE.test(s.command ?? ''))).toEqual([]);
    }
  });

  it('a missing previous artifact means no rollback: rollforward with a rebuilt artifact', () => {
    const d = decide(input([imageChanged()], { stated: { 'artifact-available': false } }));
    expect(d.transition).toBe('rollforward');
    expect(d.refused[0]!.reason).toMatch(
      /^Does the previous artifact still exist and verify\? No: .* no longer exists/,
    );
    expect(d.runbook[0]!.step).toContain('rebuild the previous version');
  });

  it('the previous artifact recorded in the ledger answers previous-artifact', () => {
    const prev = 'ghcr.io/acme/web@sha256:' + 'c'.repeat(64);
    const d = decide(input([imageChanged()], { ledger: ledger({ previousArtifact: prev }) }));
    expect(answerTo(d, 'Does the previous artifact still exist and verify?')).toContain(prev);
    expect(commands(d)).toContain(`docker manifest inspect ${prev}`);
  });
});

describe('progressive rollouts and flags', () => {
  const rollout = { kind: 'Rollout' as const, name: 'web', namespace: 'shop', file: 'apps/web/rollout.yaml', line: 3 };

  it('a rollout before promotion: the abort is the recovery, the revert makes Git agree', () => {
    const d = decide(
      input([imageChanged()], { repository: repo({ rollouts: [rollout] }), stated: { 'rollout-in-progress': true } }),
    );
    expect(d.transition).toBe('abort-rollout');
    expect(d.containment).toEqual([]);
    expect(commands(d).slice(0, 4)).toEqual([
      'kubectl argo rollouts abort web -n shop',
      CHECK_TARGETS,
      REVERT_CHECK,
      GIT_REVERT,
    ]);
  });

  it('an abort before a rollforward stays containment', () => {
    const d = decide(
      input([imageChanged()], {
        repository: repo({ rollouts: [rollout] }),
        stated: { 'rollout-in-progress': true, 'artifact-available': false },
      }),
    );
    expect(d.transition).toBe('rollforward');
    expect(d.containment).toEqual(['abort-rollout']);
  });

  it('the ledger answers rollout-in-progress once the promotion phase is deployed', () => {
    const i = input([imageChanged()], {
      repository: repo({ rollouts: [rollout] }),
      ledger: ledger({ phasesPassed: ['promoted'] }),
      stated: { 'rollout-in-progress': true },
    });
    const d = decide(i);
    expect(d.transition).toBe('rollback');
    expect(d.overruled).toEqual([{ fact: 'rollout-in-progress', stated: 'yes', evidence: 'phase promoted deployed' }]);
    expect(d.rationale.find((r) => r.question === Q.rollout)!.source).toBe('ledger');
  });

  it('a Flagger Canary is rolled back through its rollback gate, not an Argo command', () => {
    const d = decide(
      input([imageChanged()], {
        repository: repo({ rollouts: [{ kind: 'Canary', name: 'web', namespace: 'shop', file: 'c.yaml', line: 1 }] }),
        stated: { 'rollout-in-progress': true },
      }),
    );
    expect(d.runbook[0]!.command).toBeNull();
    expect(d.runbook[0]!.step).toContain('rollback gate');
    expect(d.runbook[0]!.check).toBe('kubectl get canary web -n shop shows Failed with the canary weight at 0');
  });

  it('a flag that contains the impact is turned off in Git first, then the code is decided', () => {
    const d = decide(
      input([imageChanged()], {
        repository: repo({
          flags: [{ key: 'new checkout', source: 'flagd', file: 'flags/flags.flagd.json', line: 4, offVariant: 'off' }],
        }),
        stated: { 'flag-contains-impact': true },
      }),
    );
    expect(d.containment).toEqual(['rollforward']);
    expect(d.transition).toBe('rollback');
    expect(d.runbook[0]!.step).toBe(
      'Turn feature flag new checkout off in Git: in flags/flags.flagd.json:4 (flagd) set defaultVariant to off',
    );
    expect(d.runbook[1]!.command).toBe(
      "git commit -m 'Turn feature flag new checkout off (containment for CHG-1)' -- flags/flags.flagd.json && git push",
    );
  });
});

describe('bad-database-migration', () => {
  it('a dropped column is never rolled back: rollforward without a backup', () => {
    const i = input([dropColumn()]);
    const d = decide(i);
    expect(d.transition).toBe('rollforward');
    expect(d.playbook).toBe('bad-database-migration');
    expect(d.containment).toEqual([]);
    expect(d.refused).toEqual([
      {
        transition: 'rollback',
        reason:
          'data destroyed: DROP COLUMN users.legacy_email: its data is destroyed (db/migrations/0007_drop_legacy_email.up.sql:1)',
        alternative: 'rollforward',
      },
    ]);
    expect(sources(d)).toEqual([
      'repository',
      'repository',
      'repository',
      'assessment',
      'assessment',
      'assumed',
      'assumed',
      'assessment',
      'assumed',
    ]);
    expect(commands(d)).toEqual([
      null,
      'rollwright rehearse --dir db/migrations',
      `rollwright assess --base ${SHA1} --head HEAD`,
      'git push',
      null,
      RECORD_ROLLFORWARD,
      null,
    ]);
    expect(d.runbook[0]!.step).toContain('re-create users.legacy_email as nullable');
    expect(reverts(d)).toEqual([]);
    expect(d.assumptions).toEqual([
      'assumed backup-available=no: destroyed data is gone; rollforward and compensate',
      'assumed external-effects=no: nothing outside the system needs compensating',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
    expect(unresolvedFacts(i)).toEqual(['backup-available', 'external-effects', 'gitops-path-available']);
    expect(d.evidenceOwed).toEqual(ALL_EVIDENCE);
  });

  it('with a backup: restore (PITR into a separate instance), never rollback', () => {
    const d = decide(input([dropColumn()], { stated: { 'backup-available': true } }));
    expect(d.transition).toBe('restore');
    expect(d.refused[0]!.alternative).toBe('restore');
    expect(d.runbook[0]!.step).toBe(
      'Restore the database to a point before 2026-11-27T10:00:00.000Z into a separate instance (point-in-time recovery; never over the live database)',
    );
    expect(reverts(d)).toEqual([]);
  });

  it('a stated data-changed=no is overruled by the dropped column, and the rationale says so', () => {
    const d = decide(input([dropColumn()], { stated: { 'data-changed': false } }));
    expect(d.transition).toBe('rollforward');
    expect(d.overruled).toEqual([
      {
        fact: 'data-changed',
        stated: 'no',
        evidence:
          'DROP COLUMN users.legacy_email: its data is destroyed (db/migrations/0007_drop_legacy_email.up.sql:1)',
      },
    ]);
    expect(answerTo(d, Q.data)).toContain('(the stated data-changed=no is overruled: the assessment wins)');
    expect(d.assumptions.some((a) => a.startsWith('assumed data-changed'))).toBe(false);
  });

  it('expand-only: rollback inside the window, rehearsed first when reads switched, schema kept', () => {
    const expand = finding('database/expand-statement', 'addColumn', 'reversible-with-compatibility-window', {
      file: 'db/migrations/0008_add_phone.up.sql',
      data: { target: 'users.phone', type: 'text' },
    });
    const i = input([expand]);
    const d = decide(i);
    expect(d.transition).toBe('rollback');
    expect(commands(d)).toEqual([
      'rollwright rehearse --dir db/migrations',
      REVERT_CHECK,
      REVERT,
      'git push',
      null, // keep the expanded schema
      null, // the pipeline deploys
      null,
    ]);
    expect(unresolvedFacts(i)).toEqual(['data-changed', 'reads-switched', 'external-effects', 'gitops-path-available']);
    const stated = decide(input([expand], { stated: { 'reads-switched': false, 'data-changed': false } }));
    expect(commands(stated)).not.toContain('rollwright rehearse --dir db/migrations');
  });

  it('expand-only after the databaseSchema window closed (contract phase deployed): refused', () => {
    const expand = finding('database/expand-statement', 'addColumn', 'reversible-with-compatibility-window', {
      file: 'db/migrations/0008_add_phone.up.sql',
    });
    const closed = window({
      surface: 'databaseSchema',
      window: 'until-contract-phase',
      kind: 'event',
      closesAt: null,
      closesOn: 'contract',
      closedBy: { seq: 9, type: 'change.deployed', change: 'CHG-2', at: '2026-11-27T12:00:00.000Z' },
    });
    const d = decide(input([expand], { ledger: ledger({ windows: [closed] }) }));
    expect(d.transition).toBe('rollforward');
    expect(d.refused[0]!.reason).toContain(
      'databaseSchema rollback window "until-contract-phase" (closed by change.deployed phase contract at 2026-11-27T12:00:00.000Z)',
    );
  });

  it('an enum value added is forward-only', () => {
    const enumAdded = finding('database/enum-value-added', 'added', 'forward-only', {
      file: 'db/migrations/0009.up.sql',
    });
    const d = decide(input([enumAdded]));
    expect(d.transition).toBe('rollforward');
    expect(d.refused[0]!.reason).toMatch(/^forward-only data change: /);
  });

  it('business records inserted by a migration are compensated', () => {
    const insert = finding('database/data-mutation', 'insert', 'compensatable', {
      file: 'db/migrations/0010_seed.up.sql',
      data: { table: 'invoices' },
      text: 'INSERT INTO {{table}}',
    });
    const d = decide(input([insert]));
    expect(d.transition).toBe('compensate');
    expect(d.runbook.map((s) => s.step)).toContain(
      'Compensate each effect with a domain action (a corrective record, a credit, a follow-up message); a rollback does not undo them',
    );
    expect(
      answerTo(
        d,
        'Did the change cause effects outside the system (notifications sent, billing events, calls to partners)?',
      ),
    ).toBe('yes: effects outside the system cannot be rolled back: compensate them');
  });
});

describe('bad-iam-change', () => {
  it('a narrowing whose previous policy was over-broad: a narrow forward fix, never the broad policy back', () => {
    const i = input([iamNarrowing()], {
      repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }),
      stated: { 'old-iam-over-broad': true, 'state-drift': false, 'loop-repeating-damage': false },
    });
    const d = decide(i);
    expect(d.transition).toBe('rollforward');
    expect(d.playbook).toBe('bad-iam-change');
    expect(d.containment).toEqual([]);
    expect(d.refused).toEqual([
      {
        transition: 'rollback',
        reason:
          'Was the previous IAM policy not over-broad? No: the policy before aws_iam_role_policy.app was over-broad: restoring it reintroduces the over-permission (stated --fact old-iam-over-broad)',
        alternative: 'rollforward',
      },
    ]);
    expect(commands(d)).toEqual([
      null,
      'tofu -chdir=infra/prod plan',
      `rollwright assess --base ${SHA1} --head HEAD`,
      'git push',
      'tofu -chdir=infra/prod plan -out=recovery.tfplan',
      'tofu -chdir=infra/prod apply recovery.tfplan',
      RECORD_ROLLFORWARD,
      null,
    ]);
    expect(d.runbook[0]!.step).toMatch(/^Narrow forward fix: grant aws_iam_role_policy.app only the permission/);
    expect(reverts(d)).toEqual([]);
    expect(d.assumptions).toEqual([
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
  });

  it('by default the previous IAM policy is assumed over-broad (the safe side), and state drift assumed: repair first', () => {
    const i = input([iamNarrowing()], { repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }) });
    const d = decide(i);
    expect(d.transition).toBe('rollforward');
    expect(d.containment).toEqual(['repair-state']);
    expect(d.runbook[0]!.command).toBe('tofu -chdir=infra/prod plan -refresh-only');
    expect(unresolvedFacts(i)).toEqual([
      'loop-repeating-damage',
      'state-drift',
      'old-iam-over-broad',
      'gitops-path-available',
    ]);
  });

  it('a previous policy that was not over-broad is restored by revert', () => {
    const d = decide(
      input([iamNarrowing()], {
        repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }),
        stated: { 'old-iam-over-broad': false, 'state-drift': false },
      }),
    );
    expect(d.transition).toBe('rollback');
    expect(commands(d)).toContain(REVERT);
  });
});

describe('bad-network-change', () => {
  it('reverts through Git, then a connectivity check and a break-glass path ready', () => {
    const net = finding('terraform/plan-network-changed', 'changed', 'reversible-with-manual-repair', {
      file: 'plan.json',
      data: { address: 'aws_security_group_rule.db_ingress', kind: 'security group rule', action: 'deleted' },
    });
    const d = decide(
      input([net], {
        repository: repo({ workspaces: [{ dir: 'infra/network', tool: 'terraform' }] }),
        stated: { 'state-drift': false, 'loop-repeating-damage': false },
      }),
    );
    expect(d.transition).toBe('rollback');
    expect(d.playbook).toBe('bad-network-change');
    expect(commands(d)).toEqual([
      REVERT_CHECK,
      REVERT,
      'git push',
      'terraform -chdir=infra/network plan -out=recovery.tfplan',
      'terraform -chdir=infra/network apply recovery.tfplan',
      null,
      null,
      null,
    ]);
    expect(d.runbook[5]!.step).toBe(
      'Connectivity check for aws_security_group_rule.db_ingress: from the affected clients, reach what it routes or admits',
    );
    expect(d.assumptions).toEqual([
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
  });
});

describe('bad-iac-module', () => {
  it('drift in the plan: repair-state first; freeze, find stacks, pin, fresh plan, compare after', () => {
    const mod = finding('terraform/module-version-changed', 'minor', 'reversible-with-manual-repair', {
      file: 'infra/prod/main.tf',
      line: 3,
      data: { address: 'module.vpc', from: '5.1.0', to: '5.2.0' },
    });
    const drift = finding('terraform/plan-drift', 'drifted', 'reversible-with-manual-repair', {
      file: 'plan.json',
      data: { address: 'aws_subnet.private[0]', attributes: 'tags' },
      text: '{{address}} changed outside Terraform ({{attributes}})',
    });
    const i = input([mod, drift], {
      repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }),
      stated: { 'loop-repeating-damage': false, 'state-drift': false },
    });
    const d = decide(i);
    expect(d.playbook).toBe('bad-iac-module');
    expect(d.transition).toBe('rollback');
    expect(d.containment).toEqual(['repair-state']);
    // the plan's drift wins over the stated state-drift=no
    expect(d.overruled).toEqual([
      {
        fact: 'state-drift',
        stated: 'no',
        evidence: 'aws_subnet.private[0] changed outside Terraform (tags) (plan.json:1)',
      },
    ]);
    expect(commands(d)).toEqual([
      'tofu -chdir=infra/prod plan -refresh-only',
      'tofu -chdir=infra/prod apply -refresh-only',
      null, // freeze promotion
      "git grep -n 5.2.0 -- '*.tf'",
      null, // pin previous
      'tofu -chdir=infra/prod plan',
      REVERT_CHECK,
      REVERT,
      'git push',
      'tofu -chdir=infra/prod plan -out=recovery.tfplan',
      'tofu -chdir=infra/prod apply recovery.tfplan',
      'tofu -chdir=infra/prod plan -refresh-only -detailed-exitcode',
      null,
    ]);
    expect(d.runbook[2]!.step).toBe('Freeze promotion of module.vpc 5.2.0 to other stacks');
    expect(d.runbook[4]!.step).toBe(
      'Pin the previous version 5.1.0 for module.vpc (the revert does it for this stack)',
    );
    expect(answerTo(d, 'Does the previous artifact still exist and verify?')).toContain('module.vpc 5.1.0');
  });

  describe('an EKS one-minor upgrade: rollback only within its 7 days', () => {
    const eks = () =>
      finding('terraform/version-upgraded', 'windowed', 'reversible-with-compatibility-window', {
        file: 'infra/prod/main.tf',
        line: 4,
        data: { address: 'aws_eks_cluster.main', attribute: 'version', from: '1.29', to: '1.30', windowDays: 7 },
        text: '{{address}}: {{attribute}} {{from}} -> {{to}}',
      });
    const stated = { 'loop-repeating-damage': false, 'state-drift': false } as const;
    it('inside the window (deployed a day ago): rollback', () => {
      const d = decide(input([eks()], { stated, ledger: ledger({ deployedAt: '2026-11-27T00:00:00.000Z' }) }));
      expect(d.transition).toBe('rollback');
      expect(d.rationale.map((r) => r.answer).join('\n')).toContain('7-day rollback of');
      expect(d.rationale.map((r) => r.answer).join('\n')).toContain('is open until 2026-12-04T00:00:00.000Z');
    });
    it('after the window (deployed 8 days ago): refused, roll forward', () => {
      const d = decide(input([eks()], { stated, ledger: ledger({ deployedAt: '2026-11-20T00:00:00.000Z' }) }));
      expect(d.transition).toBe('rollforward');
      expect(d.refused.map((r) => r.reason).join('\n')).toContain('closed at 2026-11-27T00:00:00.000Z');
    });
    it('no ledger record of the deployment: not assumed open', () => {
      expect(decide(input([eks()], { stated, ledger: null })).transition).toBe('rollforward');
      expect(decide(input([eks()], { stated: { ...stated, 'window-open': true }, ledger: null })).transition).toBe(
        'rollback',
      );
    });
  });
});

describe('bad-policy-rule', () => {
  it('captures the denied input and adds a regression test before reverting the one rule', () => {
    const pol = finding('policy/enforcing-rule-added', 'added', 'reversible-with-compatibility-window', {
      file: 'policies/require-limits.yaml',
      line: 8,
      data: { unit: 'ClusterPolicy require-limits rule check-limits', action: 'Enforce', kinds: 'Pod' },
    });
    const app = argoApp({ name: 'policies', paths: ['policies'], covers: ['policies/require-limits.yaml'] });
    const i = input([pol], { repository: repo({ reconcilers: [app] }), stated: { 'loop-repeating-damage': false } });
    const d = decide(i);
    expect(d.playbook).toBe('bad-policy-rule');
    expect(d.transition).toBe('rollback');
    expect(d.runbook.map((s) => s.step).slice(0, 3)).toEqual([
      'Capture the denied input before changing anything: the admission request or policy report that ClusterPolicy require-limits rule check-limits denied',
      'Add the denied input as a regression test of the policy (it must be admitted after the fix)',
      'If the rule itself must stay, use a scoped exception with an expiry (one namespace or object, a TTL) rather than disabling the policy bundle',
    ]);
    expect(commands(d)).toEqual([
      'kubectl get events --all-namespaces --field-selector reason=PolicyViolation',
      null,
      null,
      REVERT_CHECK,
      REVERT,
      'git push',
      'argocd app wait argocd/policies --sync --health --timeout 600',
      null,
    ]);
    expect(unresolvedFacts(i)).toEqual(['policy-denies-old', 'gitops-path-available']);
    const denied = decide(input([pol], { stated: { 'policy-denies-old': true } }));
    expect(denied.transition).toBe('rollforward');
    expect(denied.refused[0]!.reason).toContain("today's admission policy denies the previous manifests");
  });
});

describe('bad-controller-upgrade', () => {
  const ctrl = () =>
    finding('controllers/controller-upgraded', 'withCrds', 'reversible-with-manual-repair', {
      file: 'infra/cert-manager/helmrelease.yaml',
      line: 14,
      object: 'helm.toolkit.fluxcd.io/HelmRelease/cert-manager/cert-manager',
      data: {
        controller: 'cert-manager',
        what: 'chart',
        from: 'v1.14.0',
        to: 'v1.15.0',
        crds: 'certificates.cert-manager.io',
      },
    });
  const hr = fluxKustomization({
    kind: 'HelmRelease',
    name: 'cert-manager',
    namespace: 'cert-manager',
    paths: ['infra/cert-manager'],
    covers: ['infra/cert-manager/helmrelease.yaml'],
  });

  it('compatible CRDs: checks them before the downgrade, pauses the one HelmRelease, resumes it, then checks the drift of the upgraded controller', () => {
    const i = input([ctrl()], {
      repository: repo({ reconcilers: [hr] }),
      stated: { 'crds-compatible': true, 'loop-repeating-damage': true, 'artifact-available': true },
    });
    const d = decide(i);
    expect(d.playbook).toBe('bad-controller-upgrade');
    expect(d.transition).toBe('rollback');
    expect(d.containment).toEqual(['pause']);
    expect(commands(d)).toEqual([
      'flux suspend helmrelease cert-manager -n cert-manager',
      'rollwright record pause.started --incident INC-7 --data target=HelmRelease/cert-manager/cert-manager --data controller=flux',
      'kubectl get crd -o custom-columns=NAME:.metadata.name,STORED:.status.storedVersions',
      REVERT_CHECK,
      REVERT,
      'git push',
      null, // suspended: applied on resume
      null,
      'flux resume helmrelease cert-manager -n cert-manager',
      // the suspended HelmRelease applies the previous cert-manager only when resumed: then cert-manager's
      // own objects are checked (not Flux's: Flux was not upgraded)
      'kubectl get certificates --all-namespaces',
    ]);
    expect(d.runbook[d.runbook.length - 1]!.step).toBe(
      "Check the certificates cert-manager should have renewed or issued while it was degraded (after Flux HelmRelease cert-manager/cert-manager, which installs it, runs the recovery's revision)",
    );
    expect(d.assumptions).toEqual([
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
  });

  it('unknown CRD compatibility is assumed incompatible: rollforward on the new controller', () => {
    const i = input([ctrl()], { repository: repo({ reconcilers: [hr] }) });
    const d = decide(i);
    expect(d.transition).toBe('rollforward');
    expect(d.refused.map((r) => r.reason)).toEqual([
      'Are controller and CRD versions compatible with the previous state? No: a downgrade may strand stored objects (assumed crds-compatible=no)',
    ]);
    expect(unresolvedFacts(i)).toEqual([
      'loop-repeating-damage',
      'artifact-available',
      'crds-compatible',
      'gitops-path-available',
    ]);
  });

  it('a served version removed: the assessment answers crds-compatible=no', () => {
    const removed = finding('crd/served-version-removed', 'removed', 'forward-only', {
      file: 'crds/widgets.yaml',
      data: { crd: 'widgets.example.com', version: 'v1alpha1' },
      text: '{{crd}}: version {{version}} is removed',
    });
    const d = decide(input([removed], { stated: { 'crds-compatible': true } }));
    expect(d.transition).toBe('rollforward');
    expect(d.overruled).toEqual([
      {
        fact: 'crds-compatible',
        stated: 'yes',
        evidence: 'widgets.example.com: version v1alpha1 is removed (crds/widgets.yaml:1)',
      },
    ]);
  });
});

describe('bad-config-reference', () => {
  it('reverts the removed key through Git and restarts the workload that reads it through env', () => {
    const dangling = finding('kubernetes/dangling-reference', 'keyRemoved', 'reversible-with-manual-repair', {
      file: 'apps/web/prod/configmap.yaml',
      line: 5,
      object: '/ConfigMap/shop/web-config',
      data: {
        workload: 'Deployment shop/web',
        kind: 'ConfigMap',
        name: 'web-config',
        keys: 'DATABASE_HOST',
        via: 'env',
      },
    });
    const i = input([dangling], {
      repository: repo({ reconcilers: [argoApp({ covers: ['apps/web/prod/configmap.yaml'] })] }),
      declaration: {
        source: '.rollwright/changes/CHG-1.yaml',
        verification: ['error-rate < 1%', 'login-success-rate > 99.5%'],
      },
      ledger: ledger({ evidenceAttached: ['change-id', 'approval'] }),
    });
    const d = decide(i);
    expect(d.playbook).toBe('bad-config-reference');
    expect(d.transition).toBe('rollback');
    expect(commands(d)).toEqual([
      REVERT_CHECK,
      REVERT,
      'git push',
      'argocd app wait argocd/web --sync --health --timeout 600',
      'kubectl rollout restart deployment/web -n shop',
      null,
      null,
    ]);
    expect(d.runbook.slice(-2)).toEqual([
      { step: 'Verify: error-rate < 1%', command: null, check: 'error-rate < 1%' },
      { step: 'Verify: login-success-rate > 99.5%', command: null, check: 'login-success-rate > 99.5%' },
    ]);
    expect(d.evidenceOwed).toEqual(ALL_EVIDENCE.filter((e) => e !== 'change-id' && e !== 'approval'));
    expect(d.assumptions).toEqual([
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ]);
  });

  it('a secret committed in plain text is compromised: rotate forward, never revert to it', () => {
    const plain = finding('kubernetes/plaintext-secret', 'plaintext', 'forward-only', {
      file: 'apps/web/prod/secret.yaml',
      object: '/Secret/shop/db',
      data: { object: 'Secret shop/db', count: 1, keys: 'password' },
      text: '{{object}} commits {{count}} unencrypted value(s) to Git (keys: {{keys}})',
    });
    const d = decide(input([plain], { stated: { 'secret-compromised': false } }));
    expect(d.transition).toBe('rollforward');
    expect(d.overruled.map((o) => o.fact)).toEqual(['secret-compromised']);
    expect(d.runbook[0]!.step).toMatch(/^Forward fix \(secret\): rotate forward/);
  });

  it('a rotated secret with the old one revoked: rollforward', () => {
    const rot = finding('secrets/sops-rotated', 'rotated', 'reversible-with-compatibility-window', {
      file: 'secrets/db.enc.yaml',
    });
    const i = input([rot], { stated: { 'old-secret-revoked': true } });
    expect(unresolvedFacts(i)).toEqual(['secret-compromised', 'gitops-path-available']);
    expect(decide(i).transition).toBe('rollforward');
  });
});

describe('immutable fields and unassessed parts', () => {
  it('an immutable field in the way: rollforward naming it', () => {
    const imm = finding('kubernetes/immutable-field-changed', 'changed', 'reversible-with-manual-repair', {
      file: 'apps/db/statefulset.yaml',
      object: 'apps/StatefulSet/shop/db',
      data: { object: 'StatefulSet shop/db', field: 'spec.volumeClaimTemplates' },
      text: '{{object}}: {{field}} changed',
    });
    const d = decide(input([imm]));
    expect(d.transition).toBe('rollforward');
    expect(d.refused[0]!.reason).toBe(
      'Does no immutable field stand in the way of the revert? No: StatefulSet shop/db: spec.volumeClaimTemplates changed (apps/db/statefulset.yaml:1): the revert needs the object deleted and re-created',
    );
  });

  it('an unreadable file is never safe', () => {
    const bin = finding('core/unreadable-file', 'binary', 'non-recoverable-without-restore', { file: 'apps/x.yaml' });
    expect(decide(input([bin])).transition).toBe('rollforward');
  });
});

describe('facts: unresolvedFacts is exactly what decide() assumes', () => {
  const scenarios: Array<[string, DecisionInput]> = [
    ['image + argo', input([imageChanged()], { repository: repo({ reconcilers: [argoApp()] }) })],
    ['drop column', input([dropColumn()])],
    [
      'no ledger, declared window',
      input([imageChanged()], { ledger: null, declaration: { source: 'trailer:1111', rollbackWindow: '24h' } }),
    ],
    ['iam', input([iamNarrowing()], { repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }) })],
    [
      'everything',
      input([imageChanged(), iamNarrowing()], {
        repository: repo({
          reconcilers: [argoApp()],
          rollouts: [{ kind: 'Rollout', name: 'web', namespace: 'shop', file: 'r.yaml', line: 1 }],
          flags: [{ key: 'f', source: 'flagd', file: 'f.json', line: 1, offVariant: null }],
        }),
        ledger: null,
      }),
    ],
  ];
  it.each(scenarios)('%s', (_name, i) => {
    const d = decide(i);
    const assumed = unresolvedFacts(i);
    expect(d.assumptions.map((a) => /^assumed ([a-z-]+)/.exec(a)![1])).toEqual(assumed);
    // answering every assumed fact with its assumed value gives the same decision without assumptions
    const answered = new Map(i.facts);
    for (const name of assumed) answered.set(name, FACTS.find((f) => f.name === name)!.assume);
    const again = decide({ ...i, facts: answered });
    expect(again.assumptions).toEqual([]);
    expect(again.transition).toBe(d.transition);
    expect(commands(again)).toEqual(commands(d));
  });

  it('assumes only facts that matter: no IAM, secret or CRD question for a ConfigMap change', () => {
    const cm = finding('kubernetes/configmap-data-changed', 'changed', 'fully-reversible', {
      file: 'apps/web/cm.yaml',
      object: '/ConfigMap/shop/web',
    });
    expect(unresolvedFacts(input([cm]))).toEqual(['gitops-path-available']);
  });

  it('is deterministic', () => {
    const i = scenarios[4]![1];
    expect(JSON.stringify(decide(i))).toBe(JSON.stringify(decide(i)));
  });
});

describe('helpers', () => {
  it('reverts several commits newest first with one range', () => {
    const d = decide(input([imageChanged()], { commits: [SHA1, SHA2] }));
    // `^` is quoted: zsh with EXTENDED_GLOB reads it as a glob
    expect(commands(d)).toContain(`rollwright revert '${SHA1}^..${SHA2}' --apply --incident INC-7`);
    expect(commands(d)).toContain(`rollwright revert '${SHA1}^..${SHA2}' --check --incident INC-7`);
  });

  it('without a known incident: the revert is checked as it is, made with git revert, and the recovery recorded by the runbook', () => {
    const d = decide(input([imageChanged()], { ledger: ledger({ incident: null }) }));
    expect(d.transition).toBe('rollback');
    const c = commands(d);
    expect(c).toContain(`rollwright revert ${SHA1} --check`);
    expect(c).toContain(GIT_REVERT);
    expect(c.some((x) => x?.startsWith('rollwright revert') && x.includes('--apply'))).toBe(false);
    expect(c).toContain(
      'rollwright record recovery.executed --incident "$INCIDENT" --data transition=rollback --data commit="$(git rev-parse HEAD)"',
    );
  });

  it('quotes names from the repository that are not shell-safe', () => {
    const d = decide(
      input([imageChanged()], {
        repository: repo({ reconcilers: [fluxKustomization({ name: "apps; rm -rf /'" })] }),
        stated: { 'loop-repeating-damage': true },
      }),
    );
    expect(commands(d)[0]).toBe(`flux suspend kustomization 'apps; rm -rf /'\\''' -n flux-system`);
  });

  it('picks the narrowest loop per changed file', () => {
    const appSet = argoApp({ kind: 'ApplicationSet', name: 'all', paths: ['apps'] });
    const ks = fluxKustomization({ paths: ['apps'] });
    const app = argoApp();
    expect(narrowestLoops([appSet, ks, app])).toEqual([app]);
    expect(narrowestLoops([appSet, argoApp({ covers: [] })])).toEqual([appSet]);
  });

  it('playbook priority: database > IAM > network > IaC module > controller > policy > config > app', () => {
    const pol = finding('policy/rule-removed', 'enforcing', 'fully-reversible', { file: 'p.yaml' });
    expect(pickPlaybook([imageChanged(), pol])).toBe('bad-policy-rule');
    expect(pickPlaybook([iamNarrowing(), dropColumn()])).toBe('bad-database-migration');
    expect(pickPlaybook([imageChanged()])).toBe('bad-app-release');
    expect(pickPlaybook([])).toBe('bad-app-release');
  });
});

describe('break-glass and windows without the usual parts', () => {
  it('a Terraform change with the pipeline down: plan and apply the previous revision from a worktree, then reconcile', () => {
    const d = decide(
      input([iamNarrowing()], {
        repository: repo({ workspaces: [{ dir: 'infra/prod', tool: 'tofu' }] }),
        stated: {
          'gitops-path-available': false,
          'old-iam-over-broad': false,
          'state-drift': false,
          'loop-repeating-damage': false,
        },
      }),
    );
    expect(d.transition).toBe('break-glass');
    expect(commands(d).slice(0, 6)).toEqual([
      `git worktree add /tmp/rollwright-break-glass '${SHA1}^'`,
      'tofu -chdir=/tmp/rollwright-break-glass/infra/prod plan -out=break-glass.tfplan',
      'tofu -chdir=/tmp/rollwright-break-glass/infra/prod apply break-glass.tfplan',
      'rollwright record recovery.executed --incident INC-7 --data transition=break-glass',
      GIT_REVERT,
      'git push',
    ]);
  });

  it('no ledger: the rationale says so, and a declared window is an assumption (not assumed open), not a pass', () => {
    const i = input([imageChanged()], {
      ledger: null,
      declaration: { source: 'trailer:1111', rollbackWindow: '24h' },
    });
    const d = decide(i);
    expect(d.rationale[0]).toEqual({
      question: LEDGER_QUESTION,
      answer:
        'no ledger record of the change (no ledger, or it knows nothing of the change): deployment time, windows, phases and pauses unknown; the declared window (24h) is not assumed open (window-open=no unless stated)',
      source: 'ledger',
    });
    expect(answerTo(d, 'Is the rollback window still open?')).toBe(
      'no: no ledger record of the deployment, so whether the declared window (24h) is still open is unknown; it is not assumed open: state --fact window-open=yes after checking, or record change.deployed (assumed window-open=no)',
    );
    expect(d.transition).toBe('rollforward');
    expect(d.assumptions).toContain(
      'assumed window-open=no: the window has closed (or is unknown): roll forward on top of the current state',
    );
    expect(unresolvedFacts(i)).toContain('window-open');
    // Stated open after checking: the rollback goes ahead, and the record names the incident to come.
    const open = decide({ ...i, facts: new Map([['window-open', true]]) });
    expect(open.transition).toBe('rollback');
    expect(open.assumptions.join('\n')).not.toContain('window-open');
    expect(commands(open)).toContain(
      'rollwright record recovery.executed --incident "$INCIDENT" --data transition=rollback --data commit="$(git rev-parse HEAD)"',
    );
  });

  it('no ledger and no declared window: said in the rationale, nothing assumed about windows', () => {
    const d = decide(input([imageChanged()], { ledger: null }));
    expect(d.rationale[0]!.answer).toMatch(/no window is declared for the change, so none is checked$/);
    expect(d.rationale[0]!.source).toBe('ledger');
    expect(d.assumptions.join('\n')).not.toContain('window-open');
    expect(d.transition).toBe('rollback');
  });

  it('with a ledger record: no ledger entry in the rationale', () => {
    expect(decide(input([imageChanged()])).rationale.map((r) => r.question)).not.toContain(LEDGER_QUESTION);
  });
});

describe('a CRD change without a controller upgrade', () => {
  const served = finding('crd/served-version-removed', 'unserved', 'forward-only', {
    file: 'charts/widgets/crds/widgets.yaml',
    line: 11,
    object: 'apiextensions.k8s.io/CustomResourceDefinition//widgets.example.com',
    data: { version: 'v1' },
  });

  it('checks the stored versions of the CRD, and no controller drift (no controller was degraded)', () => {
    const d = decide(input([served]));
    expect(d.transition).toBe('rollforward');
    const steps = d.runbook.map((s) => s.command ?? '');
    expect(steps).toContain("kubectl get crd widgets.example.com -o jsonpath='{.status.storedVersions}'");
    expect(steps.some((c) => c.startsWith('argocd ') || c.startsWith('flux '))).toBe(false);
    expect(d.runbook.map((s) => s.step).join('\n')).not.toMatch(/was degraded/);
  });

  it('checks the loop that applies the change when there is one', () => {
    const d = decide(
      input([served], { repository: { reconcilers: [argoApp()], rollouts: [], flags: [], workspaces: [] } }),
    );
    const steps = d.runbook.map((s) => s.command ?? '');
    expect(steps).toContain('argocd app list -o wide');
    expect(steps.some((c) => c.startsWith('flux get'))).toBe(false);
  });
});

describe('a loop definition that could not be read', () => {
  it('is not "no loop": the answer says it is unknown, and names the file', () => {
    const d = decide(
      input([imageChanged()], {
        repository: {
          reconcilers: [],
          rollouts: [],
          flags: [],
          workspaces: [],
          unreadLoops: [{ file: 'argocd/web.yaml', line: 3, reason: 'YAML: bad indentation' }],
        },
      }),
    );
    const loop = d.rationale.find((r) => r.question === 'Is a control loop repeating damage?')!;
    expect(loop.source).toBe('repository');
    expect(loop.answer).toMatch(/^unknown: .*argocd\/web\.yaml:3: YAML: bad indentation/);
  });
});

describe('a rollout definition that could not be read', () => {
  const repo = (
    unreadRollouts: Array<{ file: string; line: number; reason: string }>,
    rollouts: RolloutRef[] = [],
  ) => ({
    repository: { reconcilers: [], rollouts, flags: [], workspaces: [], unreadRollouts },
  });
  const question = 'Is a progressive rollout still before full promotion?';

  it.each([
    [
      'one unparseable file',
      [{ file: 'rollouts/web.yaml', line: 4, reason: 'YAML: bad indentation' }],
      /^unknown: .*a file that may define one could not be read \(rollouts\/web\.yaml:4: YAML: bad indentation\)/,
    ],
    [
      'two files',
      [
        { file: 'a.yaml', line: 1, reason: 'binary or larger than the size limit' },
        { file: 'b.yaml', line: 2, reason: 'YAML: x' },
      ],
      /^unknown: .*2 files that may define one could not be read \(a\.yaml:1: binary or larger than the size limit; b\.yaml:2: YAML: x\)/,
    ],
  ])('%s: the answer is unknown, names the files and how to check, and aborts nothing', (_n, unread, answer) => {
    const d = decide(input([imageChanged()], repo(unread)));
    const r = d.rationale.find((x) => x.question === question)!;
    expect(r.source).toBe('repository');
    expect(r.answer).toMatch(answer);
    expect(r.answer).toContain('kubectl argo rollouts list rollouts -A');
    expect(d.runbook.some((s) => (s.command ?? '').includes('rollouts abort'))).toBe(false);
  });

  it('a readable rollout is answered as before, even beside an unread file', () => {
    const ro: RolloutRef = { kind: 'Rollout', name: 'web', namespace: 'shop', file: 'rollouts/web.yaml', line: 4 };
    const d = decide(input([imageChanged()], repo([{ file: 'x.yaml', line: 1, reason: 'YAML: x' }], [ro])));
    const r = d.rationale.find((x) => x.question === question)!;
    expect(r.answer).not.toMatch(/^unknown/);
    expect(r.answer).toContain('shop/web');
  });

  it('no unread file and no rollout is "no"', () => {
    const d = decide(input([imageChanged()], repo([])));
    expect(d.rationale.find((x) => x.question === question)!.answer).toMatch(/^no: /);
  });
});
