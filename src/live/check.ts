/**
 * One entry point for every live check: a target (an image, a chart version, a git ref, a registry
 * module version) in, one `LiveAnswer` out. In offline mode nothing is contacted and every answer is
 * `unknown` with the reason "offline".
 */
import { checkGitRef, type GitSource } from './git-source.js';
import { HelmRepoClient, type ChartRef } from './helm.js';
import { RegistryClient } from './oci.js';
import { parseOciReference } from './reference.js';
import { ModuleRegistryClient, type RegistryModule } from './terraform-registry.js';
import { isOffline, offlineAnswer, type LiveAnswer, type LiveOptions } from './types.js';

export type LiveTarget =
  | { kind: 'image'; ref: string }
  | ({ kind: 'chart' } & ChartRef)
  | ({ kind: 'git' } & GitSource)
  | ({ kind: 'module' } & RegistryModule);

export class LiveChecker {
  readonly offline: boolean;
  private readonly oci: RegistryClient;
  private readonly helm: HelmRepoClient;
  private readonly modules: ModuleRegistryClient;

  constructor(readonly opts: LiveOptions = {}) {
    this.offline = isOffline(opts);
    this.oci = new RegistryClient(opts);
    this.helm = new HelmRepoClient(opts, this.oci);
    this.modules = new ModuleRegistryClient(opts);
  }

  async check(t: LiveTarget): Promise<LiveAnswer> {
    if (this.offline) return offlineAnswer();
    try {
      switch (t.kind) {
        case 'image': {
          const p = parseOciReference(t.ref);
          if (!p.ok) return { status: 'unknown', reason: p.reason };
          return await this.oci.checkReference(p.ref, { signatures: this.opts.signatures !== false });
        }
        case 'chart':
          return await this.helm.checkChart(t);
        case 'git':
          return await checkGitRef(t, this.opts);
        case 'module':
          return await this.modules.checkModule(t);
      }
    } catch (e) {
      // A live check never crashes the command: what broke is the answer.
      return { status: 'unknown', reason: `the check failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Checks many targets, `concurrency` at a time (default 8), answers in the targets' order. */
  async checkAll(targets: readonly LiveTarget[]): Promise<LiveAnswer[]> {
    const out: LiveAnswer[] = new Array(targets.length);
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const i = next++;
        out[i] = await this.check(targets[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 8, targets.length) }, worker));
    return out;
  }
}
