import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { planNewRule, type PlannedFile } from './new-rule.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Type errors of the planned files, checked over the real tree with the plan laid over it (nothing written). */
function typeErrors(files: readonly PlannedFile[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const overlay = new Map(files.map((f) => [join(ROOT, f.path), f.text]));
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => overlay.get(f) ?? readFile(f);
  host.fileExists = (f) => overlay.has(f) || fileExists(f);
  const program = ts.createProgram([...overlay.keys()], config.options, host);
  return [...overlay.keys()].flatMap((f) =>
    ts
      .getPreEmitDiagnostics(program, program.getSourceFile(f))
      .map((d) => `${f}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
  );
}

describe('npm run new-rule', () => {
  // Surfaces of each shape: plain Kubernetes objects, a context of its own, two rules lists (config
  // and plan), a rule family over reverts.
  const keys = [
    'kubernetes/scaffold-probe',
    'helm/scaffold-probe',
    'terraform/scaffold-probe',
    'revert/scaffold-probe',
  ];
  const plans = keys.map((k) => planNewRule(ROOT, k));

  it('plans the rule at the path its key names, its case table beside it, and its entry in the rules index', () => {
    const [kube] = plans;
    expect(kube!.files.map((f) => f.path)).toEqual([
      'src/surfaces/kubernetes/rules/scaffold-probe.ts',
      'src/surfaces/kubernetes/rules/scaffold-probe.test.ts',
      'src/surfaces/kubernetes/rules/index.ts',
    ]);
    const [rule, table, index] = kube!.files;
    expect(rule!.text).toContain("id: 'scaffold-probe',\n  surface: 'kubernetes',");
    expect(table!.text).toContain("import rule from './scaffold-probe.js';");
    expect(table!.text).toMatch(/^ruleTable\(\w+, rule, \{/m);
    expect(index!.text).toContain("import scaffoldProbe from './scaffold-probe.js';");
    // Registered in the list, which stays sorted.
    const before = readFileSync(join(ROOT, 'src/surfaces/kubernetes/rules/index.ts'), 'utf8');
    const list = (t: string) =>
      /export const kubernetesRules[^=]*= \[([^\]]*)\]/
        .exec(t)![1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    expect(list(index!.text)).toEqual([...list(before), 'scaffoldProbe'].sort((a, b) => a.localeCompare(b)));
  });

  it('adds a terraform rule to the list of the rules shaped like it', () => {
    const index = plans[2]!.files[2]!.text;
    expect(/export const configRules[^=]*= \[([^\]]*)\]/.exec(index)![1]).toContain('scaffoldProbe');
    expect(/export const planRules[^=]*= \[([^\]]*)\]/.exec(index)![1]).not.toContain('scaffoldProbe');
  });

  it('writes files that typecheck with the rest of the tree', () => {
    expect(typeErrors(plans.flatMap((p) => p.files))).toEqual([]);
  }, 300_000);

  it('refuses an unknown surface, an existing id, a core rule and an id that is not kebab-case', () => {
    expect(() => planNewRule(ROOT, 'nosuch/x')).toThrow(/unknown surface "nosuch": one of argocd, /);
    expect(() => planNewRule(ROOT, 'helm/hook-changed')).toThrow('helm/hook-changed exists already');
    expect(() => planNewRule(ROOT, 'core/x')).toThrow(/reported by the engine itself/);
    expect(() => planNewRule(ROOT, 'helm/Hook_Changed')).toThrow(/kebab-case/);
    expect(() => planNewRule(ROOT, 'hook-changed')).toThrow(/<surface>\/<id>/);
  });
});
