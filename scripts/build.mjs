// Builds dist/cli.cjs (the `rollwright` executable) and dist/index.mjs (the library).
//
// The CLI is one CommonJS file: on Node 20 a single CJS bundle starts about 10 ms faster than the
// same code split into ESM chunks (measured with bench/, see README "Performance"). Heavy parts stay
// lazy: every `await import(...)` in the source becomes a lazily initialised module inside the bundle,
// so the YAML parser, zod and each reporter run their top-level code only when a command needs them.
// Builds into a fresh folder and swaps it in, so a failed build never leaves dist/ half-written.
//
// dist/cli.cjs is a small launcher (scripts/launcher.cjs) that runs the bundle, dist/main.cjs, from a
// V8 code cache made here by a warm-up run of the bundle: see the launcher for how and why.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const out = process.env.ROLLWRIGHT_DIST ?? 'dist';
const IMPORT = importName();
const tmp = `${out}.tmp-${process.pid}`;
const common = {
  bundle: true,
  // Native and WebAssembly packages load from node_modules at run time, and only when used.
  external: [
    'better-sqlite3',
    'pg-native',
    '@cdktf/hcl2json',
    'libpg-query',
    '@electric-sql/pglite',
    'node-sql-parser',
    // Only `revert --check` uses these: Kubernetes object schemas and the CEL of admission policies.
    'kubernetes-models',
    '@kubernetes-models/*',
    '@marcbachmann/cel-js',
    // Only the ledger commands use these; from node_modules they cost nothing to a run that does not.
    'kysely',
    'pg',
  ],
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  plugins: [rawText()],
};

/**
 * `import text from './file?raw'`: the file's text as a string (the server's dashboard and OpenAPI
 * file ship inside the bundle; vitest reads the same suffix natively). Assets must be ASCII, so the
 * bundle stays all-ASCII.
 */
function rawText() {
  return {
    name: 'raw-text',
    setup(b) {
      b.onResolve({ filter: /\?raw$/ }, (args) => ({
        path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
        namespace: 'raw-text',
      }));
      b.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (/[^\x00-\x7f]/.test(text)) throw new Error(`${args.path}: assets must be ASCII (the bundle is all-ASCII)`);
        return { contents: text, loader: 'text', watchFiles: [args.path] };
      });
    },
  };
}

try {
  const cli = await build({
    ...common,
    entryPoints: { main: 'src/cli/bin.ts' },
    outdir: tmp,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    minifySyntax: true,
    metafile: true,
    // External packages are imported through the launcher (code from a V8 cache cannot import() on Node 20).
    banner: { js: `var ${IMPORT}=(s)=>(globalThis[Symbol.for("rollwright.import")]||((x)=>import(x)))(s);` },
  });
  await finishBundle(`${tmp}/main.cjs`, cli.metafile);
  await copyFile('scripts/launcher.cjs', `${tmp}/cli.cjs`);
  await build({
    ...common,
    entryPoints: { index: 'src/index.ts' },
    outdir: tmp,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await chmod(`${tmp}/cli.cjs`, 0o755);
  // The published package ships no cache (`prepack` turns it off): a cache is made for one path and one V8.
  if (process.env.ROLLWRIGHT_CODE_CACHE !== 'off') await writeCodeCache(tmp);
  await rm(out, { recursive: true, force: true });
  await rename(tmp, out);
} catch (e) {
  await rm(tmp, { recursive: true, force: true });
  process.exitCode = 1;
  if (!e?.errors) console.error(e);
}

/** Same length as `import`, so the source map's columns stay right. */
function importName() {
  return '$rwimp';
}

/**
 * Routes the bundle's dynamic imports of external packages through the launcher, checking against
 * esbuild's own list that every one was found, and stamps the bundle with its content hash.
 */
async function finishBundle(file, metafile) {
  const expected = Object.values(metafile.outputs)
    .flatMap((o) => o.imports ?? [])
    .filter((i) => i.kind === 'dynamic-import' && i.external).length;
  let text = await readFile(file, 'utf8');
  let found = 0;
  text = text.replace(/\bimport\((?=["'])/g, () => {
    found++;
    return `${IMPORT}(`;
  });
  if (found !== expected)
    throw new Error(`build: ${found} dynamic imports of external packages rewritten, esbuild lists ${expected}`);
  const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
  // esbuild writes strings and regular expressions as ASCII escapes; a non-ASCII character left is in a
  // comment. An all-ASCII bundle is stamped so: the launcher then reads it as Latin-1, which is its
  // exact text and costs a third of a UTF-8 decode (~3 ms of every run for this 1.3 MB file).
  const ascii = !/[^\x00-\x7f]/.test(text);
  await writeFile(file, `${text}// rollwright-build ${id}${ascii ? ' ascii' : ''}\n`);
}

/**
 * The warm-up: assesses a small generated change with the new bundle, through the launcher, and keeps
 * V8's code cache of everything that run compiled next to the bundle. A failed warm-up costs the
 * cache (the CLI then compiles as usual), never the build.
 */
async function writeCodeCache(dir) {
  const text = await readFile(`${dir}/main.cjs`, 'utf8');
  const id = /\/\/ rollwright-build ([0-9a-f]{16})(?: ascii)?\s*$/.exec(text)[1];
  // The cache is made under the name the bundle will have once dist/ is swapped in (V8 keeps it).
  const finalMain = resolve(out, 'main.cjs');
  const repo = await mkdtemp(join(tmpdir(), 'rollwright-warmup-'));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'rollwright build',
    GIT_AUTHOR_EMAIL: 'build@rollwright.invalid',
    GIT_COMMITTER_NAME: 'rollwright build',
    GIT_COMMITTER_EMAIL: 'build@rollwright.invalid',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  delete env.ROLLWRIGHT_TRACE;
  const git = (...args) => execFileSync('git', ['-C', repo, ...args], { env, stdio: 'ignore' });
  try {
    git('init', '-q');
    for (const [version, port, size] of [
      ['1.0.0', 8080, '10Gi'],
      ['1.1.0', 9000, '5Gi'],
    ]) {
      await writeFile(join(repo, 'app.yaml'), warmupManifests(version, port, size));
      git('add', '-A');
      git('commit', '-q', '-m', `web ${version}`);
    }
    execFileSync(process.execPath, [`${dir}/cli.cjs`, 'assess', '--repo', repo], {
      env: {
        ...env,
        ROLLWRIGHT_CODE_CACHE_OUT: `${dir}/main.${id}.${pathKey(finalMain)}.v8cache`,
        ROLLWRIGHT_CODE_CACHE_AS: finalMain,
      },
      stdio: 'ignore',
    });
  } catch (e) {
    // Exit code 1 is the gate failing on the generated change: the cache was still written.
    if (e?.status !== 1) console.warn(`build: no code cache (${e?.message ?? e})`);
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

function warmupManifests(version, port, size) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:${version}
          ports:
            - containerPort: ${port}
          envFrom:
            - configMapRef:
                name: web-config
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  PORT: "${port}"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: ${port}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: ${size}
`;
}

/** The launcher's FNV-1a of the bundle's absolute path (scripts/launcher.cjs `pathKey`). */
function pathKey(path) {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
