// Generates src/kube/data/field-types.json: the field types of every Kubernetes kind that
// kubernetes-models ships (the OpenAPI schemas of the Kubernetes API), read from its TypeScript
// declarations, for the cheap type check of changed objects that `assess` runs on every manifest.
// The package's compiled validators cost about half a second to load for ten kinds; this table
// loads in a few milliseconds. src/kube/field-types.test.ts regenerates it and fails on drift.
//
//   node scripts/kube-field-types.mjs          writes the file
//   node scripts/kube-field-types.mjs --print  prints it instead
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'src', 'kube', 'data', 'field-types.json');

/**
 * `kinds` maps `<group>/<version>/<Kind>` to the index of its type in `types`; a type maps each field
 * to a code: `s` string, `n` number, `b` boolean, `q` number or string (IntOrString, Quantity), `[T`
 * a list of T, `{T` a map of T, and a number the index of an object type. Fields of any value
 * (RawExtension, JSON) and `status` (never applied) are left out.
 */
export function generate(root = ROOT) {
  const require = createRequire(join(root, 'package.json'));
  const pkgDirs = ['kubernetes-models', '@kubernetes-models/apimachinery'].map((p) =>
    dirname(require.resolve(`${p}/package.json`)),
  );
  /** alias (IIoK8s...) -> { iface body, or union text } */
  const aliases = new Map();
  const kinds = {};
  for (const dir of pkgDirs) {
    for (const file of walk(dir)) {
      if (!file.endsWith('.d.ts') || file.includes(`${sep}_schemas${sep}`)) continue;
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      const ifaces = new Map();
      for (const m of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{/g)) {
        ifaces.set(m[1], body(text, m.index + m[0].length));
      }
      const unions = new Map();
      for (const m of text.matchAll(/export type (\w+) = ([^;{]+);/g)) unions.set(m[1], m[2].trim());
      for (const m of text.matchAll(/export type \{([^}]*)\}/g)) {
        for (const part of m[1].split(',')) {
          const [local, alias] = part.split(' as ').map((s) => s.trim());
          if (!alias?.startsWith('IIoK8s')) continue;
          if (ifaces.has(local)) aliases.set(alias, { members: ifaces.get(local) });
          else if (unions.has(local)) aliases.set(alias, { union: unions.get(local) });
        }
      }
      // A kind: a model file whose interface pins apiVersion and kind.
      for (const [name, members] of ifaces) {
        const kind = /"kind": "(\w+)";/.exec(members)?.[1];
        const api = /"apiVersion": "([\w./-]+)";/.exec(members)?.[1];
        if (!kind || !api || `I${kind}` !== name) continue;
        const alias = [...text.matchAll(/export type \{([^}]*)\}/g)]
          .flatMap((m) => m[1].split(','))
          .map((p) => p.split(' as ').map((s) => s.trim()))
          .find(([local, a]) => local === name && a?.startsWith('IIoK8s'))?.[1];
        if (!alias) continue;
        const i = api.lastIndexOf('/');
        const key = i < 0 ? `/${api}/${kind}` : `${api.slice(0, i)}/${api.slice(i + 1)}/${kind}`;
        kinds[key] = short(alias);
      }
    }
  }
  const types = {};
  const reachable = new Set(Object.values(kinds));
  const queue = [...reachable];
  while (queue.length) {
    const name = queue.shift();
    const def = aliases.get(`IIoK8s${name}`);
    if (!def?.members) continue;
    const fields = {};
    for (const [field, type] of members(def.members)) {
      if (field === 'apiVersion' || field === 'kind' || field === 'status') continue;
      const code = typeCode(type, aliases);
      if (code === '*') continue;
      fields[field] = code;
      for (const ref of code.match(/[A-Z]\w+/g) ?? [])
        if (!reachable.has(ref)) {
          reachable.add(ref);
          queue.push(ref);
        }
    }
    types[name] = fields;
  }
  // Object types by number (their names would be most of the file): a reference is the type's index.
  const names = Object.keys(types).sort();
  const index = new Map(names.map((n, i) => [n, String(i)]));
  const ref = (code) => code.replace(/[A-Z]\w+/g, (n) => index.get(n) ?? '*');
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    kinds: Object.fromEntries(Object.entries(sorted(kinds)).map(([k, n]) => [k, Number(index.get(n))])),
    types: names.map((n) => Object.fromEntries(Object.entries(sorted(types[n])).map(([f, c]) => [f, ref(c)]))),
  };
}

function short(alias) {
  return alias.replace(/^IIoK8s/, '');
}

function typeCode(type, aliases) {
  const t = type.replace(/\s+/g, ' ').trim();
  if (t === 'string' || /^"[^"]*"( \| "[^"]*")*$/.test(t)) return 's';
  if (t === 'number') return 'n';
  if (t === 'boolean') return 'b';
  let m = /^Array<(.*)>$/.exec(t);
  if (m) {
    const inner = typeCode(m[1], aliases);
    return inner === '*' ? '*' : `[${inner}`;
  }
  m = /^\{ \[key: string\]: (.*?);? \}$/.exec(t);
  if (m) {
    const inner = typeCode(m[1], aliases);
    return inner === '*' ? '{*' : `{${inner}`;
  }
  m = /^(IIoK8s\w+)$/.exec(t);
  if (m) {
    const def = aliases.get(m[1]);
    if (!def) return '*';
    if (def.union !== undefined) {
      const u = def.union
        .split('|')
        .map((s) => s.trim())
        .sort()
        .join('|');
      if (u === 'number|string') return 'q';
      if (u === 'string') return 's';
      if (u === 'number') return 'n';
      if (u === 'boolean') return 'b';
      return '*';
    }
    // An interface with no typed member (RawExtension, JSON): any value.
    return members(def.members).length ? short(m[1]) : '*';
  }
  return '*';
}

/** The text between the brace at `start - 1` and its match. */
function body(text, start) {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  throw new Error('unbalanced declaration');
}

/** `"name"?: type;` members at the top level of an interface body. */
function members(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const m = /"([^"]+)"\??: /y;
    m.lastIndex = i;
    const head = m.exec(src);
    if (!head) {
      i++;
      continue;
    }
    let j = m.lastIndex;
    let depth = 0;
    for (; j < src.length; j++) {
      const c = src[j];
      if (c === '{' || c === '<') depth++;
      else if (c === '}' || c === '>') depth--;
      else if (c === ';' && depth === 0) break;
    }
    out.push([head[1], src.slice(m.lastIndex, j)]);
    i = j + 1;
  }
  return out;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

export function serialise(table) {
  return `${JSON.stringify(table)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serialise(generate());
  if (process.argv.includes('--print')) process.stdout.write(text);
  else {
    writeFileSync(OUT, text);
    console.error(`wrote ${relative(ROOT, OUT)} (${text.length} bytes)`);
  }
}
