import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkArchitecture,
  ENGINE_SURFACE_EXCEPTIONS,
  formatViolation,
  importsOf,
  LAYERS,
  LONG_MODULES,
  moduleLengths,
  oversizedModules,
  pathGlob,
  PUBLIC_SURFACE_MODULES,
  readModuleGraph,
  renderLayering,
  SRC,
  type Import,
  type ModuleGraph,
} from './testing/architecture.js';
import { expectGeneratedSection } from './testing/generated-section.js';

/** A graph from `file: [targets]`, every import a relative one on line 1. */
function graph(modules: Record<string, string[]>, tests: Record<string, string[]> = {}): ModuleGraph {
  const map = (m: Record<string, string[]>) =>
    new Map(Object.entries(m).map(([f, ts]) => [f, ts.map((t): Import => ({ spec: `./${t}`, line: 1, target: t }))]));
  return { modules: map(modules), tests: map(tests) };
}

describe('architecture: the layering of src/', () => {
  it('holds: no import breaks a layer, and no module graph circle', () => {
    const violations = checkArchitecture(readModuleGraph(SRC)).map(formatViolation);
    expect(violations).toEqual([]);
  });

  it('every listed exception and public module exists', () => {
    const { modules } = readModuleGraph(SRC);
    for (const f of [...Object.keys(PUBLIC_SURFACE_MODULES), ...Object.keys(ENGINE_SURFACE_EXCEPTIONS)])
      expect(modules.has(f), f).toBe(true);
  });
});

describe('module size', () => {
  it('no production module is over the limit but the listed data tables and scanner', () => {
    expect(oversizedModules(moduleLengths(SRC))).toEqual([]);
  });

  it('every allowed long module exists', () => {
    const files = [...moduleLengths(SRC).keys()];
    for (const glob of Object.keys(LONG_MODULES)) {
      expect(
        files.some((f) => pathGlob(glob).test(f)),
        glob,
      ).toBe(true);
    }
  });

  it('fails on a long module outside the list, and allows the data tables and the scanner', () => {
    const lengths = new Map([
      ['ledger/store.ts', 1075],
      ['ledger/chain.ts', 500],
      ['surfaces/terraform/data/data-bearing-types.ts', 900],
      ['surfaces/terraform/data/deep/x.ts', 900],
      ['surfaces/terraform/plan/json-stream.ts', 700],
      ['surfaces/terraform/plan/read.ts', 501],
    ]);
    expect(oversizedModules(lengths)).toEqual([
      'ledger/store.ts: 1075 lines (at most 500): split it along its jobs',
      'surfaces/terraform/data/deep/x.ts: 900 lines (at most 500): split it along its jobs',
      'surfaces/terraform/plan/read.ts: 501 lines (at most 500): split it along its jobs',
    ]);
  });
});

describe('docs/architecture.md', () => {
  const DOC = fileURLToPath(new URL('../docs/architecture.md', import.meta.url));
  const BEGIN = '<!-- BEGIN GENERATED: renderLayering() -->';
  const END = '<!-- END GENERATED -->';

  it('carries the layering rules as the checker holds them', async () => {
    await expectGeneratedSection(DOC, BEGIN, END, renderLayering(), process.env.UPDATE_ARCHITECTURE_DOC === '1');
  });

  it('describes every folder of src/ that is a layer', () => {
    const text = readFileSync(DOC, 'utf8');
    for (const layer of Object.keys(LAYERS))
      if (layer !== 'index') expect(text, layer).toMatch(new RegExp(`\\| \`src/${layer}(\\.ts\`|\`|/)`));
  });
});

