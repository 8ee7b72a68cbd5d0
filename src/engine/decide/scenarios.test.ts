/**
 * The eight playbooks (docs/concepts.md#playbooks), one incident each: a real git repository
 * holding the bad change, a real SQLite ledger with its deployment and detection, the facts the
 * on-call engineer states, and the decision with its runbook asserted in full.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordEvent, type RecordInput } from '../../ledger/record.js';
import { Ledger } from '../../ledger/store.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { renderDecision } from '../../reporters/decision.js';
import { decide } from './decide.js';
import { parseFacts } from './facts.js';
import { gatherDecisionInput, type GatherOptions } from './gather/index.js';
import { PLAYBOOKS, type Decision } from './types.js';

const fixtures: GitFixture[] = [];
afterAll(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});

interface Scenario {
  repo: GitFixture;
  /** The bad commit. */
  bad: string;
  /** Decides about the change with these facts (`name=value`) and options. */
  decide(facts?: string[], opts?: Partial<GatherOptions>): Promise<Decision>;
}

async function scenario(
  files: Record<string, string>,
  badMessage: string,
  badFiles: Record<string, string>,
  events: Array<Omit<RecordInput, 'actor'>>,
  defaults: { change: string; at: string; plan?: string },
): Promise<Scenario> {
  const repo = GitFixture.create('rollwright-scenario-');
  fixtures.push(repo);
  repo.commit('the state that worked', files);
  const bad = repo.commit(badMessage, badFiles);
  const ledger = await Ledger.open(
    { kind: 'sqlite', path: join(repo.dir, '.rollwright', 'ledger.db') },
    { create: true },
  );
  try {
    for (const e of events) await recordEvent(ledger, { actor: 'pipeline', ...e });
  } finally {
    await ledger.close();
  }
  let plan: string | undefined;
  if (defaults.plan !== undefined) {
    // The pipeline's plan of the change (terraform show -json), kept outside the work tree.
    plan = join(repo.dir, '.git', 'rollwright-plan.json');
    writeFileSync(plan, defaults.plan);
  }
  return {
    repo,
    bad,
    async decide(facts = [], opts = {}) {
      const g = await gatherDecisionInput({
        repo: repo.dir,
        change: defaults.change,
        at: defaults.at,
        facts: parseFacts(facts),
        ...(plan !== undefined ? { plan } : {}),
        ...opts,
      });
      return decide(g.input);
    },
  };
}

const digest = (c: string) => `registry.example/shop/web@sha256:${c.repeat(64)}`;
const webDeployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
          envFrom:
            - configMapRef: { name: web-config }
`;
const argoApp = (name: string, path: string, syncPolicy: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example/platform.git
    targetRevision: v2026.01.0
    path: ${path}
  destination: { server: https://kubernetes.default.svc }
  syncPolicy:
${syncPolicy}
`;
const fluxKustomization = (name: string, path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef: { kind: GitRepository, name: platform }
`;
const declaration = (id: string, body: string) => `change:
  id: ${id}
  environment: prod
${body}`;
const CONFIG = 'environments:\n  prod:\n    paths: ["clusters/prod/**", "stacks/prod/**", "db/**"]\n';

/** Scenario 1 (bad app release): a new image digest, synced by an Argo CD Application with selfHeal. */
function appRelease(
  rootPolicy = '    automated: {}',
  apps: Record<string, string> = {
    'argocd/web-prod.yaml': argoApp(
      'web-prod',
      'clusters/prod/web',
      '    automated:\n      prune: true\n      selfHeal: true',
    ),
  },
): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      ...apps,
      // The app of apps: it syncs the Application manifests, not the workloads.
      'argocd/root.yaml': argoApp('root', 'argocd', rootPolicy),
      'clusters/prod/web/deployment.yaml': webDeployment(digest('a')),
      'clusters/prod/web/configmap.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata:\n  MODE: normal\n',
    },
    'web: release 2026.01.5\n\nChange-Id: CHG-2026-0821',
    {
      'clusters/prod/web/deployment.yaml': webDeployment(digest('b')),
      '.rollwright/changes/CHG-2026-0821.yaml': declaration(
        'CHG-2026-0821',
        '  rollbackClass: fully-reversible\n  rollbackWindow: 24h\n  rollbackMethod: revert-image-digest\n  verification:\n    - error-rate < 1%\n',
      ),
    },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0820',
        service: 'web',
        environment: 'prod',
        at: '2026-01-04T09:00:00Z',
        payload: { artifact: digest('a') },
      },
      {
        type: 'change.deployed',
        change: 'CHG-2026-0821',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: { artifact: digest('b') },
      },
      {
        type: 'incident.detected',
        incident: 'INC-42',
        change: 'CHG-2026-0821',
        at: '2026-01-05T10:20:00Z',
        payload: { severity: 'sev2' },
      },
    ],
    { change: 'CHG-2026-0821', at: '2026-01-05T10:30:00Z' },
  );
}

const apiDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: registry.example/shop/api@sha256:${'c'.repeat(64)}
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: api-db, key: password }
            - name: FEATURES
              valueFrom:
                configMapKeyRef: { name: api-config, key: features }
`;

const flagd = (dflt: string) =>
  JSON.stringify(
    { flags: { 'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: dflt } } },
    null,
    2,
  ) + '\n';
const checkoutGo = (guarded: boolean) =>
  guarded
    ? 'package shop\n\nfunc Checkout() string {\n\tif client.Boolean(ctx, "new-checkout", false, nil) {\n\t\treturn "v2"\n\t}\n\treturn "v1"\n}\n'
    : 'package shop\n\nfunc Checkout() string {\n\treturn "v1"\n}\n';

/** Scenario 1b (bad app release behind a flag): the release's new code path is guarded by a flagd flag. */
function appReleaseFlagged(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'argocd/web-prod.yaml': argoApp(
        'web-prod',
        'clusters/prod/web',
        '    automated:\n      prune: true\n      selfHeal: true',
      ),
      'clusters/prod/web/deployment.yaml': webDeployment(digest('a')),
      'clusters/prod/web/flags.flagd.json': flagd('on'),
      'src/shop/checkout.go': checkoutGo(false),
    },
    'web: checkout v2 behind new-checkout\n\nChange-Id: CHG-2026-0822',
    { 'clusters/prod/web/deployment.yaml': webDeployment(digest('b')), 'src/shop/checkout.go': checkoutGo(true) },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0822',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: { artifact: digest('b') },
      },
      {
        type: 'incident.detected',
        incident: 'INC-50',
        change: 'CHG-2026-0822',
        at: '2026-01-05T10:20:00Z',
        payload: {},
      },
    ],
    { change: 'CHG-2026-0822', at: '2026-01-05T10:30:00Z' },
  );
}

