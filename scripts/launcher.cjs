#!/usr/bin/env node
// The `rollwright` executable (dist/cli.cjs). It runs the bundle, dist/main.cjs, from the V8 code
// cache the build made for that exact bundle, when there is one: compiling the 1 MB bundle is most of
// the start-up cost. Without a usable cache it is a plain require().
//
// - The cache file is named by a content hash the build writes at the end of main.cjs, so a cache
//   never meets a bundle it was not made from (V8 itself checks only the source length, its version
//   and its flags: a cache it rejects costs nothing but the normal compile).
// - Code compiled from a cache loses Node's dynamic-import callback on Node 20, so the bundle calls
//   `__rwImport(...)` for its external packages, and this file (compiled by Node) does the import().
// - V8 keeps the script's file name inside the cache (stack traces of cached code name the path the
//   cache was made for), so the cache's name also carries a hash of the bundle's absolute path: a
//   moved dist/ finds no cache rather than one that would name the wrong file.
// - ROLLWRIGHT_CODE_CACHE_OUT=FILE (the build's warm-up run) writes a cache of everything this run
//   compiled to FILE at exit, compiling the bundle under the name ROLLWRIGHT_CODE_CACHE_AS (where the
//   build will move it). ROLLWRIGHT_TRACE=1 says on stderr whether the cache was used.
'use strict';
const { readFileSync, writeFileSync, renameSync } = require('node:fs');
const { dirname, join } = require('node:path');

globalThis[Symbol.for('rollwright.import')] = (specifier) => import(specifier);

const main = join(__dirname, 'main.cjs');
const out = process.env.ROLLWRIGHT_CODE_CACHE_OUT;
const name = (out && process.env.ROLLWRIGHT_CODE_CACHE_AS) || main;
let source;
let cache;
try {
  // The build stamps an all-ASCII bundle `ascii`: Latin-1 is then its exact text, and cheaper to make
  // than a UTF-8 decode. Any other bundle is decoded as UTF-8.
  const bytes = readFileSync(main);
  const stamp = /\/\/ rollwright-build ([0-9a-f]{16})( ascii)?\s*$/.exec(
    bytes.toString('latin1', Math.max(0, bytes.length - 120)),
  );
  source = stamp && stamp[2] ? bytes.toString('latin1') : bytes.toString('utf8');
  if (stamp && !out) cache = readFileSync(join(__dirname, `main.${stamp[1]}.${pathKey(main)}.v8cache`));
} catch {
  // No cache (or no readable bundle: require() below reports that properly).
}

if (source === undefined || (cache === undefined && !out)) {
  trace('code cache: none');
  require(main);
} else {
  const vm = require('node:vm');
  const Module = require('node:module');
  const script = new vm.Script(Module.wrap(source), {
    filename: name,
    ...(cache ? { cachedData: cache } : {}),
  });
  trace(`code cache: ${cache ? (script.cachedDataRejected ? 'rejected' : 'used') : 'writing'}`);
  const mod = new Module(main, module);
  mod.filename = main;
  mod.paths = Module._nodeModulePaths(dirname(main));
  mod.loaded = true;
  if (out)
    process.once('exit', () => {
      const tmp = `${out}.tmp-${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, out);
    });
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(main), mod, main, dirname(main));
}

/** FNV-1a (32 bits) of a path, hex: names the cache per location without loading node:crypto. */
function pathKey(path) {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function trace(message) {
  if (process.env.ROLLWRIGHT_TRACE) process.stderr.write(`rollwright: ${message}\n`);
}