describe('the architecture checker (on synthetic graphs)', () => {
  it('reads every kind of import, with its line', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "type F = typeof import('./f.js');",
      "import 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.js', line: 1 },
      { spec: './b.js', line: 2 },
      { spec: './c.js', line: 3 },
      { spec: './d.js', line: 4 },
      { spec: './e.js', line: 5 },
      { spec: './f.js', line: 6 },
      { spec: 'node:fs', line: 7 },
    ]);
  });

  it('passes a graph that keeps the layers', () => {
    const g = graph({
      'core/a.ts': ['core/b.ts'],
      'core/b.ts': [],
      'kube/model.ts': ['core/a.ts'],
      'surfaces/helm/index.ts': ['kube/model.ts', 'surfaces/helm/model.ts', 'surfaces/kubernetes/context.ts'],
      'surfaces/helm/model.ts': [],
      'surfaces/kubernetes/context.ts': ['kube/model.ts'],
      'registry.ts': ['surfaces/helm/index.ts'],
      'engine/assess.ts': ['registry.ts', 'kube/model.ts', 'surfaces/core/rules/index.ts'],
      'surfaces/core/rules/index.ts': [],
      'server/app.ts': ['engine/assess.ts', 'ledger/store.ts', 'reporters/index.ts'],
      'ledger/store.ts': ['core/a.ts'],
      'reporters/index.ts': ['engine/assess.ts'],
      'live/oci.ts': ['core/a.ts', 'git/exec.ts'],
      'git/exec.ts': ['core/a.ts'],
      'cli/main.ts': ['engine/assess.ts', 'ledger/store.ts'],
    });
    expect(checkArchitecture(g)).toEqual([]);
  });

  it('fails on a surfaces -> engine import and on a circle, naming the file and import', () => {
    const g = graph({
      'surfaces/helm/index.ts': ['engine/config.ts'],
      'engine/config.ts': [],
      'core/a.ts': ['core/b.ts'],
      'core/b.ts': ['core/c.ts'],
      'core/c.ts': ['core/a.ts'],
    });
    expect(checkArchitecture(g).map(formatViolation)).toEqual([
      "surfaces/helm/index.ts:1: import './engine/config.ts': surfaces may not import engine (surfaces imports only core, kube, git)",
      "core/a.ts:1: import './core/b.ts': import circle: core/a.ts -> core/b.ts -> core/c.ts -> core/a.ts",
    ]);
  });

  it.each([
    ['core importing config from engine', { 'core/surface.ts': ['engine/config.ts'], 'engine/config.ts': [] }],
    ['kube importing a surface', { 'kube/context.ts': ['surfaces/kubernetes/rules/index.ts'] }],
    ['engine importing a surface outside the registry', { 'engine/revert.ts': ['surfaces/crd/model.ts'] }],
    ['a surface importing another surface privately', { 'surfaces/helm/index.ts': ['surfaces/kubernetes/rules/a.ts'] }],
    ['a surface importing another surface index.ts', { 'surfaces/revert/a.ts': ['surfaces/crd/index.ts'] }],
    ['ledger importing the CLI', { 'ledger/store.ts': ['cli/options.ts'] }],
    ['reporters importing the CLI', { 'reporters/text.ts': ['cli/main.ts'] }],
    ['live importing the engine', { 'live/oci.ts': ['engine/assess.ts'] }],
    ['production code importing test support', { 'engine/assess.ts': ['testing/rule-tester.ts'] }],
    ['a folder with no rule', { 'plugins/x.ts': ['core/a.ts'] }],
    ['a self-import', { 'core/a.ts': ['core/a.ts'] }],
  ])('fails on %s', (_, modules) => {
    expect(checkArchitecture(graph(modules))).toHaveLength(1);
  });

  it('fails on a surface test that imports the engine, and lets test support do it', () => {
    const g = graph(
      {},
      {
        'surfaces/helm/render.test.ts': ['engine/assess.ts'],
        'testing/engine.ts': ['engine/assess.ts'],
        'surfaces/helm/rules/a.test.ts': ['testing/rule-tester.ts'],
      },
    );
    expect(checkArchitecture(g).map(formatViolation)).toEqual([
      "surfaces/helm/render.test.ts:1: import './engine/assess.ts': a surface test reaches the engine through src/testing, never engine/",
    ]);
  });
});