/** Scenario 2 (bad ConfigMap reference): a key removed that the api Deployment still reads; Flux reconciles it. */
function configReference(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'clusters/prod/flux/apps.yaml': fluxKustomization('apps', './clusters/prod/apps'),
      'clusters/prod/apps/api/deployment.yaml': apiDeployment,
      'clusters/prod/apps/api/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: shop\ndata:\n  features: "checkout,search"\n  timeout: "30s"\n',
    },
    'api: tidy config\n\nChange-Id: CHG-2026-0900',
    {
      'clusters/prod/apps/api/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: shop\ndata:\n  timeout: "30s"\n',
    },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0900',
        service: 'api',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-43',
        change: 'CHG-2026-0900',
        at: '2026-01-05T11:00:00Z',
        payload: {},
      },
    ],
    { change: 'CHG-2026-0900', at: '2026-01-05T11:10:00Z' },
  );
}

/** Scenario 3 (bad IaC module release): the VPC module moved a major version in the prod stack. */
function iacModule(): Promise<Scenario> {
  const stack = (v: string) =>
    `terraform {\n  backend "s3" {\n    bucket = "tfstate-prod"\n    key    = "network.tfstate"\n    region = "eu-west-1"\n  }\n}\n\nmodule "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "${v}"\n  name    = "prod"\n  cidr    = "10.0.0.0/16"\n}\n`;
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      '.terraform-version': '1.11.4\n',
      'stacks/prod/network/main.tf': stack('5.19.0'),
    },
    'network: vpc module 6\n\nChange-Id: CHG-2026-0910',
    { 'stacks/prod/network/main.tf': stack('6.0.1') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0910',
        service: 'network',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-44',
        change: 'CHG-2026-0910',
        at: '2026-01-05T10:40:00Z',
        payload: {},
      },
    ],
    { change: 'CHG-2026-0910', at: '2026-01-05T10:45:00Z' },
  );
}

const iamPolicy = (actions: string) =>
  `resource "aws_iam_policy" "deployer" {\n  name   = "deployer"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = ${actions}, Resource = "*" }]\n  })\n}\n`;
const planOf = (changes: unknown[]) =>
  JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: changes }, null, 2);

/** Scenario 4 (bad IAM change): a deployer policy narrowed from `s3:*` to a list that misses one action. */
function iamChange(): Promise<Scenario> {
  const doc = (actions: string[]) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'stacks/prod/iam/main.tf': iamPolicy('["s3:*"]'),
      // An OpenTofu root: its lock file names the OpenTofu registry, so the runbook says `tofu`.
      'stacks/prod/iam/.terraform.lock.hcl':
        'provider "registry.opentofu.org/hashicorp/aws" {\n  version = "5.80.0"\n}\n',
    },
    'iam: least privilege for the deployer\n\nChange-Id: CHG-2026-0920',
    { 'stacks/prod/iam/main.tf': iamPolicy('["s3:GetObject", "s3:PutObject"]') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0920',
        service: 'deployer',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-45',
        change: 'CHG-2026-0920',
        at: '2026-01-05T10:30:00Z',
        payload: { description: 'deploys fail: AccessDenied s3:ListBucket' },
      },
    ],
    {
      change: 'CHG-2026-0920',
      at: '2026-01-05T10:35:00Z',
      plan: planOf([
        {
          address: 'aws_iam_policy.deployer',
          mode: 'managed',
          type: 'aws_iam_policy',
          name: 'deployer',
          provider_name: 'registry.terraform.io/hashicorp/aws',
          change: {
            actions: ['update'],
            before: { name: 'deployer', policy: doc(['s3:*']) },
            after: { name: 'deployer', policy: doc(['s3:GetObject', 's3:PutObject']) },
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ]),
    },
  );
}

const sg = (cidr: string) =>
  `resource "aws_security_group" "api" {\n  name   = "api"\n  vpc_id = "vpc-0prod"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["${cidr}"]\n  }\n}\n`;

/** Scenario 5 (bad network change): the api security group narrowed to a CIDR that leaves out the load balancers. */
function networkChange(): Promise<Scenario> {
  const sgState = (cidr: string) => ({
    name: 'api',
    vpc_id: 'vpc-0prod',
    ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: [cidr] }],
  });
  return scenario(
    { '.rollwright.yaml': CONFIG, 'stacks/prod/network/sg.tf': sg('10.0.0.0/8') },
    'network: narrow api ingress\n\nChange-Id: CHG-2026-0930',
    { 'stacks/prod/network/sg.tf': sg('10.20.0.0/16') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0930',
        service: 'api',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-46',
        change: 'CHG-2026-0930',
        at: '2026-01-05T10:05:00Z',
        payload: {},
      },
    ],
    {
      change: 'CHG-2026-0930',
      at: '2026-01-05T10:10:00Z',
      plan: planOf([
        {
          address: 'aws_security_group.api',
          mode: 'managed',
          type: 'aws_security_group',
          name: 'api',
          provider_name: 'registry.terraform.io/hashicorp/aws',
          change: {
            actions: ['update'],
            before: sgState('10.0.0.0/8'),
            after: sgState('10.20.0.0/16'),
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ]),
    },
  );
}

/** Scenario 6 (bad database migration): a column dropped while the previous release still reads it. */
function databaseMigration(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'db/migrations/0001_users.up.sql':
        'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, legacy_email text);\n',
      'db/migrations/0001_users.down.sql': 'DROP TABLE users;\n',
    },
    'db: drop legacy_email\n\nChange-Id: CHG-2026-0940',
    {
      'db/migrations/0002_drop_legacy_email.up.sql': 'ALTER TABLE users DROP COLUMN legacy_email;\n',
      'db/migrations/0002_drop_legacy_email.down.sql': 'ALTER TABLE users ADD COLUMN legacy_email text;\n',
    },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0940',
        service: 'users',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-47',
        change: 'CHG-2026-0940',
        at: '2026-01-05T10:15:00Z',
        payload: {},
      },
    ],
    { change: 'CHG-2026-0940', at: '2026-01-05T10:20:00Z' },
  );
}

