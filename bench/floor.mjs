// The floor: only what any tool assessing base..head must do, as one whole process.
//   1. `git diff --raw -z --no-abbrev BASE HEAD`  (which files changed, and their blob ids)
//   2. one `git cat-file --batch` reading both sides of every changed YAML file
//   3. js-yaml `loadAll` on each text (imported only when there is YAML to parse)
// No rules, no config, no report. rollwright's time is compared with this process's time.
// With --rev instead (the floor of `rollwright lint`, which reads a whole tree): step 1 is
// `git ls-tree -r -z REV` and every YAML file of the tree is read and parsed.
//
// Usage: node bench/floor.mjs --repo DIR --base REV --head REV   (prints a one-line JSON summary)
//        node bench/floor.mjs --repo DIR --rev REV
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { repo: { type: 'string' }, base: { type: 'string' }, head: { type: 'string' }, rev: { type: 'string' } },
});
if (!values.repo || (values.rev === undefined && (!values.base || !values.head))) {
  process.stderr.write('usage: node bench/floor.mjs --repo DIR (--base REV --head REV | --rev REV)\n');
  process.exit(2);
}
const env = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
const trace = Boolean(process.env.ROLLWRIGHT_TRACE);
let gitProcesses = 0;
function git(args, input) {
  gitProcesses++;
  if (trace) process.stderr.write(`floor: git ${args.join(' ')}\n`);
  return execFileSync('git', ['-C', values.repo, ...args], {
    env,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'inherit'],
    ...(input !== undefined ? { input } : {}),
  });
}

const oids = [];
let changed = 0;
if (values.rev !== undefined) {
  // `<mode> <type> <oid>\t<path>` per entry.
  for (const rec of git(['ls-tree', '-r', '-z', values.rev]).toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    changed++;
    if (/\.ya?ml$/i.test(rec.slice(tab + 1))) oids.push(rec.slice(0, tab).split(' ')[2]);
  }
} else {
  const raw = git(['diff', '--raw', '-z', '--no-abbrev', values.base, values.head, '--']).toString('utf8').split('\0');
  for (let i = 0; i < raw.length; i++) {
    const meta = raw[i];
    if (!meta || meta[0] !== ':') continue;
    const [, , oldOid, newOid, status] = meta.slice(1).split(' ');
    const path = raw[++i];
    if (status[0] === 'R' || status[0] === 'C') i++; // not produced without -M/-C, handled anyway
    changed++;
    if (!/\.ya?ml$/i.test(path)) continue;
    for (const oid of [oldOid, newOid]) if (!/^0+$/.test(oid)) oids.push(oid);
  }
}

let bytes = 0;
let documents = 0;
if (oids.length) {
  const out = git(['cat-file', '--batch'], oids.join('\n') + '\n');
  const { loadAll } = await import('js-yaml');
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('latin1');
    const size = Number(header.split(' ')[2]);
    const text = out.subarray(nl + 1, nl + 1 + size).toString('utf8');
    pos = nl + 1 + size + 1;
    bytes += size;
    documents += loadAll(text).filter((d) => d !== null && d !== undefined).length;
  }
}
process.stdout.write(JSON.stringify({ changed, blobs: oids.length, bytes, documents, gitProcesses }) + '\n');
