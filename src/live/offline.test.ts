import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { gitStats } from '../git/exec.js';
import { freePort } from '../testing/registry.js';
import { LiveChecker, type LiveTarget } from './check.js';
import { isOffline } from './types.js';

describe('offline mode', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  beforeAll(async () => {
    port = await freePort();
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => vi.restoreAllMocks());
  const targets = (): LiveTarget[] => [
    { kind: 'image', ref: `127.0.0.1:${port}/acme/web@sha256:${'a'.repeat(64)}` },
    { kind: 'chart', repo: `http://127.0.0.1:${port}/charts`, chart: 'web', version: '1.0.0' },
    { kind: 'chart', repo: `oci://127.0.0.1:${port}/charts`, chart: 'web', version: '1.0.0' },
    { kind: 'git', url: `http://127.0.0.1:${port}/modules.git`, ref: 'v1.0.0' },
    { kind: 'module', host: `127.0.0.1:${port}`, namespace: 'acme', name: 'vpc', system: 'aws', version: '5.1.0' },
  ];

  it.each([
    [{ offline: true }, true],
    [{ env: { ROLLWRIGHT_OFFLINE: '1' } }, true],
    [{ env: { ROLLWRIGHT_OFFLINE: 'true' } }, true],
    [{ env: { ROLLWRIGHT_OFFLINE: '0' } }, false],
    [{ env: {} }, false],
  ])('%j is offline: %s', (opts, want) => {
    expect(isOffline(opts)).toBe(want);
  });

  it('every answer is unknown with the reason "offline": no connection reaches the server, no fetch, no git', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const procs = gitStats.processes;
    const t0 = Date.now();
    const answers = await new LiveChecker({ env: { ROLLWRIGHT_OFFLINE: '1' } }).checkAll(targets());
    expect(answers).toEqual(targets().map(() => ({ status: 'unknown', reason: 'offline' })));
    expect(connections).toBe(0);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(gitStats.processes).toBe(procs);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('the same checks online do reach the server (the counter can fail)', async () => {
    await new LiveChecker({ retries: 0, timeoutMs: 5000, env: { HOME: '/nonexistent' } }).checkAll(targets());
    expect(connections).toBeGreaterThan(0);
  });
});

describe('layering', () => {
  it('src/live imports only core, git, itself, node built-ins and packages', () => {
    const dir = join(import.meta.dirname);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        expect(spec, `${f} imports ${spec}`).toMatch(/^(\.\/[^/]+|\.\.\/(core|git)\/[^/]+)$/);
      }
    }
  });
});
