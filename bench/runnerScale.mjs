// Benchmark (issue 16): peak RSS of a full run of N layered tasks and the time of a no-op re-run,
// by the current build beside a baseline build (BEFORE=path/to/old/dist/cli.js) and `make`.
// Run: node scripts/build.mjs && cp -r dist /tmp/dist-before   (on the old commit), then
//      BEFORE=/tmp/dist-before/cli.js N=10000 node bench/runnerScale.mjs   (AFTER= another build than dist/)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, pipelineYaml, shape } from './generate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const n = Number(process.env.N ?? 10000);
const reps = Number(process.env.REPS ?? 5);
const clis = { after: path.resolve(process.env.AFTER ?? path.join(root, 'dist', 'cli.js')) };
if (process.env.BEFORE) clis.before = path.resolve(process.env.BEFORE);
// BEFORE_FIRST=1: the baseline's full run first (the two full runs are minutes apart: swap the
// order between two invocations to see how much of a difference is the machine's load).
const order = process.env.BEFORE_FIRST ? Object.entries(clis).reverse() : Object.entries(clis);

/** Wall seconds and peak RSS (MB) from GNU time. */
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

function makefile(tasks) {
  const lines = [`all: ${tasks.map((t) => `out/${t.name}`).join(' ')}`, ''];
  for (const t of tasks)
    lines.push(
      `out/${t.name}: ${t.needs.map((x) => `out/${x}`).join(' ')}`,
      '\t@mkdir -p out && touch $@',
    );
  return lines.join('\n') + '\n';
}

const tasks = shape('layered', n);
const rows = [];
for (const [name, cli] of order) {
  // Each CLI gets its own folder: the same pipeline, outputs `out/tN`, nothing run yet.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-scale-'));
  const yaml = pipelineYaml(tasks, { command: 'mkdir -p out && touch out/{name}', outputs: true });
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'Makefile'), makefile(tasks));
  const first = measure('node', [cli, 'run', 'p.pipeline.yaml', '--workers', '2'], dir);
  console.error(name, 'full run', first);
  rows.push({ name, cli, dir, first, noop: [] });
}
// No-op re-runs, interleaved so that the machine's load falls on both alike.
for (let i = 0; i < reps; i++)
  for (const r of rows) r.noop.push(measure('node', [r.cli, 'run', 'p.pipeline.yaml'], r.dir));
const make = [];
for (let i = 0; i < reps; i++) make.push(measure('make', ['-s'], rows[0].dir).secs);
// What the figures depend on besides the build: the machine's load and how tasks were started.
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}, TRIBUTARY_LAUNCHER=${process.env.TRIBUTARY_LAUNCHER ?? '(unset)'}`,
);
console.table(
  rows.map((r) => ({
    build: r.name,
    tasks: n,
    'full run s': r.first.secs,
    'full run peak MB': r.first.mb,
    'full run CPU s': r.first.cpu,
    'no-op re-run s (median)': median(r.noop.map((x) => x.secs)),
    'no-op runs': r.noop.map((x) => x.secs).join(' '),
    'no-op CPU s (median)': median(r.noop.map((x) => x.cpu)),
    'no-op peak MB': median(r.noop.map((x) => x.mb)),
    'make no-op s': median(make),
  })),
);
for (const r of rows) fs.rmSync(r.dir, { recursive: true, force: true });
