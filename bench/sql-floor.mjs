// The SQL floor: the least any tool must do to assess the SQL files of base..head with the real
// PostgreSQL parser, as one whole process, done the fastest way found:
//   1. `git diff --raw -z --no-abbrev BASE HEAD`  (which files changed, and their blob ids)
//   2. one `git cat-file --batch` reading the new side of every added or modified `.sql` file, while
//      libpg-query's WebAssembly parser loads (its Emscripten module, Liftoff only, as rollwright
//      loads it: V8 otherwise recompiles the module in the background and stalls the exit)
//   3. the texts parsed 64 per parser call (joined by `;` lines), each call's JSON tree read out of
//      the module's memory by Buffer and JSON.parse'd
// No classification, no pairing, no line numbers, no config, no report. bench/sql.mjs measures it in
// the same rounds as rollwright and squawk.
//
// Usage: node bench/sql-floor.mjs --repo DIR --base REV --head REV   (prints a one-line JSON summary)
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';

const { values } = parseArgs({
  options: { repo: { type: 'string' }, base: { type: 'string' }, head: { type: 'string' } },
});
if (!values.repo || !values.base || !values.head) {
  process.stderr.write('usage: node bench/sql-floor.mjs --repo DIR --base REV --head REV\n');
  process.exit(2);
}
const env = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
const raw = execFileSync(
  'git',
  ['-C', values.repo, 'diff', '--raw', '-z', '--no-abbrev', values.base, values.head, '--'],
  {
    env,
    maxBuffer: 1 << 30,
  },
)
  .toString('utf8')
  .split('\0');
const oids = [];
for (let i = 0; i < raw.length; i++) {
  const meta = raw[i];
  if (!meta || meta[0] !== ':') continue;
  const [, , , newOid, status] = meta.slice(1).split(' ');
  const path = raw[++i];
  if (status[0] === 'R' || status[0] === 'C') i++;
  if (/\.sql$/i.test(path) && !/^0+$/.test(newOid)) oids.push(newOid);
}

let statements = 0;
let errors = 0;
if (oids.length) {
  const blobs = new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-C', values.repo, 'cat-file', '--batch'],
      { env, maxBuffer: 1 << 30, encoding: 'buffer' },
      (e, out) => (e ? reject(e) : resolve(out)),
    );
    child.stdin.end(oids.join('\n') + '\n');
  });
  setFlagsFromString('--liftoff-only');
  const wasm = await createRequire(import.meta.url)('libpg-query/wasm/libpg-query.js')();
  const out = await blobs;
  const texts = [];
  for (let pos = 0; pos < out.length;) {
    const nl = out.indexOf(10, pos);
    const size = Number(out.subarray(pos, nl).toString('latin1').split(' ')[2]);
    texts.push(out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  for (let b = 0; b < texts.length; b += 64) {
    const bytes = Buffer.from(texts.slice(b, b + 64).join('\n;\n'), 'utf8');
    const q = wasm._malloc(bytes.length + 1);
    wasm.HEAPU8.set(bytes, q);
    wasm.HEAPU8[q + bytes.length] = 0;
    const r = wasm._wasm_parse_query_raw(q);
    const tree = wasm.getValue(r, 'i32');
    if (wasm.getValue(r + 8, 'i32') || !tree) errors++;
    else {
      const heap = wasm.HEAPU8;
      const end = heap.indexOf(0, tree);
      const json = Buffer.from(heap.buffer, heap.byteOffset + tree, end - tree).toString('utf8');
      statements += (JSON.parse(json).stmts ?? []).length;
    }
    wasm._free(q);
    wasm._wasm_free_parse_result(r);
  }
}
process.stdout.write(JSON.stringify({ files: oids.length, statements, errors }) + '\n');
