/**
 * The rule scaffolder behind `npm run new-rule -- <surface>/<id>`: the rule file, its case table, and
 * its entry in the surface's rules/index.ts, in the shape of the surface's other rules (their context
 * type, the rules list they are in, the surface object their tables run through). `planNewRule` only
 * plans (the test checks the plan typechecks); `writeNewRule` writes it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlannedFile {
  /** Relative to the repository root. */
  path: string;
  text: string;
}

export interface NewRulePlan {
  key: string;
  /** The rule, its case table, and the rules index with the rule registered. */
  files: PlannedFile[];
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** What the new rule's files are, or why it cannot be added (an unknown surface, an id taken, a bad id). */
export function planNewRule(root: string, key: string): NewRulePlan {
  const m = /^([a-z][a-z0-9-]*)\/(.+)$/.exec(key);
  if (!m)
    throw new Error(`${JSON.stringify(key)}: give the rule as <surface>/<id>, e.g. kubernetes/service-port-removed`);
  const [, surface, id] = m as unknown as [string, string, string];
  const rulesDir = join(root, 'src/surfaces', surface, 'rules');
  const surfaces = readdirSync(join(root, 'src/surfaces'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  if (!surfaces.includes(surface) || !existsSync(join(rulesDir, 'index.ts')))
    throw new Error(`unknown surface ${JSON.stringify(surface)}: one of ${surfaces.join(', ')}`);
  if (surface === 'core')
    throw new Error(
      'core rules are reported by the engine itself (unreadable files, failed rules), not by a check over a surface: add the finding where the engine reports it',
    );
  if (!ID.test(id)) throw new Error(`${JSON.stringify(id)}: a rule id is kebab-case: lower-case words joined by -`);
  if (existsSync(join(rulesDir, `${id}.ts`)) || existsSync(join(rulesDir, `${id}.test.ts`)))
    throw new Error(`${key} exists already: src/surfaces/${surface}/rules/${id}.ts`);

  // The shape of the surface's other rules: a sibling rule with a case table is the model.
  const siblings = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.test.ts') && readFileSync(join(rulesDir, f), 'utf8').includes('ruleTable('))
    .map((f) => f.replace(/\.test\.ts$/, ''))
    .sort();
  const index = readFileSync(join(rulesDir, 'index.ts'), 'utf8');
  let model: { id: string; ctx: string; ctxImport: string; local: string; list: RegExpExecArray } | undefined;
  for (const sib of siblings) {
    const text = readFileSync(join(rulesDir, `${sib}.ts`), 'utf8');
    const ctx = /defineRule<\s*([A-Za-z]\w*)/.exec(text)?.[1];
    const ctxImport =
      ctx && new RegExp(`^import (?:type )?\\{[^}]*\\b${ctx}\\b[^}]*\\} from '([^']+)';`, 'm').exec(text)?.[1];
    const local = new RegExp(`^import (\\w+) from '\\./${sib}\\.js';`, 'm').exec(index)?.[1];
    if (!ctx || !ctxImport || !local) continue;
    const list = new RegExp(
      `^export const \\w+: readonly (?:Rule<\\w+, string>|AnyRule)\\[\\] = \\[([^\\]]*)\\];`,
      'gm',
    );
    for (let l = list.exec(index); l; l = list.exec(index))
      if (new RegExp(`\\b${local}\\b`).test(l[1]!)) {
        model = { id: sib, ctx, ctxImport, local, list: l };
        break;
      }
    if (model) break;
  }
  if (!model) throw new Error(`src/surfaces/${surface}/rules: no rule with a case table to take the shape from`);
  const test = readFileSync(join(rulesDir, `${model.id}.test.ts`), 'utf8');
  const surfaceImport = /^import \{ [^}]*\} from '\.\.\/index\.js';$/m.exec(test)?.[0];
  const surfaceArg = /^ruleTable\((\w+),/m.exec(test)?.[1];
  if (!surfaceImport || !surfaceArg)
    throw new Error(`src/surfaces/${surface}/rules/${model.id}.test.ts: cannot read how its table names the surface`);

  const local = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (new RegExp(`\\b${local}\\b`).test(index))
    throw new Error(`src/surfaces/${surface}/rules/index.ts already uses the name ${local}`);
  return {
    key,
    files: [
      { path: `src/surfaces/${surface}/rules/${id}.ts`, text: ruleText(surface, id, model.ctx, model.ctxImport) },
      { path: `src/surfaces/${surface}/rules/${id}.test.ts`, text: tableText(id, surfaceImport, surfaceArg) },
      { path: `src/surfaces/${surface}/rules/index.ts`, text: registered(index, model.list, local, id) },
    ],
  };
}

/** Writes the planned files; returns their paths. */
export function writeNewRule(root: string, key: string): string[] {
  const plan = planNewRule(root, key);
  for (const f of plan.files) writeFileSync(join(root, f.path), f.text);
  return plan.files.map((f) => f.path);
}

/** The index with the rule imported (imports kept sorted by path) and added to its list, sorted. */
function registered(index: string, list: RegExpExecArray, local: string, id: string): string {
  const entries = list[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sorted = [...entries, local].sort((a, b) => a.localeCompare(b));
  const head = list[0].slice(0, list[0].indexOf('[', list[0].indexOf('=')) + 1);
  const withList =
    index.slice(0, list.index) +
    `${head}\n${sorted.map((e) => `  ${e},`).join('\n')}\n];` +
    index.slice(list.index + list[0].length);
  const imports = [...withList.matchAll(/^import \w+ from '\.\/([\w-]+)\.js';$/gm)];
  const line = `import ${local} from './${id}.js';`;
  const after = imports.filter((i) => i[1]! < id).pop() ?? undefined;
  if (after) {
    const at = after.index! + after[0].length;
    return `${withList.slice(0, at)}\n${line}${withList.slice(at)}`;
  }
  const first = imports[0];
  return first ? `${withList.slice(0, first.index!)}${line}\n${withList.slice(first.index!)}` : `${line}\n${withList}`;
}

function ruleText(surface: string, id: string, ctx: string, ctxImport: string): string {
  return `import { defineRule } from '../../../core/rule.js';
import type { ${ctx} } from '${ctxImport}';

/**
 * TODO: what the rule finds, in the system's own terms, and why a rollback cares.
 */
export default defineRule<${ctx}, 'changed'>({
  id: '${id}',
  surface: '${surface}',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'TODO: one line: what change this rule finds.',
    rationale:
      'TODO: why it matters for a rollback: what the system really does (check it in its own docs and source, and cite them in references).',
    fix: 'TODO: what to do instead, or how to make the change reversible.',
    references: [],
  },
  messages: {
    changed: '{{file}}:{{line}}: TODO: what changed, and what a rollback does about it',
  },
  check({ report }) {
    // TODO: read the surface's context and report each finding at the line it is about:
    // report('changed', { file, line }, { file, line });
    void report;
  },
});
`;
}

function tableText(id: string, surfaceImport: string, surfaceArg: string): string {
  return `import { ruleTable } from '../../../testing/rule-tester.js';
${surfaceImport}
import rule from './${id}.js';

// The first valid and the first invalid case are the examples of the rule's page (docs/rules/).
ruleTable(${surfaceArg}, rule, {
  valid: [
    {
      name: 'TODO: a change the rule must not report',
      before: {},
      after: {},
    },
  ],
  invalid: [
    {
      name: 'TODO: a change the rule reports',
      before: {},
      after: {},
      errors: [{ messageId: 'changed', class: 'fully-reversible', line: 1 }],
    },
  ],
});
`;
}
