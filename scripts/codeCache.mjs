// Makes dist/cli-main.cache, the V8 code cache that dist/cli.js (runner/cli/bin.ts) loads the CLI
// with: a small pipeline in a temporary folder is run, re-run (all complete), planned and
// validated by the built CLI, each process starting from the cache so far and writing it back
// with what it compiled. Without heap-trimming, whose V8 flags would make the cache unusable for
// a process started without them. A failure costs only the cache: the CLI works without it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PIPELINE = `pipeline: warm-up
params:
  day: '2024-01-01'
tasks:
  extract:
    run: mkdir -p out && echo "\${params.day}" > out/raw.txt
    outputs: [out/raw.txt]
  clean:
    needs: [extract]
    inputs: [out/raw.txt]
    run: tr a-z A-Z < out/raw.txt > out/clean.txt
    outputs: [out/clean.txt]
`;

export function makeCodeCache(dist = 'dist') {
  const cli = path.resolve(dist, 'cli.js');
  const cache = path.resolve(dist, 'cli-main.cache');
  fs.rmSync(cache, { force: true });
  let dir;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-code-cache-'));
    const tmp = path.join(dir, 'cli-main.cache');
    fs.writeFileSync(path.join(dir, 'w.pipeline.yaml'), PIPELINE);
    const env = { ...process.env, TRIBUTARY_HEAP_TRIM: '0', TRIBUTARY_WRITE_CODE_CACHE: tmp };
    for (const args of [['run'], ['run'], ['plan'], ['validate'], ['status']]) {
      const r = spawnSync(process.execPath, [cli, ...args, 'w.pipeline.yaml'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        // A warm-up that hangs costs the cache, not the build.
        timeout: 120_000,
      });
      if (r.status !== 0) throw new Error(`tributary ${args[0]}: ${r.stderr || r.error}`);
      // The next command starts from this cache (each writes what it had plus what it compiled).
      fs.copyFileSync(tmp, cache);
    }
  } catch (e) {
    fs.rmSync(cache, { force: true });
    console.warn(`warning: no code cache for the CLI (it works without, a little slower): ${e}`);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
