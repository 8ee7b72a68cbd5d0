/**
 * The tree's artifacts checked in a real Distribution registry (`docker-registry`, on 127.0.0.1): a
 * pinned digest that is still there is retained, one deleted from the registry fails `digests`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { registryAvailable, TestRegistry, type PushedImage } from '../../testing/registry.js';
import { scoreReport, targetsTreeFacts } from './index.js';
import type { TreeFacts } from './types.js';

const deployment = (images: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
${images.map((image, i) => `        - name: c${i}\n          image: ${image}`).join('\n')}
`;

describe.runIf(registryAvailable())('digests retained, against a real registry', () => {
  let reg: TestRegistry;
  let repo: GitFixture;
  let kept: PushedImage;
  let gone: PushedImage;
  let home: string;
  let facts: TreeFacts;
  const config = defaultConfig();

  beforeAll(async () => {
    reg = await TestRegistry.start();
    kept = await reg.pushImage('acme/web', { tag: '1.0.0', seed: 'kept' });
    gone = await reg.pushImage('acme/web', { tag: '0.9.0', seed: 'gone' });
    expect(await reg.deleteManifest('acme/web', gone.digest)).toBe(202);
    repo = GitFixture.create();
    repo.commit('web', { 'clusters/prod/web.yaml': deployment([kept.ref, gone.ref]) });
    home = mkdtempSync(join(tmpdir(), 'rollwright-score-home-'));
    mkdirSync(join(home, 'docker'));
    writeFileSync(join(home, 'docker', 'config.json'), '{}');
    facts = await targetsTreeFacts({
      dir: repo.dir,
      head: repo.rev(),
      config,
      live: {
        retries: 1,
        baseDelayMs: 10,
        timeoutMs: 5000,
        env: { HOME: home, DOCKER_CONFIG: join(home, 'docker'), PATH: process.env.PATH },
      },
    });
  });
  afterAll(() => {
    reg?.stop();
    repo?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('asks the registry for each pinned image', () => {
    expect(facts.live).toBe(true);
    expect(facts.images.map((i) => [i.ref, i.pinned, i.production, i.retention])).toEqual([
      [kept.ref, true, true, 'present'],
      [gone.ref, true, true, 'missing'],
    ]);
  });

  it('fails digests on the pinned image the registry no longer holds', () => {
    const r = scoreReport({
      repository: 'r',
      name: 'r',
      head: repo.rev(),
      since: { given: '90d', start: '2026-01-01T00:00:00.000Z' },
      config,
      commitsInWindow: 0,
      changes: [],
      notAssessed: 0,
      tree: facts,
      policyTests: [],
      policies: { policies: [], exceptions: [] },
      ledger: null,
      now: '2026-03-01T00:00:00.000Z',
    });
    const item = r.items.find((i) => i.id === 'digests')!;
    expect(item.status).toBe('fail');
    expect(item.evidence).toContain('retention of the pinned ones: 1 present, 1 missing, 0 not answered');
    expect(item.evidence).toContain(`missing: ${gone.ref} at clusters/prod/web.yaml:13`);
  });
});
