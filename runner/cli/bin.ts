/**
 * The `tributary` command's entry point (dist/cli.js): loads the bundled CLI (dist/cli-main.js)
 * with V8's code cache made at build time (dist/cli-main.cache, scripts/codeCache.mjs), so a
 * command does not parse and compile the same ~600 KB of JavaScript on every start (Node 20's
 * own loader keeps no cache for a script): ~50 ms of CPU on a no-op re-run (bench/RESULTS.md,
 * issue 16). Without a cache, or with one that does not fit (another build, another V8:
 * VS Code's own binary, other V8 flags), the script is compiled as usual.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The cache starts with the SHA-256 of the script it was made from (V8 checks only its length). */
const HASH_BYTES = 32;

function loadCache(source: string, file: string): Buffer | undefined {
  try {
    const data = fs.readFileSync(file);
    const hash = createHash('sha256').update(source).digest();
    return data.length > HASH_BYTES && hash.equals(data.subarray(0, HASH_BYTES))
      ? data.subarray(HASH_BYTES)
      : undefined;
  } catch {
    return undefined; // no cache: compiled as usual
  }
}

function main(): void {
  const file = path.join(__dirname, 'cli-main.js');
  const cacheFile = path.join(__dirname, 'cli-main.cache');
  const source = fs.readFileSync(file, 'utf8');
  const m = new Module(file, module);
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    __dirname,
  );
  // `--enable-source-maps`: Node maps stack traces only of what its own loader compiled, so the
  // bundle goes through it (without the cache), its function expression called where it ends.
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) {
    (m as unknown as { _compile(code: string, file: string): void })._compile(
      `${source}\n.call(exports, exports, require, module, __filename, __dirname);\n`,
      file,
    );
    return;
  }
  const cachedData = loadCache(source, cacheFile);
  // The bundle is one function expression (scripts/build.mjs), with no `import()` in it: the
  // cache would lose its callback.
  const script = new vm.Script(source, { filename: file, cachedData });
  if (process.env.TRIBUTARY_DEBUG_CODE_CACHE === '1') {
    const how = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
    process.stderr.write(`tributary: code cache ${how}\n`);
  }
  // The build's warm-up (scripts/codeCache.mjs) asks for the cache of what this process compiled.
  const out = process.env.TRIBUTARY_WRITE_CODE_CACHE;
  if (out) {
    process.on('exit', () => {
      const hash = createHash('sha256').update(source).digest();
      fs.writeFileSync(out, Buffer.concat([hash, script.createCachedData()]));
    });
  }
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(m.exports, m.exports, Module.createRequire(file), m, file, __dirname);
}

main();