const kyverno = (action: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: ${action}
  rules:
    - name: team-label
      match:
        any:
          - resources: { kinds: [Deployment] }
      validate:
        message: "label team is required"
        pattern:
          metadata:
            labels:
              team: "?*"
`;

/** Scenario 7 (bad policy rule): a Kyverno policy moved from Audit to Enforce, synced by Argo CD. */
function policyRule(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'argocd/policies.yaml': argoApp(
        'prod-policies',
        'clusters/prod/policies',
        '    automated:\n      prune: true\n      selfHeal: true',
      ),
      'clusters/prod/policies/require-team-label.yaml': kyverno('Audit'),
    },
    'policy: enforce team label\n\nChange-Id: CHG-2026-0950',
    { 'clusters/prod/policies/require-team-label.yaml': kyverno('Enforce') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0950',
        service: 'policies',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-48',
        change: 'CHG-2026-0950',
        at: '2026-01-05T10:30:00Z',
        payload: { description: 'deploys of other teams denied' },
      },
    ],
    { change: 'CHG-2026-0950', at: '2026-01-05T10:40:00Z' },
  );
}

const kustomizeController = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kustomize-controller
  namespace: flux-system
spec:
  selector:
    matchLabels: { app: kustomize-controller }
  template:
    metadata:
      labels: { app: kustomize-controller }
    spec:
      containers:
        - name: manager
          image: ghcr.io/fluxcd/kustomize-controller:${tag}
`;

/** Scenario 8 (bad GitOps controller upgrade): Flux's kustomize-controller moved a minor version, applied by Flux itself. */
function controllerUpgrade(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'clusters/prod/flux-system/gotk-sync.yaml': fluxKustomization('flux-system', './clusters/prod'),
      'clusters/prod/flux-system/gotk-components.yaml': kustomizeController('v1.4.0'),
    },
    'flux: kustomize-controller v1.5.1\n\nChange-Id: CHG-2026-0960',
    { 'clusters/prod/flux-system/gotk-components.yaml': kustomizeController('v1.5.1') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0960',
        service: 'flux',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-49',
        change: 'CHG-2026-0960',
        at: '2026-01-05T10:20:00Z',
        payload: { description: 'Kustomizations stuck reconciling' },
      },
    ],
    { change: 'CHG-2026-0960', at: '2026-01-05T10:25:00Z' },
  );
}

const argoCdRelease = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: argocd
  namespace: argocd
spec:
  interval: 30m
  chart:
    spec:
      chart: argo-cd
      version: ${version}
      sourceRef: { kind: HelmRepository, name: argo, namespace: flux-system }
`;
const argoHelm = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: argo
  namespace: flux-system
spec:
  interval: 1h
  url: https://argoproj.github.io/argo-helm
`;

/**
 * Scenario 8 (bad GitOps controller upgrade): Argo CD's chart moved a minor version, installed by a Flux
 * HelmRelease from the argo-helm repository; Argo CD itself syncs the workloads of the cluster.
 */
