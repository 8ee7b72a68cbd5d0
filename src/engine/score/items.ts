/**
 * The production-readiness checklist (docs/score.md), one judge per item. Each reads only what
 * `gather` and the ledger gave it and says what decided it; an item whose input is absent (no ledger,
 * nothing of its kind in the window) is `unknown`, never a pass by default.
 */
import { requiresDeclaration } from '../../core/config.js';
import type { ScoreStatus } from '../../core/vocabulary.js';
import { sloTargets } from '../../ledger/config.js';
import { evidenceView } from '../../ledger/evidence.js';
import { sloReport, SLO_EVENT_TYPES } from '../../ledger/slo.js';
import type { ScoreInput, ScoreItem } from './types.js';
import {
  type ItemSpec,
  changeRef,
  list,
  byShare,
  unknown,
  windowEvents,
  NO_LEDGER,
  assessed,
  withRule,
  windowLine,
  errorsLine,
  declarationSource,
  namesCommit,
  transitionOf,
  DIGESTS_FIX,
  MODULES_FIX,
  artifactsItem,
  share,
} from './judging.js';

export const CHECKLIST: readonly ItemSpec[] = [
  {
    id: 'declarations',
    title: 'Every production change declares a rollback class',
    judge(input) {
      const envs = Object.keys(input.config.environments).filter((e) => requiresDeclaration(input.config, e));
      const prod = assessed(input).filter((c) => c.production);
      const fix = `declare the rollback class of every change to ${envs.join(', ') || 'an environment that requires declarations'}: a file under ${input.config.declarations.dir}/ or Rollback-Class trailers (a change already merged: a declaration whose id is its commit id)`;
      if (prod.length === 0)
        return unknown(
          [
            windowLine(input),
            `none touched a path of ${envs.join(', ') || 'an environment that requires declarations'}`,
            ...errorsLine(input),
          ],
          fix,
        );
      const declared = prod.filter((c) => c.declaration?.rollbackClass !== undefined);
      const late = prod.filter((c) => !c.declaration && c.declaredLate);
      const noClass = prod.filter((c) => c.declaration && c.declaration.rollbackClass === undefined);
      const missing = prod.filter((c) => !c.declaration && !c.declaredLate);
      const bySource = (s: string) => declared.filter((c) => declarationSource(c) === s).length;
      const evidence = [
        windowLine(input),
        `${prod.length} touched production paths: ${declared.length} declared a class (${bySource('file')} by file, ${bySource('trailers')} by trailers), ${late.length} declared after the fact, ${missing.length} undeclared${noClass.length ? `, ${noClass.length} declared without a class` : ''}`,
      ];
      if (late.length)
        evidence.push(`declared after the fact: ${list(late, (c) => `${changeRef(c)} (${c.declaredLate})`)}`);
      if (missing.length) evidence.push(`undeclared: ${list(missing, changeRef)}`);
      if (noClass.length) evidence.push(`without a class: ${list(noClass, changeRef)}`);
      evidence.push(...errorsLine(input));
      const good = declared.length + late.length;
      return { status: byShare(good, prod.length), evidence, fix: good === prod.length ? '' : fix };
    },
  },
  {
    id: 'method-reviewed',
    title: 'The rollback method is reviewed before apply',
    judge(input) {
      const declared = assessed(input).filter((c) => c.production && c.declaration);
      const fix =
        'give every declaration a rollbackMethod (or a Rollback-Method trailer) in the change itself, so that it is reviewed with the change before it is applied';
      if (declared.length === 0)
        return unknown([windowLine(input), 'no production change in the window carried a declaration'], fix);
      return share(
        declared,
        (c) => Boolean(c.declaration!.rollbackMethod),
        (good, bad) =>
          `${declared.length} production changes declared in the change itself: ${good} name a rollback method, ${bad} do not`,
        'no method',
        changeRef,
        fix,
      );
    },
  },
  {
    id: 'digests',
    title: 'Digests are immutable and retained',
    judge: (input) =>
      artifactsItem(input, input.tree.images, 'images', 'no container image referenced at HEAD', DIGESTS_FIX),
  },
  {
    id: 'compatibility-tested',
    title: 'App rollback compatibility is tested',
    judge(input) {
      const windowed = assessed(input).filter((c) =>
        c.findings.some((f) => f.class === 'reversible-with-compatibility-window' && f.severity !== 'info'),
      );
      const fix =
        'for a change whose rollback works only while old and new overlap, declare the window (rollbackWindow) and the verification that proves the old version still works (verification)';
      if (windowed.length === 0)
        return unknown([windowLine(input), 'no change in the window depends on a compatibility window'], fix);
      return share(
        windowed,
        (c) => c.declaration?.rollbackWindow !== undefined && (c.declaration.verification?.length ?? 0) > 0,
        (good, bad) =>
          `${windowed.length} changes roll back only within a compatibility window: ${good} declare the window and a verification, ${bad} do not`,
        'without window or verification',
        changeRef,
        fix,
      );
    },
  },
  {
    id: 'expand-contract',
    title: 'Database changes use expand/contract',
    judge(input) {
      const db = assessed(input).filter((c) => c.findings.some((f) => f.surface === 'database'));
      const fix =
        'expand first (add, backfill, dual-write), release the code that stops reading the old shape, then contract in a later release';
      if (db.length === 0) return unknown([windowLine(input), 'no database migration changed in the window'], fix);
      const mixed = withRule(input, ['database/expand-and-contract-same-release']);
      const early = db.filter((c) =>
        c.findings.some((f) => f.rule === 'database/contract-statement' && f.severity === 'error'),
      );
      const expands = db.filter((c) => c.findings.some((f) => f.rule === 'database/expand-statement'));
      // An info contract drops what no released version used (created in the same change): not a contract.
      const contracts = db.filter((c) =>
        c.findings.some((f) => f.rule === 'database/contract-statement' && f.severity !== 'info'),
      );
      const evidence = [
        `${db.length} changes touched migrations: ${expands.length} expand, ${contracts.length} contract, ${mixed.length} expand and contract in one release`,
      ];
      if (mixed.length) evidence.push(`expand and contract together: ${list(mixed, changeRef)}`);
      if (early.length) evidence.push(`contract while the running version still reads it: ${list(early, changeRef)}`);
      const status: ScoreStatus = mixed.length ? 'fail' : early.length ? 'partial' : 'pass';
      return { status, evidence, fix: status === 'pass' ? '' : fix };
    },
  },
  {
    id: 'secret-rotation',
    title: 'Secret rotation has a rollback or forward-fix plan',
    judge(input) {
      const rules = [
        'secrets/sops-rotated',
        'secrets/external-secret-changed',
        'secrets/sealed-secret-changed',
        'kubernetes/plaintext-secret',
      ];
      const rotations = withRule(input, rules);
      const fix =
        'declare each rotation with its method (how the old key is restored, or the forward fix when it is revoked) and its window (rollbackWindow, e.g. secretRotation: 2h unless compromise suspected)';
      if (rotations.length === 0)
        return unknown([windowLine(input), 'no secret changed or rotated in the window'], fix);
      const plaintext = withRule(input, ['kubernetes/plaintext-secret']);
      return share(
        rotations,
        (c) => Boolean(c.declaration?.rollbackMethod || c.declaredLate),
        (good, bad) =>
          `${rotations.length} changes rotated or changed secrets: ${good} with a declared method, ${bad} without`,
        'no plan',
        changeRef,
        fix,
        plaintext.length ? [`a plaintext secret committed (rotate it): ${list(plaintext, changeRef)}`] : [],
      );
    },
  },
  {
    id: 'iac-pinned',
    title: 'IaC modules are versioned and pinned',
    judge: (input) =>
      artifactsItem(
        input,
        input.tree.modules,
        'remote module calls',
        'no Terraform module call with a remote source at HEAD',
        MODULES_FIX,
      ),
  },
  {
    id: 'state-repair-governed',
    title: 'State repair is governed',
    judge(input) {
      const repairs = withRule(input, [
        'terraform/import-block',
        'terraform/moved-block-added',
        'terraform/state-operation',
        'terraform/plan-import',
        'terraform/plan-move',
        'terraform/plan-forget',
      ]);
      const fix =
        'put imports, moves and state surgery through review: a declaration with its method in the change, or a repair-state decision in the ledger (rollwright decide, or record decision.made transition=repair-state change=<commit>)';
      if (repairs.length === 0)
        return unknown([windowLine(input), 'no import, moved block or state operation in the window'], fix);
      const decisions = windowEvents(input, ['decision.made', 'recovery.executed']).filter((e) =>
        transitionOf(e).includes('repair-state'),
      );
      return share(
        repairs,
        (c) => Boolean(c.declaration?.rollbackMethod || decisions.some((e) => namesCommit(e, c.sha))),
        (good, bad) =>
          `${repairs.length} changes repair state (import or moved blocks, state commands): ${good} declared or decided, ${bad} neither`,
        'ungoverned',
        changeRef,
        fix,
        [
          input.ledger
            ? `${decisions.length} repair-state decisions in the ledger${decisions.length ? `: ${list(decisions, (e) => `#${e.seq}`)}` : ''}`
            : `${NO_LEDGER(input)}; only declarations were checked`,
        ],
      );
    },
  },
  {
    id: 'pause-scoped',
    title: 'Controller pause/resume is scoped',
    judge(input) {
      const fix =
        'pause one object (one Argo CD Application, one Flux Kustomization), record it (pause.started target=<kind>/<name>) and record its resume (pause.ended)';
      if (!input.ledger) return unknown([NO_LEDGER(input)], fix);
      const started = windowEvents(input, ['pause.started']);
      const planned = windowEvents(input, ['decision.made']).filter((e) => transitionOf(e).includes('pause'));
      if (started.length === 0)
        return unknown(
          [
            `no pause.started in the ledger since ${input.since.start.slice(0, 10)}`,
            ...(planned.length
              ? [
                  `${planned.length} decisions planned a pause (${list(planned, (e) => `#${e.seq} ${e.subject.incident ?? ''}`.trim())}), none recorded as done`,
                ]
              : []),
          ],
          fix,
        );
      const ended = windowEvents(input, ['pause.ended']);
      const broad = started.filter((e) => !scopedTarget(String(e.payload.target ?? '')));
      const open = started.filter((e) => !ended.some((x) => x.payload.target === e.payload.target && x.seq > e.seq));
      const evidence = [
        `${started.length} pauses recorded: ${started.length - broad.length} name one object, ${broad.length} do not; ${open.length} never resumed`,
      ];
      if (broad.length) evidence.push(`broad: ${list(broad, (e) => `#${e.seq} target=${String(e.payload.target)}`)}`);
      if (open.length)
        evidence.push(`not resumed: ${list(open, (e) => `#${e.seq} target=${String(e.payload.target)}`)}`);
      const status: ScoreStatus = broad.length ? 'fail' : open.length ? 'partial' : 'pass';
      return { status, evidence, fix: status === 'pass' ? '' : fix };
    },
  },
  {
    id: 'policy-exceptions',
    title: 'Policy rollback and exceptions have tests and expiry',
    judge(input) {
      const { policies, exceptions } = input.policies;
      const fix =
        'test the policies (kyverno test, opa test on *_test.rego, gator verify) and give every PolicyException an expiry (the cleanup.kyverno.io/ttl label)';
      if (policies.length === 0 && exceptions.length === 0)
        return unknown(['no admission policy (Kyverno, Gatekeeper, ValidatingAdmissionPolicy, Rego) at HEAD'], fix);
      const noExpiry = exceptions.filter((e) => !e.expiry);
      const evidence = [
        `${policies.length} policy files at HEAD, ${input.policyTests.length} policy test files${input.policyTests.length ? ` (${list(input.policyTests, (p) => p)})` : ''}`,
        `${exceptions.length} PolicyExceptions, ${noExpiry.length} without an expiry${noExpiry.length ? `: ${list(noExpiry, (e) => e.ref)}` : ''}`,
      ];
      const status: ScoreStatus =
        policies.length > 0 && input.policyTests.length === 0 ? 'fail' : noExpiry.length ? 'partial' : 'pass';
      return { status, evidence, fix: status === 'pass' ? '' : fix };
    },
  },
  {
    id: 'controller-upgrades',
    title: 'Controller upgrades have a rollback path',
    judge(input) {
      const upgrades = withRule(input, ['controllers/controller-upgraded']);
      const fix =
        'declare each controller upgrade with its rollback method (the previous version, and what its CRDs need), and roll it to a canary cluster or ring first';
      if (upgrades.length === 0) return unknown([windowLine(input), 'no controller upgrade in the window'], fix);
      // Every cluster at once: the same bump in each environment's files, or one bump in a base they all build.
      const noCanary = withRule(input, ['controllers/no-canary']);
      const sharedBase = withRule(input, ['controllers/shared-base-upgrade']);
      return share(
        upgrades,
        (c) =>
          Boolean(c.declaration?.rollbackMethod || c.declaredLate) && !noCanary.includes(c) && !sharedBase.includes(c),
        (good, bad) =>
          `${upgrades.length} controller upgrades: ${good} declared with a method and rolled out in rings, ${bad} not`,
        'no rollback path',
        changeRef,
        fix,
        sharedBase.length
          ? [`upgraded in a base every environment builds, with no ring: ${list(sharedBase, changeRef)}`]
          : [],
      );
    },
  },
  {
    id: 'break-glass-reconciled',
    title: 'A direct manual rollback triggers a reconciliation commit',
    judge(input) {
      const fix =
        'after a break-glass change, commit the state it left (or revert it) and record it: recovery.executed with commit=<sha> for the incident';
      if (!input.ledger) return unknown([NO_LEDGER(input)], fix);
      const glass = windowEvents(input, ['decision.made', 'recovery.executed']).filter((e) =>
        transitionOf(e).includes('break-glass'),
      );
      if (glass.length === 0)
        return unknown(
          [`no break-glass decision or recovery in the ledger since ${input.since.start.slice(0, 10)}`],
          fix,
        );
      const executed = windowEvents(input, ['recovery.executed']);
      return share(
        glass,
        (g) =>
          executed.some(
            (e) =>
              e.seq > g.seq &&
              e.subject.incident === g.subject.incident &&
              typeof e.payload.commit === 'string' &&
              !transitionOf(e).includes('break-glass'),
          ),
        (good, bad) => `${glass.length} break-glass events: ${good} followed by a recovery with a commit, ${bad} not`,
        'not reconciled',
        (e) => `#${e.seq} ${e.subject.incident ?? ''}`.trim(),
        fix,
      );
    },
  },
  {
    id: 'rollback-evidence',
    title: 'Rollbacks produce evidence',
    judge(input) {
      const fix =
        'attach what each recovery owes (rollwright evidence show <incident> lists it): record evidence.attached item=<item> ref=<proof>';
      if (!input.ledger) return unknown([NO_LEDGER(input)], fix);
      const events = input.ledger.events;
      const recovered = [
        ...new Set(
          windowEvents(input, ['recovery.executed'])
            .map((e) => e.subject.incident)
            .filter((i) => i !== null),
        ),
      ] as string[];
      const detected = windowEvents(input, ['incident.detected']).map((e) => e.subject.incident!);
      if (recovered.length === 0)
        return unknown(
          [
            `no recovery recorded since ${input.since.start.slice(0, 10)}${detected.length ? `; ${detected.length} incidents detected (${list(detected, (i) => i)}), none recovered yet` : ''}`,
          ],
          fix,
        );
      const views = recovered.map((id) => {
        const detection = events.find((e) => e.type === 'incident.detected' && e.subject.incident === id);
        const change = detection?.subject.change ?? null;
        return evidenceView(
          id,
          'incident',
          events.filter((e) => e.subject.incident === id || (change !== null && e.subject.change === change)),
          input.config,
        );
      });
      const complete = views.filter((v) => v.complete);
      const owing = views.filter((v) => !v.complete);
      const evidence = [
        `${views.length} recovered incidents: ${complete.length} with complete evidence, ${owing.length} owing`,
      ];
      if (owing.length) evidence.push(`owed: ${list(owing, (v) => `${v.id} (${v.owed.join(', ')})`)}`);
      return { status: byShare(complete.length, views.length), evidence, fix: owing.length ? fix : '' };
    },
  },
  {
    id: 'rollback-slos',
    title: 'Critical services have rollback SLOs',
    judge(input) {
      const configured = Object.keys(input.config.rollbackSLO ?? {});
      const fix =
        'set rollbackSLO targets (detect, decide, execute, verify, evidence) in .rollwright.yaml for every service deployed to production, and meet them';
      if (configured.length === 0)
        return {
          status: 'fail',
          evidence: ['no rollbackSLO in .rollwright.yaml: no service has rollback targets'],
          fix,
        };
      const evidence = [`rollbackSLO targets for ${list(configured, (s) => s)}`];
      if (!input.ledger)
        return { status: 'partial', evidence: [...evidence, `${NO_LEDGER(input)}: attainment not measured`], fix };
      const deployed = input.ledger.events.filter(
        (e) =>
          e.type === 'change.deployed' &&
          e.subject.environment !== null &&
          requiresDeclaration(input.config, e.subject.environment),
      );
      const critical = [...new Set(deployed.map((e) => e.subject.service).filter((s) => s !== null))] as string[];
      const untargeted = critical.filter((s) => Object.values(sloTargets(input.config, s)).every((t) => t === null));
      const report = sloReport(
        input.ledger.events.filter((e) => (SLO_EVENT_TYPES as readonly string[]).includes(e.type)),
        input.config,
        { since: input.since.start, now: input.now },
      );
      const breached = report.incidents.filter((i) => Object.values(i.phases).some((p) => p.breached === true));
      evidence.push(
        `${critical.length} services deployed to production in the ledger${critical.length ? ` (${list(critical, (s) => s)})` : ''}, ${untargeted.length} without targets${untargeted.length ? `: ${list(untargeted, (s) => s)}` : ''}`,
        `${report.incidents.length} incidents since ${input.since.start.slice(0, 10)}, ${breached.length} breached a phase target${
          breached.length
            ? `: ${list(
                breached,
                (i) =>
                  `${i.id} (${Object.entries(i.phases)
                    .filter(([, p]) => p.breached)
                    .map(([k]) => k)
                    .join(', ')})`,
              )}`
            : ''
        }`,
      );
      const status: ScoreStatus =
        critical.length > 0 && untargeted.length === critical.length
          ? 'fail'
          : untargeted.length || breached.length || critical.length === 0
            ? 'partial'
            : 'pass';
      return { status, evidence, fix: status === 'pass' ? '' : fix };
    },
  },
];

/** One object paused: `kind/name` or `namespace/kind/name` (`argocd/shop-prod`), never a wildcard, a namespace alone or a whole controller. */
export function scopedTarget(target: string): boolean {
  if (!/^[\w.-]+(\/[\w.-]+){1,2}$/.test(target)) return false;
  return !/(^|\/)(all|\*|everything)$/i.test(target);
}

export function judgeAll(input: ScoreInput): ScoreItem[] {
  return CHECKLIST.map((spec) => ({ id: spec.id, title: spec.title, ...spec.judge(input) }));
}
