import type { ChangeSet, RepoReader } from '../core/change.js';
import { isRollbackClass } from '../core/classes.js';
import type { Declaration, DeclarationBody } from '../core/declaration.js';
import { InputError } from '../core/errors.js';
import type { RollwrightConfig } from '../core/config.js';

export interface DeclarationResult {
  declaration: Declaration | null;
  /** Reasons the declaration is unusable (schema errors), for the gate. */
  problems: string[];
}

export function isDeclarationPath(config: RollwrightConfig, path: string): boolean {
  const dir = config.declarations.dir.replace(/\/+$/, '');
  return path.startsWith(`${dir}/`) && /\.ya?ml$/.test(path) && !path.slice(dir.length + 1).includes('/');
}

/** The trailers that declare a change in a commit message. */
export const TRAILERS = {
  class: 'Rollback-Class',
  window: 'Rollback-Window',
  method: 'Rollback-Method',
  verification: 'Rollback-Verification',
  irreversible: 'Rollback-Irreversible-Effect',
  environment: 'Rollback-Environment',
  changeId: 'Change-Id',
} as const;

/**
 * Finds the declaration of a change: a `.rollwright/changes/*.yaml` file added or edited in the
 * range, or one whose `id` matches `--change-id` or a `Change-Id:` trailer; else the
 * `Rollback-*` trailers of the newest commit that has them. A file wins over trailers.
 */
export async function findDeclaration(
  changes: ChangeSet,
  repo: RepoReader,
  config: RollwrightConfig,
  changeId?: string,
): Promise<DeclarationResult> {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (changeId) ids.add(changeId);
  for (const c of changes.commits)
    for (const [k, v] of c.trailers) if (k.toLowerCase() === 'change-id' && v) ids.add(v);

  const candidates: Array<{ path: string; text: string }> = [];
  for (const f of changes.files) {
    if (f.status !== 'deleted' && isDeclarationPath(config, f.path) && f.newText !== undefined)
      candidates.push({ path: f.path, text: f.newText });
  }
  const fromFiles: Declaration[] = [];
  for (const c of candidates) {
    const d = await parseDeclarationFile(c.path, c.text, problems);
    if (d) fromFiles.push(d);
  }
  // A declaration added in the range belongs to it; with an id given, the id must match too.
  const matched = fromFiles.filter((d) => !changeId || d.id === changeId);
  if (matched.length === 0 && ids.size > 0) {
    // The declaration may have landed earlier than the range: look it up by id at head.
    const dir = config.declarations.dir.replace(/\/+$/, '');
    for (const e of await repo.listDir('head', dir)) {
      if (e.type !== 'blob' || !/\.ya?ml$/.test(e.name)) continue;
      const path = `${dir}/${e.name}`;
      const text = await repo.readText('head', path);
      if (text === undefined) continue;
      const d = await parseDeclarationFile(path, text, []);
      if (d?.id !== undefined && ids.has(d.id)) matched.push(d);
    }
    if (matched.length === 0 && changeId)
      throw new InputError(`no declaration with id ${JSON.stringify(changeId)} in ${dir}/ at head`);
  }
  if (matched.length > 1)
    throw new InputError(
      `${matched.length} change declarations match this range (${matched.map((d) => d.source).join(', ')}); ` +
        'assess one change at a time or pass --change-id ID',
    );
  if (matched.length === 1) return { declaration: matched[0]!, problems };
  return { declaration: fromTrailers(changes, problems), problems };
}

/** The line of each `accept:` entry of a declaration read from a file (kept out of the declaration's JSON). */
const acceptLines = new WeakMap<Declaration, number[]>();

/** Where a declaration's `accept:` entry `index` is written: `file:line`, or the declaration's source. */
export function acceptEntrySource(d: Declaration, index: number): string {
  const line = acceptLines.get(d)?.[index];
  return line ? `${d.source}:${line}` : d.source;
}

/** A declaration file's text as a declaration (its schema problems pushed to `problems`); undefined when it is not one. */
export async function parseDeclarationFile(
  path: string,
  text: string,
  problems: string[],
): Promise<Declaration | undefined> {
  // zod loads only when a declaration file is read.
  const [{ DeclarationSchema }, { parseYaml }, { explainIssues, pathText }] = await Promise.all([
    import('../core/declaration.js'),
    import('../core/yaml.js'),
    import('../core/validation.js'),
  ]);
  const file = parseYaml(text);
  const error = file.docs.find((d) => d.error)?.error;
  if (error) throw new InputError(`declaration does not parse: ${error.reason}`, path, error.line, error.column);
  const doc = file.docs[0];
  const root = (doc?.value ?? null) as Record<string, unknown> | null;
  if (!root || typeof root !== 'object' || Array.isArray(root) || !('change' in root)) {
    problems.push(`${path}: a declaration is a mapping under the key 'change:'`);
    return { source: path };
  }
  const parsed = DeclarationSchema.safeParse(root.change);
  if (!parsed.success) {
    for (const p of explainIssues(DeclarationSchema, root.change, parsed.error.issues)) {
      const line = doc ? file.locate(doc, ['change', ...p.path]) : undefined;
      problems.push(`${path}${line ? `:${line}` : ''}: ${pathText(['change', ...p.path])}: ${p.message}`);
    }
    return { source: path };
  }
  const declaration: Declaration = { ...parsed.data, source: path };
  if (parsed.data.accept?.length && doc)
    acceptLines.set(
      declaration,
      parsed.data.accept.map((_, i) => file.locate(doc, ['change', 'accept', i])),
    );
  return declaration;
}

function fromTrailers(changes: ChangeSet, problems: string[]): Declaration | null {
  for (const commit of [...changes.commits].reverse()) {
    const get = (k: string) =>
      commit.trailers.filter(([key]) => key.toLowerCase() === k.toLowerCase()).map(([, v]) => v);
    const keys = Object.values(TRAILERS).filter((k) => k !== TRAILERS.changeId);
    if (!keys.some((k) => get(k).length)) continue;
    const body: DeclarationBody = {};
    const cls = get(TRAILERS.class)[0];
    const source = `trailer:${commit.sha.slice(0, 12)}`;
    if (cls !== undefined) {
      if (isRollbackClass(cls)) body.rollbackClass = cls;
      else problems.push(`${source}: ${TRAILERS.class}: ${JSON.stringify(cls)} is not a rollback class`);
    }
    const window = get(TRAILERS.window)[0];
    if (window) body.rollbackWindow = window;
    const method = get(TRAILERS.method)[0];
    if (method) body.rollbackMethod = method;
    const verification = get(TRAILERS.verification);
    if (verification.length) body.verification = verification;
    const irreversible = get(TRAILERS.irreversible);
    if (irreversible.length) body.irreversibleEffects = irreversible;
    const env = get(TRAILERS.environment)[0];
    if (env) body.environment = env;
    const id = get(TRAILERS.changeId)[0];
    if (id) body.id = id;
    return { ...body, source };
  }
  return null;
}