function argoCdUpgrade(): Promise<Scenario> {
  return scenario(
    {
      '.rollwright.yaml': CONFIG,
      'clusters/prod/flux-system/gotk-sync.yaml': fluxKustomization('infra', './clusters/prod/infra'),
      'clusters/prod/infra/argo-helm.yaml': argoHelm,
      'clusters/prod/infra/argocd.yaml': argoCdRelease('7.3.4'),
      'argocd/web-prod.yaml': argoApp('web-prod', 'clusters/prod/web', '    automated:\n      selfHeal: true'),
      'clusters/prod/web/deployment.yaml': webDeployment(digest('a')),
    },
    'argocd: chart 7.4.0\n\nChange-Id: CHG-2026-0961',
    { 'clusters/prod/infra/argocd.yaml': argoCdRelease('7.4.0') },
    [
      {
        type: 'change.deployed',
        change: 'CHG-2026-0961',
        service: 'argocd',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
      {
        type: 'incident.detected',
        incident: 'INC-50',
        change: 'CHG-2026-0961',
        at: '2026-01-05T10:20:00Z',
        payload: { description: 'Applications stuck Unknown after the Argo CD upgrade' },
      },
    ],
    { change: 'CHG-2026-0961', at: '2026-01-05T10:25:00Z' },
  );
}

interface Case {
  name: string;
  make: () => Promise<Scenario>;
  facts: string[];
  opts?: Partial<GatherOptions>;
}

/**
 * Why each frozen decision is right:
 * - app-release: a digest bump under Argo CD selfHeal is fully reversible inside its 24h window and
 *   the previous digest is known from the ledger: rollback by `git revert` and a sync, never an
 *   imperative undo (selfHeal would revert it).
 * - app-release-loop: the same, with the loop repeating damage: `argocd app set --sync-policy none`
 *   on web-prod alone (not the app of apps, not the controller), and the last step restores exactly
 *   the policy Git declares (automated, prune, selfHeal).
 * - app-release-window-closed: 25h later the declared 24h window has closed: the rollback is
 *   refused, naming the window, and rollforward is the alternative (docs/concepts.md#windows).
 * - app-release-flag: the new code path is behind new-checkout: the flag goes off in its flagd
 *   definition first (containment), then the code is reverted.
 * - config-reference: a ConfigMap key removed that a Deployment still reads: revert through Flux, then
 *   restart the Deployment (env is read at pod start only).
 * - iac-module: a major module version: rollback by pinning the previous version, with the
 *   playbook's freeze, affected-stack search, fresh plans and desired/recorded/actual comparison;
 *   state drift is assumed (the safe value), so a refresh-only plan comes first.
 * - iam: the narrowing fixed an over-broad policy (stated): a narrow forward fix, never the revert.
 * - network: a security group change: rollback through Git with a connectivity check and a
 *   break-glass path in case the pipeline needs that network.
 * - database: a dropped column destroyed data: never rollback (the down would re-create an empty
 *   column); rollforward without a backup, restore into a separate instance with one.
 * - policy: Audit -> Enforce denied others' deploys: capture the denied input, regression test,
 *   then revert the one rule through Argo CD.
 * - controller: Argo CD's chart upgraded through the Flux HelmRelease that installs it (from the
 *   argo-helm HelmRepository), CRDs stated compatible: check stored versions, revert through Git, let
 *   Flux reconcile the HelmRelease, then check the drift of Argo CD itself with argocd (its Applications
 *   OutOfSync or Degraded), not the Flux objects: Flux was not upgraded.
 * - controller-flux: a Flux controller upgrade applied by Flux itself: the same, with the drift checked
 *   with flux (the objects left not Ready).
 */
const CASES: Case[] = [
  { name: 'app-release', make: () => appRelease(), facts: [] },
  { name: 'app-release-loop', make: () => appRelease(), facts: ['loop-repeating-damage=yes'] },
  { name: 'app-release-window-closed', make: () => appRelease(), facts: [], opts: { at: '2026-01-06T11:00:00Z' } },
  { name: 'app-release-flag', make: appReleaseFlagged, facts: ['flag-contains-impact=yes'] },
  { name: 'config-reference', make: configReference, facts: [] },
  { name: 'iac-module', make: iacModule, facts: [] },
  { name: 'iam', make: iamChange, facts: ['old-iam-over-broad=yes', 'state-drift=no'] },
  { name: 'network', make: networkChange, facts: ['state-drift=no'] },
  { name: 'database', make: databaseMigration, facts: [] },
  { name: 'database-backup', make: databaseMigration, facts: ['backup-available=yes', 'external-effects=no'] },
  { name: 'policy', make: policyRule, facts: [] },
  { name: 'controller', make: argoCdUpgrade, facts: ['crds-compatible=yes'] },
  { name: 'controller-flux', make: controllerUpgrade, facts: ['crds-compatible=yes'] },
];

/** The decisions, read and found right (see each case's notes), then frozen: `<BAD>` is the bad commit, `<BASE>` its parent. */
const EXPECTED: Record<string, unknown> = {
  'app-release': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0821',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Argo CD Application argocd/web-prod syncs automatically with selfHeal (argocd/web-prod.yaml:4); a manual rollback is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Is the rollback window still open?',
        answer: 'yes: window "24h" open until 2026-01-06T10:00:00.000Z',
        source: 'ledger',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Check the rollback targets still exist (registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)',
        command: 'rollwright check-targets --change <BAD>',
        check: 'exits 0: every rollback target exists (exit 1 names the missing one: roll forward instead)',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-42',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-42',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Let Argo CD Application argocd/web-prod sync the new revision',
        command: 'argocd app wait argocd/web-prod --sync --health --timeout 600',
        check: 'exits 0: Synced and Healthy at the new revision',
      },
      {
        step: 'Verify: error-rate < 1%',
        command: null,
        check: 'error-rate < 1%',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-app-release',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0821: the commit <BAD12> ("web: release 2026.01.5") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'web: release 2026.01.5',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'app-release-loop': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0821',
    transition: 'rollback',
    containment: ['pause'],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer:
          "yes: pause Argo CD Application argocd/web-prod only; Argo CD Application argocd/root syncs the manifest of Argo CD Application argocd/web-prod (argocd/root.yaml:4) automatically without selfHeal: it puts the sync policy back only when it syncs a new revision (the recovery's commit at the earliest), so it is left running; a pause buys time, it is not the recovery (stated --fact loop-repeating-damage)",
        source: 'fact',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Argo CD Application argocd/web-prod syncs automatically with selfHeal (argocd/web-prod.yaml:4); a manual rollback is reverted, so the recovery goes through Git while it is paused',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Is the rollback window still open?',
        answer: 'yes: window "24h" open until 2026-01-06T10:00:00.000Z',
        source: 'ledger',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Pause the one Argo CD Application argocd/web-prod: turn its automated sync off (not the controller)',
        command: 'argocd app set argocd/web-prod --sync-policy none',
        check: 'argocd app get argocd/web-prod shows Sync Policy Manual (<none> in older CLIs)',
      },
      {
        step: 'Record the pause of Application/argocd/web-prod',
        command:
          'rollwright record pause.started --incident INC-42 --data target=Application/argocd/web-prod --data controller=argocd',
        check: null,
      },
      {
        step: 'Check the rollback targets still exist (registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)',
        command: 'rollwright check-targets --change <BAD>',
        check: 'exits 0: every rollback target exists (exit 1 names the missing one: roll forward instead)',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-42',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-42',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Sync Argo CD Application argocd/web-prod to the new revision (automated sync is off)',
        command: 'argocd app sync argocd/web-prod',
        check: 'argocd app wait argocd/web-prod --health --timeout 600 exits 0',
      },
      {
        step: 'Verify: error-rate < 1%',
        command: null,
        check: 'error-rate < 1%',
      },
      {
        step: 'Restore the sync policy of Argo CD Application argocd/web-prod exactly as it was (automated, selfHeal, prune)',
        command: 'argocd app set argocd/web-prod --sync-policy automated --self-heal --auto-prune',
        check:
          'argocd app get argocd/web-prod shows syncPolicy {"automated":{"prune":true,"selfHeal":true}}, Synced and Healthy at the recovery\'s revision; then rollwright record pause.ended --incident INC-42 --data target=Application/argocd/web-prod',
      },
    ],
    assumptions: [
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-app-release',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0821: the commit <BAD12> ("web: release 2026.01.5") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'web: release 2026.01.5',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'app-release-window-closed': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0821',
    transition: 'rollforward',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Argo CD Application argocd/web-prod syncs automatically with selfHeal (argocd/web-prod.yaml:4); a manual rollback is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Is the rollback window still open?',
        answer: 'no: the rollback window "24h" (closed at 2026-01-06T10:00:00.000Z) has closed',
        source: 'ledger',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'no (window): roll forward: the window has closed: roll forward on top of the current state',
        source: 'ledger',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Forward fix (window): the window has closed: roll forward on top of the current state',
        command: null,
        check: 'the rollback window "24h" (closed at 2026-01-06T10:00:00.000Z) has closed',
      },
      {
        step: 'Assess the fix like any change before it merges',
        command: 'rollwright assess --base <BAD> --head HEAD',
        check: 'its class is no worse than needed and the gate passes',
      },
      {
        step: 'Push the fix through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the fix',
      },
      {
        step: 'Let Argo CD Application argocd/web-prod sync the new revision',
        command: 'argocd app wait argocd/web-prod --sync --health --timeout 600',
        check: 'exits 0: Synced and Healthy at the new revision',
      },
      {
        step: 'Record the recovery in the ledger',
        command:
          'rollwright record recovery.executed --incident INC-42 --data transition=rollforward --data commit="$(git rev-parse HEAD)"',
        check: null,
      },
      {
        step: 'Verify: error-rate < 1%',
        command: null,
        check: 'error-rate < 1%',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-app-release',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [
      {
        transition: 'rollback',
        reason:
          'Is the rollback window still open? No: the rollback window "24h" (closed at 2026-01-06T10:00:00.000Z) has closed',
        alternative: 'rollforward',
      },
    ],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0821: the commit <BAD12> ("web: release 2026.01.5") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'web: release 2026.01.5',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'app-release-flag': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0822',
    transition: 'rollback',
    containment: ['rollforward'],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Argo CD Application argocd/web-prod syncs automatically with selfHeal (argocd/web-prod.yaml:4); a manual rollback is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer:
          'yes: turn new-checkout off in Git first (a forward change of the flag), then decide about the code (stated --fact flag-contains-impact)',
        source: 'fact',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Turn feature flag new-checkout off in Git: in clusters/prod/web/flags.flagd.json:3 (clusters/prod/web/flags.flagd.json) set defaultVariant to off',
        command: null,
        check: 'git diff shows only the defaultVariant of new-checkout',
      },
      {
        step: 'Commit and push the flag change',
        command:
          "git commit -m 'Turn feature flag new-checkout off (containment for CHG-2026-0822)' -- clusters/prod/web/flags.flagd.json && git push",
        check: 'the flag provider serves off for new-checkout',
      },
      {
        step: 'Check the rollback targets still exist (registry.example/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)',
        command: 'rollwright check-targets --change <BAD>',
        check: 'exits 0: every rollback target exists (exit 1 names the missing one: roll forward instead)',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-50',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-50',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Let Argo CD Application argocd/web-prod sync the new revision',
        command: 'argocd app wait argocd/web-prod --sync --health --timeout 600',
        check: 'exits 0: Synced and Healthy at the new revision',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-app-release',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0822: the commit <BAD12> ("web: checkout v2 behind new-checkout") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'web: checkout v2 behind new-checkout',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'config-reference': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0900',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Flux Kustomization flux-system/apps re-applies Git at every interval (clusters/prod/flux/apps.yaml:4); a manual fix is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assessment',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-43',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-43',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Reconcile Flux Kustomization flux-system/apps with its source',
        command: 'flux reconcile kustomization apps -n flux-system --with-source',
        check: 'flux get kustomizations apps -n flux-system shows Ready True at the new revision',
      },
      {
        step: 'Restart Deployment shop/api: it reads the restored reference only at pod start',
        command: 'kubectl rollout restart deployment/api -n shop',
        check: 'kubectl rollout status deployment/api -n shop completes',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-config-reference',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0900: the commit <BAD12> ("api: tidy config") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'api: tidy config',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'iac-module': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0910',
    transition: 'rollback',
    containment: ['repair-state'],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'yes: repair state before any apply (stacks/prod/network); never apply blindly',
        source: 'assumed',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: module.vpc 5.19.0 is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Compare recorded state with reality in workspace stacks/prod/network before any apply (refresh-only: changes nothing); terraform per .terraform-version',
        command: 'terraform -chdir=stacks/prod/network plan -refresh-only',
        check: 'every difference listed is explained; no apply of the normal plan until it is',
      },
      {
        step: 'Freeze promotion of module.vpc 6.0.1 to other stacks',
        command: null,
        check: 'no pipeline promotes the release while the incident is open',
      },
      {
        step: 'Find the stacks that use the release (6.0.1)',
        command: "git grep -n 6.0.1 -- '*.tf'",
        check: 'the list of stacks already on it',
      },
      {
        step: 'Pin the previous version 5.19.0 for module.vpc (the revert does it for this stack)',
        command: null,
        check: 'stacks/prod/network/main.tf names 5.19.0',
      },
      {
        step: 'Fresh plan of workspace stacks/prod/network before anything is applied',
        command: 'terraform -chdir=stacks/prod/network plan',
        check: 'the plan changes only what the module release changed',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-44',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-44',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Plan workspace stacks/prod/network at the new revision',
        command: 'terraform -chdir=stacks/prod/network plan -out=recovery.tfplan',
        check: 'the plan changes only what the change changed, in reverse',
      },
      {
        step: 'Apply the reviewed plan of workspace stacks/prod/network through the pipeline',
        command: 'terraform -chdir=stacks/prod/network apply recovery.tfplan',
        check: 'terraform -chdir=stacks/prod/network plan -detailed-exitcode exits 0 (no changes)',
      },
      {
        step: 'Compare desired, recorded and actual state of workspace stacks/prod/network after the recovery',
        command: 'terraform -chdir=stacks/prod/network plan -refresh-only -detailed-exitcode',
        check: 'exits 0: recorded state matches reality; a normal plan shows no changes',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed state-drift=yes: repair or import the state before any apply; never apply blindly',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-iac-module',
    class: 'reversible-with-manual-repair',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0910: the commit <BAD12> ("network: vpc module 6") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'network: vpc module 6',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  iam: {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0920',
    transition: 'rollforward',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: recorded state can be planned against as it is (stated --fact state-drift)',
        source: 'fact',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Was the previous IAM policy not over-broad?',
        answer:
          'no: the policy before aws_iam_policy.deployer was over-broad: restoring it reintroduces the over-permission (stated --fact old-iam-over-broad)',
        source: 'fact',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer:
          'no (iam): roll forward: narrow forward fix: grant only the missing permission; never restore the over-broad policy',
        source: 'fact',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Narrow forward fix: grant aws_iam_policy.deployer only the permission the incident shows missing (from the denied call in the audit log); do not restore the previous, over-broad policy',
        command: null,
        check: 'the denied call now succeeds, and the policy grants nothing else new',
      },
      {
        step: 'Plan the narrow fix in workspace stacks/prod/iam',
        command: 'tofu -chdir=stacks/prod/iam plan',
        check: 'the plan changes only aws_iam_policy.deployer',
      },
      {
        step: 'Assess the fix like any change before it merges',
        command: 'rollwright assess --base <BAD> --head HEAD',
        check: 'its class is no worse than needed and the gate passes',
      },
      {
        step: 'Push the fix through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the fix',
      },
      {
        step: 'Plan workspace stacks/prod/iam at the new revision',
        command: 'tofu -chdir=stacks/prod/iam plan -out=recovery.tfplan',
        check:
          'the plan changes only aws_iam_policy.deployer: the one missing permission added, nothing else widened, the previous policy not restored',
      },
      {
        step: 'Apply the reviewed plan of workspace stacks/prod/iam through the pipeline',
        command: 'tofu -chdir=stacks/prod/iam apply recovery.tfplan',
        check: 'tofu -chdir=stacks/prod/iam plan -detailed-exitcode exits 0 (no changes)',
      },
      {
        step: 'Record the recovery in the ledger',
        command:
          'rollwright record recovery.executed --incident INC-45 --data transition=rollforward --data commit="$(git rev-parse HEAD)"',
        check: null,
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-iam-change',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [
      {
        transition: 'rollback',
        reason:
          'Was the previous IAM policy not over-broad? No: the policy before aws_iam_policy.deployer was over-broad: restoring it reintroduces the over-permission (stated --fact old-iam-over-broad)',
        alternative: 'rollforward',
      },
    ],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0920: the commit <BAD12> ("iam: least privilege for the deployer") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'iam: least privilege for the deployer',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  network: {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0930',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: recorded state can be planned against as it is (stated --fact state-drift)',
        source: 'fact',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assessment',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-46',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-46',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Plan workspace stacks/prod/network at the new revision',
        command: 'terraform -chdir=stacks/prod/network plan -out=recovery.tfplan',
        check: 'the plan changes only what the change changed, in reverse',
      },
      {
        step: 'Apply the reviewed plan of workspace stacks/prod/network through the pipeline',
        command: 'terraform -chdir=stacks/prod/network apply recovery.tfplan',
        check: 'terraform -chdir=stacks/prod/network plan -detailed-exitcode exits 0 (no changes)',
      },
      {
        step: 'Connectivity check for aws_security_group.api: from the affected clients, reach what it routes or admits',
        command: null,
        check: 'connections succeed from every affected client, and nothing newly reachable that should not be',
      },
      {
        step: 'Keep a break-glass path ready if this pipeline reaches its targets through the changed network (console or out-of-band access, logged)',
        command: null,
        check: null,
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-network-change',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0930: the commit <BAD12> ("network: narrow api ingress") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'network: narrow api ingress',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  database: {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0940',
    transition: 'rollforward',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer:
          'no: no Argo CD or Flux object in the repository reconciles the changed paths, and no IaC workspace is touched',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer:
          "yes: DROP COLUMN users.legacy_email: its data is destroyed; the running version still selects legacy_email and fails with 'column does not exist' until it is replaced (db/migrations/0002_drop_legacy_email.up.sql:1); never rollback: roll forward",
        source: 'assessment',
      },
      {
        question: 'Is there a verified backup or point-in-time recovery from before the change?',
        answer: 'no: no backup from before the change: roll forward and compensate',
        source: 'assumed',
      },
      {
        question:
          'Did the change cause effects outside the system (notifications sent, billing events, calls to partners)?',
        answer: 'no: nothing outside the system needs compensating',
        source: 'assumed',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'not asked: rollforward is decided by the data question',
        source: 'assessment',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Write a forward migration: re-create users.legacy_email as nullable so the running version works again, or deploy code that no longer uses it',
        command: null,
        check: "the running version's queries succeed against the new schema",
      },
      {
        step: 'Rehearse the forward migration on PostgreSQL',
        command: 'rollwright rehearse --dir db/migrations',
        check: 'no failed old query, no rows lost',
      },
      {
        step: 'Assess the fix like any change before it merges',
        command: 'rollwright assess --base <BAD> --head HEAD',
        check: 'its class is no worse than needed and the gate passes',
      },
      {
        step: 'Push the fix through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the fix',
      },
      {
        step: 'Let the deployment pipeline deploy the new revision',
        command: null,
        check: 'the pipeline reports the new revision deployed',
      },
      {
        step: 'Record the recovery in the ledger',
        command:
          'rollwright record recovery.executed --incident INC-47 --data transition=rollforward --data commit="$(git rev-parse HEAD)"',
        check: null,
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed backup-available=no: destroyed data is gone; rollforward and compensate',
      'assumed external-effects=no: nothing outside the system needs compensating',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-database-migration',
    class: 'non-recoverable-without-restore',
    environment: 'prod',
    refused: [
      {
        transition: 'rollback',
        reason:
          "data destroyed: DROP COLUMN users.legacy_email: its data is destroyed; the running version still selects legacy_email and fails with 'column does not exist' until it is replaced (db/migrations/0002_drop_legacy_email.up.sql:1)",
        alternative: 'rollforward',
      },
    ],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0940: the commit <BAD12> ("db: drop legacy_email") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'db: drop legacy_email',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'database-backup': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0940',
    transition: 'restore',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer:
          'no: no Argo CD or Flux object in the repository reconciles the changed paths, and no IaC workspace is touched',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer:
          "yes: DROP COLUMN users.legacy_email: its data is destroyed; the running version still selects legacy_email and fails with 'column does not exist' until it is replaced (db/migrations/0002_drop_legacy_email.up.sql:1); never rollback: restore from the backup",
        source: 'assessment',
      },
      {
        question: 'Is there a verified backup or point-in-time recovery from before the change?',
        answer:
          'yes: a backup from before the change exists: restore what was destroyed (stated --fact backup-available)',
        source: 'fact',
      },
      {
        question:
          'Did the change cause effects outside the system (notifications sent, billing events, calls to partners)?',
        answer: 'no: nothing outside the system needs compensating (stated --fact external-effects)',
        source: 'fact',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'not asked: restore is decided by the data question',
        source: 'assessment',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Restore the database to a point before 2026-01-05T10:00:00.000Z into a separate instance (point-in-time recovery; never over the live database)',
        command: null,
        check: 'the restored instance holds users.legacy_email',
      },
      {
        step: 'Roll the schema forward to receive the data again: a new migration that re-creates users.legacy_email (nullable, expand-only)',
        command: null,
        check: 'rollwright rehearse --dir db/migrations passes',
      },
      {
        step: 'Copy the destroyed values back from the restored instance by primary key, newer writes kept',
        command: null,
        check: 'row counts and checksums match the restored instance',
      },
      {
        step: 'Commit the forward change that stops the destruction (remove or guard what destroyed the data) and push it',
        command: null,
        check: 'rollwright assess on the fix shows no destroyed data',
      },
      {
        step: 'Push it through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass',
      },
      {
        step: 'Let the deployment pipeline deploy the new revision',
        command: null,
        check: 'the pipeline reports the new revision deployed',
      },
      {
        step: 'Record the recovery in the ledger',
        command: 'rollwright record recovery.executed --incident INC-47 --data transition=restore',
        check: null,
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: ['assumed gitops-path-available=yes: recover through Git: the controller applies the fix'],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-database-migration',
    class: 'non-recoverable-without-restore',
    environment: 'prod',
    refused: [
      {
        transition: 'rollback',
        reason:
          "data destroyed: DROP COLUMN users.legacy_email: its data is destroyed; the running version still selects legacy_email and fails with 'column does not exist' until it is replaced (db/migrations/0002_drop_legacy_email.up.sql:1)",
        alternative: 'restore',
      },
    ],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0940: the commit <BAD12> ("db: drop legacy_email") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'db: drop legacy_email',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  policy: {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0950',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Argo CD Application argocd/prod-policies syncs automatically with selfHeal (argocd/policies.yaml:4); a manual rollback is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: "Do the previous manifests pass today's admission policy?",
        answer: 'yes: admission lets the previous state back in (assumed policy-denies-old=no)',
        source: 'assumed',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Capture the denied input before changing anything: the admission request or policy report that ClusterPolicy require-team-label rule team-label denied',
        command: 'kubectl get events --all-namespaces --field-selector reason=PolicyViolation',
        check: 'the denied object and the message of the rule are saved with the incident',
      },
      {
        step: 'Add the denied input as a regression test of the policy (it must be admitted after the fix)',
        command: null,
        check: 'the policy tests fail on the bad rule and pass on the fix',
      },
      {
        step: 'If the rule itself must stay, use a scoped exception with an expiry (one namespace or object, a TTL) rather than disabling the policy bundle',
        command: null,
        check: 'the exception names its scope and expiry',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-48',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-48',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Let Argo CD Application argocd/prod-policies sync the new revision',
        command: 'argocd app wait argocd/prod-policies --sync --health --timeout 600',
        check: 'exits 0: Synced and Healthy at the new revision',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed policy-denies-old=no: admission lets the previous state back in',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-policy-rule',
    class: 'fully-reversible',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0950: the commit <BAD12> ("policy: enforce team label") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'policy: enforce team label',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  controller: {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0961',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Flux HelmRelease argocd/argocd (clusters/prod/infra/argocd.yaml:4) upgrades a release rolled back outside it back to its spec; the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: chart argo-cd (HelmRelease argocd/argocd) 7.3.4 is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Are controller and CRD versions compatible with the previous state?',
        answer: "yes: the previous controller's CRD versions serve every stored object (stated --fact crds-compatible)",
        source: 'fact',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Check the CRDs of the controller before a downgrade: every stored version must be served by the previous release',
        command: 'kubectl get crd -o custom-columns=NAME:.metadata.name,STORED:.status.storedVersions',
        check: 'every stored version is served by the previous release',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-50',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-50',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Reconcile Flux HelmRelease argocd/argocd with its source',
        command: 'flux reconcile helmrelease argocd -n argocd --with-source',
        check: 'flux get helmreleases argocd -n argocd shows Ready True at the new revision',
      },
      {
        step: "Reconcile the drift created while Argo CD was degraded (after Flux HelmRelease argocd/argocd, which installs it, runs the recovery's revision): list the Applications OutOfSync or Degraded, then diff and sync each (argocd app diff <app>, argocd app sync <app>)",
        command: 'argocd app list -o wide',
        check: 'no Application shows STATUS OutOfSync or HEALTH Degraded, Missing or Unknown',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-controller-upgrade',
    class: 'reversible-with-compatibility-window',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0961: the commit <BAD12> ("argocd: chart 7.4.0") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'argocd: chart 7.4.0',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
  'controller-flux': {
    schema: 'rollwright.decision/v1',
    change: 'CHG-2026-0960',
    transition: 'rollback',
    containment: [],
    rationale: [
      {
        question: 'Is a control loop repeating damage?',
        answer: 'no: no pause; the recovery goes through the normal GitOps path',
        source: 'assumed',
      },
      {
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          'yes: Flux Kustomization flux-system/flux-system re-applies Git at every interval (clusters/prod/flux-system/gotk-sync.yaml:4); a manual fix is reverted, so the recovery goes through Git',
        source: 'repository',
      },
      {
        question: 'Is a progressive rollout still before full promotion?',
        answer: 'no: the change touches no Argo Rollout or Flagger Canary',
        source: 'repository',
      },
      {
        question: 'Does a feature flag contain the impact?',
        answer: 'no: the change references or changes no feature flag',
        source: 'repository',
      },
      {
        question: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
        answer: 'no: the change touches no Terraform/OpenTofu workspace',
        source: 'assessment',
      },
      {
        question: 'Did the change mutate data or external state?',
        answer: 'no: the change touches no data-bearing object, schema or external effect',
        source: 'assessment',
      },
      {
        question: 'Does the previous artifact still exist and verify?',
        answer:
          'yes: ghcr.io/fluxcd/kustomize-controller:v1.4.0 is expected to exist; the runbook checks it before reverting (assumed artifact-available=yes)',
        source: 'assumed',
      },
      {
        question: 'Are controller and CRD versions compatible with the previous state?',
        answer: "yes: the previous controller's CRD versions serve every stored object (stated --fact crds-compatible)",
        source: 'fact',
      },
      {
        question: 'Is the previous state still valid against the current world?',
        answer: 'yes: every check passed; rollback by declarative revert through Git',
        source: 'assumed',
      },
      {
        question: 'Is the GitOps path available (pipeline identity, network, controller health)?',
        answer: 'yes: recover through Git; the controller applies the fix',
        source: 'assumed',
      },
    ],
    runbook: [
      {
        step: 'Check the rollback targets still exist (ghcr.io/fluxcd/kustomize-controller:v1.4.0); a tag may have moved: the check says the digest it names now',
        command: 'rollwright check-targets --change <BAD>',
        check: 'exits 0: every rollback target exists (exit 1 names the missing one: roll forward instead)',
      },
      {
        step: 'Check the CRDs of the controller before a downgrade: every stored version must be served by the previous release',
        command: 'kubectl get crd -o custom-columns=NAME:.metadata.name,STORED:.status.storedVersions',
        check: 'every stored version is served by the previous release',
      },
      {
        step: 'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
        command: 'rollwright revert <BAD> --check --incident INC-49',
        check: "the revert's own class is no worse than the change's, and it applies without conflict",
      },
      {
        step: 'Revert the change on the current branch, and record the recovery',
        command: 'rollwright revert <BAD> --apply --incident INC-49',
        check:
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
      },
      {
        step: 'Push the revert through the normal review path',
        command: 'git push',
        check: 'the pipeline checks pass on the revert commit',
      },
      {
        step: 'Reconcile Flux Kustomization flux-system/flux-system with its source',
        command: 'flux reconcile kustomization flux-system -n flux-system --with-source',
        check: 'flux get kustomizations flux-system -n flux-system shows Ready True at the new revision',
      },
      {
        step: "Reconcile the drift created while Flux was degraded (after Flux Kustomization flux-system/flux-system, which installs it, runs the recovery's revision): list the Flux objects not Ready and reconcile each with its source",
        command: 'flux get all --all-namespaces --status-selector ready=false',
        check: 'every Kustomization and HelmRelease Ready at the current revision',
      },
      {
        step: 'Verify the service is healthy (no verification declared for the change)',
        command: null,
        check: 'error rate and latency back to their baseline',
      },
    ],
    assumptions: [
      'assumed loop-repeating-damage=no: no pause: the recovery goes through the normal GitOps path',
      'assumed artifact-available=yes: the previous artifact can run again',
      'assumed gitops-path-available=yes: recover through Git: the controller applies the fix',
    ],
    evidenceOwed: [
      'rollback-commit',
      'artifact-digest',
      'approval',
      'policy-result',
      'sync-log',
      'health-metrics',
      'drift-check',
      'postmortem-action',
    ],
    playbook: 'bad-controller-upgrade',
    class: 'reversible-with-compatibility-window',
    environment: 'prod',
    refused: [],
    overruled: [],
    resolution: {
      source: 'trailer',
      how: '1 commit with the trailer Change-Id: CHG-2026-0960: the commit <BAD12> ("flux: kustomize-controller v1.5.1") against its first parent',
      commits: [
        {
          sha: '<BAD>',
          subject: 'flux: kustomize-controller v1.5.1',
          declarationOnly: false,
        },
      ],
      declarationOnly: false,
    },
  },
};

/** Replaces the placeholders in every string of a value. */
function fill(v: unknown, values: Record<string, string>): unknown {
  if (typeof v === 'string') return Object.entries(values).reduce((s, [k, x]) => s.split(k).join(x), v);
  if (Array.isArray(v)) return v.map((x) => fill(x, values));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, values)]));
  return v;
}

