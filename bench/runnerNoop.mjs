// Benchmark (issue 16): a no-op re-run of N complete layered tasks by the current build beside a
// baseline build (BEFORE=path/to/old/dist/cli.js), interleaved, in the same folder, with `make`.
// Run: node scripts/build.mjs && BEFORE=/tmp/dist-before/cli.js N=10000 node bench/runnerNoop.mjs
//      (DIR=folder reuses a folder made complete by an earlier invocation: the full run takes ~1 min;
//      TTY=1 runs the CLI in a terminal made by `script`, as a person would: progress line on;
//      SAME_STATE=1 starts every run from the same records, see below)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, pipelineYaml, shape } from './generate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const n = Number(process.env.N ?? 10000);
const reps = Number(process.env.REPS ?? 7);
const clis = { after: path.resolve(process.env.AFTER ?? path.join(root, 'dist', 'cli.js')) };
if (process.env.BEFORE) clis.before = path.resolve(process.env.BEFORE);

/** Wall seconds, peak RSS (MB) and CPU seconds from GNU time. */
function measure(cmd, args, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const [secs, kb, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, mb: Math.round(kb / 1024), cpu: +(user + sys).toFixed(2) };
}

const tasks = shape('layered', n);
let dir = process.env.DIR;
if (!dir) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-noop-'));
  const yaml = pipelineYaml(tasks, { command: 'mkdir -p out && touch out/{name}', outputs: true });
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), yaml);
  const env = { ...process.env, TRIBUTARY_LAUNCHER: '1' };
  const r = spawnSync('node', [clis.after, 'run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env,
    stdio: 'ignore',
  });
  if (r.status !== 0) throw new Error('full run failed');
  console.error(`complete project in ${dir} (DIR=${dir} to reuse it)`);
}
// make over the same outputs: what a no-op costs without any records.
const lines = [`all: ${tasks.map((t) => `out/${t.name}`).join(' ')}`, ''];
for (const t of tasks)
  lines.push(`out/${t.name}: ${t.needs.map((x) => `out/${x}`).join(' ')}`, '\t@touch $@');
fs.writeFileSync(path.join(dir, 'Makefile'), lines.join('\n') + '\n');
const runs = Object.fromEntries(Object.keys(clis).map((k) => [k, []]));
const load = [os.loadavg()[0]];
// SAME_STATE=1: every run starts from the same .tributary (the one after a first no-op run), not
// from one more record than the run before: state.json is rewritten only every 10th run of skips,
// so without it a run's time depends on where it falls in that cycle.
const records = path.join(dir, '.tributary');
let snapshot;
if (process.env.SAME_STATE) {
  // Each build once first: each keeps its own validation cache entry (keyed by the build).
  for (const cli of Object.values(clis)) measure('node', [cli, 'run', 'p.pipeline.yaml'], dir);
  snapshot = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-noop-state-'));
  fs.cpSync(records, snapshot, { recursive: true });
}
const noop = (cli) => {
  if (snapshot) {
    fs.rmSync(records, { recursive: true, force: true });
    fs.cpSync(snapshot, records, { recursive: true });
  }
  return process.env.TTY
    ? measure('script', ['-qec', `node ${cli} run p.pipeline.yaml`, '/dev/null'], dir)
    : measure('node', [cli, 'run', 'p.pipeline.yaml'], dir);
};
for (let i = 0; i < reps; i++)
  for (const [name, cli] of Object.entries(clis)) runs[name].push(noop(cli));
if (snapshot) fs.rmSync(snapshot, { recursive: true, force: true });
const make = [];
for (let i = 0; i < reps; i++) make.push(measure('make', ['-s'], dir).secs);
load.push(os.loadavg()[0]);
console.log(`load average ${load.map((x) => x.toFixed(1)).join(' → ')}`);
console.table(
  Object.entries(runs).map(([name, r]) => ({
    build: name,
    tasks: n,
    stdout: process.env.TTY ? 'terminal' : 'pipe',
    'no-op wall s (median)': median(r.map((x) => x.secs)),
    'wall s': r.map((x) => x.secs).join(' '),
    'CPU s (median)': median(r.map((x) => x.cpu)),
    'peak MB (median)': median(r.map((x) => x.mb)),
    'make s': median(make),
  })),
);
