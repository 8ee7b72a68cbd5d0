// The generated Kustomize repositories of the benchmarks: git without the user's configuration, files
// written into a work tree, and the layout of bench/kustomize.mjs (overlays over shared bases).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COMMIT_ENV } from './common.mjs';

export const env = COMMIT_ENV;
export const git = (dir, ...args) =>
  execFileSync('git', ['-C', dir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export function write(dir, rel, text) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

export const deployment = (b, digest) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${b}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app-${b}}}
  template:
    metadata: {labels: {app: app-${b}}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app-${b}@sha256:${digest.repeat(64).slice(0, 64)}
          envFrom: [{configMapRef: {name: app-${b}-config}}]
`;
export const service = (b) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: app-${b}}\nspec:\n  selector: {app: app-${b}}\n  ports: [{port: 80}]\n`;

/** The repository: bases/b0..b3 (Deployment, Service, generated ConfigMap), overlays/oNNN each on one base. */
export function makeRepo(N, BASES) {
  const dir = mkdtempSync(join(tmpdir(), 'rollwright-bench-kustomize-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (let b = 0; b < BASES; b++) {
    write(
      dir,
      `bases/b${b}/kustomization.yaml`,
      `resources:\n  - deployment.yaml\n  - service.yaml\nconfigMapGenerator:\n  - name: app-b${b}-config\n    literals: [MODE=steady]\n`,
    );
    write(dir, `bases/b${b}/deployment.yaml`, deployment(`b${b}`, 'a'));
    write(dir, `bases/b${b}/service.yaml`, service(`b${b}`));
  }
  for (let i = 0; i < N; i++) {
    const o = `o${String(i).padStart(3, '0')}`;
    write(
      dir,
      `overlays/${o}/kustomization.yaml`,
      `namespace: tenant-${o}\nnamePrefix: ${o}-\ncommonLabels: {tenant: ${o}}\nresources:\n  - ../../bases/b${i % BASES}\npatches:\n  - path: replicas.yaml\n`,
    );
    write(
      dir,
      `overlays/${o}/replicas.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-b${i % BASES}}\nspec:\n  replicas: ${1 + (i % 3)}\n`,
    );
  }
  git(dir, 'add', '-A');
  git(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'initial');
  write(dir, 'bases/b0/deployment.yaml', deployment('b0', 'b'));
  git(dir, 'add', '-A');
  git(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'b0: new image digest');
  return dir;
}

