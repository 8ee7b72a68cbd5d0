/** `rollwright windows` as a whole process, against both stores. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordAll, run } from '../../testing/ledger/cli-env.js';
import type { ExampleStep } from '../../testing/ledger/example.js';
import { testStores } from '../../testing/ledger/stores.js';
import { ensureBuilt } from '../../testing/cli.js';

const stores = testStores();
beforeAll(async () => {
  await ensureBuilt();
});

const step = (type: string, flags: Record<string, string>, data: Record<string, string> = {}): ExampleStep => ({
  type,
  flags,
  data,
});

const STEPS: ExampleStep[] = [
  step(
    'change.declared',
    { change: 'CHG-1', at: '2026-01-05T08:00:00Z' },
    { environment: 'prod', rollbackWindow: '48h' },
  ),
  step('change.deployed', { change: 'CHG-1', service: 'shop', env: 'prod', at: '2026-01-05T09:00:00Z' }),
  step(
    'change.declared',
    { change: 'CHG-2', at: '2026-01-05T08:00:00Z' },
    {
      'rollbackWindow.appImage': '24h',
      'rollbackWindow.databaseSchema': 'until-contract-phase',
      'rollbackWindow.secretRotation': '2h unless compromise suspected',
    },
  ),
  step('change.deployed', { change: 'CHG-2', service: 'shop', env: 'prod', at: '2026-01-05T10:00:00Z' }),
  step('change.deployed', { change: 'CHG-2', service: 'shop', env: 'staging', at: '2026-01-05T07:00:00Z' }),
];

describe.each(stores.kinds)('%s: rollwright windows', (kind) => {
  it('lists open windows with when each closes, or which event closes it; --env, --at, --all, -o json', async () => {
    const spec = await stores.fresh(kind);
    await recordAll(spec, STEPS);
    const r = await run(spec, ['windows', '--env', 'prod', '--at', '2026-01-05T11:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Open rollback windows as of 2026-01-05 11:00:00Z

CHANGE  SERVICE  ENV   SURFACE         WINDOW                          OPENED                CLOSES
CHG-2   shop     prod  secretRotation  2h unless compromise suspected  2026-01-05 10:00:00Z  2026-01-05 12:00:00Z (in 1h0m), unless compromise suspected
CHG-2   shop     prod  appImage        24h                             2026-01-05 10:00:00Z  2026-01-06 10:00:00Z (in 23h0m)
CHG-1   shop     prod  -               48h                             2026-01-05 09:00:00Z  2026-01-07 09:00:00Z (in 1d22h)
CHG-2   shop     prod  databaseSchema  until-contract-phase            2026-01-05 10:00:00Z  when a change.deployed with phase=contract is recorded
`);
    // In staging, CHG-2 opened at 07:00: its 2h window has closed by 11:00.
    const staging = JSON.parse(
      (await run(spec, ['windows', '--env', 'staging', '--at', '2026-01-05T11:00:00Z', '-o', 'json'])).stdout,
    );
    expect(staging.windows.map((w: { surface: string }) => w.surface)).toEqual(['appImage', 'databaseSchema']);

    // The contract phase deploys: the schema window closes, named by the event that closed it.
    await recordAll(spec, [
      step(
        'change.deployed',
        { change: 'CHG-3', service: 'shop', env: 'prod', at: '2026-01-06T09:00:00Z' },
        { phase: 'contract' },
      ),
    ]);
    const after = JSON.parse(
      (await run(spec, ['windows', '--env', 'prod', '--all', '--at', '2026-01-06T10:00:00Z', '-o', 'json'])).stdout,
    );
    expect(after.schema).toBe('rollwright.windows/v1');
    const schema = after.windows.find((w: { surface: string }) => w.surface === 'databaseSchema');
    expect(schema).toMatchObject({
      open: false,
      closesOn: 'contract',
      closesAt: '2026-01-06T09:00:00.000Z',
      closedBy: { seq: 6, type: 'change.deployed', change: 'CHG-3' },
    });
    expect(
      after.windows
        .filter((w: { open: boolean }) => w.open)
        .map((w: { change: string; surface: string | null }) => `${w.change}/${w.surface}`),
    ).toEqual(['CHG-1/null']);
    const text = await run(spec, ['windows', '--env', 'prod', '--all', '--at', '2026-01-06T10:00:00Z']);
    expect(text.stdout).toContain('closed by #6 change.deployed CHG-3 phase=contract at 2026-01-06 09:00:00Z');
    const none = await run(spec, ['windows', '--env', 'dev']);
    expect(none.stdout).toMatch(/^No open rollback windows as of /);
  });

  it('reads the declaration from the repository when the ledger has none for a deployed change', async () => {
    const spec = await stores.fresh(kind);
    const repo = join(stores.dir(), `repo-${kind}-${Date.now()}`);
    mkdirSync(join(repo, 'deploy', 'changes'), { recursive: true });
    writeFileSync(join(repo, '.rollwright.yaml'), 'declarations:\n  dir: deploy/changes\n');
    writeFileSync(join(repo, 'deploy', 'changes', 'CHG-5.yaml'), 'change:\n  id: CHG-5\n  rollbackWindow: 24h\n');
    await recordAll(spec, [
      step('change.deployed', { change: 'CHG-5', service: 'api', env: 'prod', at: '2026-01-05T09:00:00Z' }),
    ]);
    const r = JSON.parse(
      (await run(spec, ['windows', '--repo', repo, '--at', '2026-01-05T10:00:00Z', '-o', 'json'])).stdout,
    );
    expect(r.windows).toEqual([
      {
        change: 'CHG-5',
        service: 'api',
        environment: 'prod',
        surface: null,
        window: '24h',
        kind: 'duration',
        opensAt: '2026-01-05T09:00:00.000Z',
        closesAt: '2026-01-06T09:00:00.000Z',
        closesOn: null,
        condition: null,
        open: true,
        closedBy: null,
        remainingSeconds: 82800,
      },
    ]);
  });
});