const IMPERATIVE = /kubectl rollout undo|helm rollback|kubectl (apply|edit|patch|set image)/;

describe('the eight playbooks: one incident each, decision and runbook in full', () => {
  const decided = new Map<string, { d: ReturnType<typeof JSON.parse>; s: Scenario }>();
  for (const c of CASES) {
    it(c.name, async () => {
      const s = await c.make();
      const d = await s.decide(c.facts, c.opts ?? {});
      const base = s.repo.rev(`${s.bad}^`);
      const json = JSON.parse(renderDecision(d, 'json')) as Record<string, unknown>;
      expect(json).toEqual(fill(EXPECTED[c.name], { '<BAD>': s.bad, '<BAD12>': s.bad.slice(0, 12), '<BASE>': base }));
      // Whatever the case: imperative actions only under break-glass; every pause ends with its resume.
      const commands = d.runbook.map((r) => `${r.command ?? ''} ${r.check ?? ''}`).join('\n');
      if (d.transition !== 'break-glass') expect(commands).not.toMatch(IMPERATIVE);
      decided.set(c.name, { d, s });
    });
  }

  it('a bad digest under Argo CD selfHeal: revert in Git, never kubectl rollout undo', () => {
    const { d, s } = decided.get('app-release')!;
    expect(d.transition).toBe('rollback');
    expect(d.containment).toEqual([]);
    expect(d.runbook.map((r: { command: string | null }) => r.command)).toContain(
      `rollwright revert ${s.bad} --apply --incident INC-42`,
    );
    expect(d.rationale[1]).toEqual({
      question: 'Will the controller overwrite an imperative fix in the cluster?',
      answer:
        'yes: Argo CD Application argocd/web-prod syncs automatically with selfHeal (argocd/web-prod.yaml:4); a manual rollback is reverted, so the recovery goes through Git',
      source: 'repository',
    });
  });

  it('…and when the loop repeats the damage: a pause of that one Application, restored exactly at the end', () => {
    const { d } = decided.get('app-release-loop')!;
    expect(d.containment).toEqual(['pause']);
    const cmds = d.runbook.map((r: { command: string | null }) => r.command);
    expect(cmds[0]).toBe('argocd app set argocd/web-prod --sync-policy none');
    expect(cmds[cmds.length - 1]).toBe(
      'argocd app set argocd/web-prod --sync-policy automated --self-heal --auto-prune',
    );
    // Never the controller, never the app of apps.
    expect(cmds.join('\n')).not.toMatch(/root|scale|argocd-application-controller/);
  });

  it('…and when the app of apps syncs the Application with selfHeal: the parent is paused first, alone, and restored last', async () => {
    const s = await appRelease('    automated:\n      selfHeal: true');
    const d = await s.decide(['loop-repeating-damage=yes']);
    expect(d.containment).toEqual(['pause']);
    expect(d.rationale[0]).toEqual({
      question: 'Is a control loop repeating damage?',
      answer:
        'yes: pause Argo CD Application argocd/root first: it syncs the manifest of Argo CD Application argocd/web-prod (argocd/root.yaml:4) with selfHeal and would put its sync policy back; pause Argo CD Application argocd/web-prod only; a pause buys time, it is not the recovery (stated --fact loop-repeating-damage)',
      source: 'fact',
    });
    const cmds = d.runbook.map((r) => r.command);
    expect(cmds.slice(0, 4)).toEqual([
      'argocd app set argocd/root --sync-policy none',
      'rollwright record pause.started --incident INC-42 --data target=Application/argocd/root --data controller=argocd',
      'argocd app set argocd/web-prod --sync-policy none',
      'rollwright record pause.started --incident INC-42 --data target=Application/argocd/web-prod --data controller=argocd',
    ]);
    // The child's policy first, then the parent's (which would otherwise restore the child from Git anyway).
    expect(cmds.slice(-2)).toEqual([
      'argocd app set argocd/web-prod --sync-policy automated --self-heal --auto-prune',
      'argocd app set argocd/root --sync-policy automated --self-heal',
    ]);
    expect(d.runbook[d.runbook.length - 1]!.check).toBe(
      'argocd app get argocd/root shows syncPolicy {"automated":{"selfHeal":true}}, Synced and Healthy at the recovery\'s revision; then rollwright record pause.ended --incident INC-42 --data target=Application/argocd/root',
    );
    // Never the controller itself.
    expect(cmds.join('\n')).not.toMatch(/scale|argocd-application-controller/);
  });

  it('…and when an ApplicationSet generates the Application: the ApplicationSet is told to leave its sync policy alone first', async () => {
    const set = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
  namespace: argocd
spec:
  generators:
    - list:
        elements: [{ env: prod }]
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://git.example/platform.git
        targetRevision: v2026.01.0
        path: 'clusters/{{env}}/web'
      destination: { server: https://kubernetes.default.svc }
      syncPolicy:
        automated: { prune: true, selfHeal: true }
`;
    const s = await appRelease('    automated: {}', { 'argocd/web-set.yaml': set });
    const d = await s.decide(['loop-repeating-damage=yes']);
    const cmds = d.runbook.map((r) => r.command);
    expect(cmds.slice(0, 3)).toEqual([
      `kubectl patch applicationset web -n argocd --type merge -p '{"spec":{"ignoreApplicationDifferences":[{"jsonPointers":["/spec/syncPolicy"]}]}}'`,
      'kubectl get applications -n argocd -o custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences[0].name',
      'rollwright record pause.started --incident INC-42 --data target=ApplicationSet/argocd/web --data controller=argocd',
    ]);
    expect(cmds[cmds.length - 1]).toBe(
      `kubectl patch applicationset web -n argocd --type json -p '[{"op":"remove","path":"/spec/ignoreApplicationDifferences"}]'`,
    );
  });

  it('a release behind a flag that contains the impact: the flag off in its definition first, then the code', () => {
    const { d } = decided.get('app-release-flag')!;
    expect(d.runbook[0].step).toBe(
      'Turn feature flag new-checkout off in Git: in clusters/prod/web/flags.flagd.json:3 (clusters/prod/web/flags.flagd.json) set defaultVariant to off',
    );
    expect(d.rationale[3].source).toBe('fact');
  });

  it('a closed window: plain rollback refused with the window named, and the rollforward alternative', () => {
    const { d } = decided.get('app-release-window-closed')!;
    expect(d.transition).toBe('rollforward');
    expect(d.refused).toEqual([
      {
        transition: 'rollback',
        reason:
          'Is the rollback window still open? No: the rollback window "24h" (closed at 2026-01-06T10:00:00.000Z) has closed',
        alternative: 'rollforward',
      },
    ]);
  });

  it('a dropped column: rollforward, or restore with a backup; never rollback', () => {
    expect(decided.get('database')!.d.transition).toBe('rollforward');
    expect(decided.get('database-backup')!.d.transition).toBe('restore');
    for (const name of ['database', 'database-backup']) {
      const { d } = decided.get(name)!;
      expect(d.containment).not.toContain('rollback');
      expect(d.runbook.map((r: { command: string | null }) => r.command ?? '').join('\n')).not.toMatch(
        /git revert|\.down\.sql/,
      );
    }
  });

  it('an IAM narrowing whose previous policy was over-broad: a narrow forward fix', () => {
    const { d } = decided.get('iam')!;
    expect(d.transition).toBe('rollforward');
    expect(d.playbook).toBe('bad-iam-change');
    expect(d.runbook[0].step).toContain('Narrow forward fix: grant aws_iam_policy.deployer only the permission');
    expect(d.runbook.map((r: { command: string | null }) => r.command ?? '').join('\n')).not.toContain('git revert');
  });

  it("an Argo CD upgrade installed by a Flux HelmRelease: the drift is Argo CD's, checked with argocd", () => {
    const cmds = decided.get('controller')!.d.runbook.map((r: { command: string | null }) => r.command ?? '');
    expect(cmds).toContain('argocd app list -o wide');
    expect(cmds.join('\n')).not.toContain('flux get all');
    const flux = decided.get('controller-flux')!.d.runbook.map((r: { command: string | null }) => r.command ?? '');
    expect(flux).toContain('flux get all --all-namespaces --status-selector ready=false');
    expect(flux.join('\n')).not.toContain('argocd');
  });

  it('every playbook is covered', () => {
    expect(new Set([...decided.values()].map((x) => x.d.playbook))).toEqual(new Set(PLAYBOOKS));
  });
});
