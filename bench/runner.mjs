// Benchmark: the same N no-op tasks run by Tributary, by a bare spawner (the physical limit)
// and by `make -j`, side by side; a no-op re-run of 10,000 complete tasks; memory per task;
// Tributary with and without its task launcher beside `xargs -P2 -n1 bash -c`.
// Run: npm run build && node bench/runner.mjs   (QUICK=1 for 1,000 tasks only; ONLY=xargs for
// the xargs comparison alone, BEFORE=<old dist/cli.js> adds an older build to it, XARGS_CASES=
// 1000x2,2000x2 picks tasks x workers)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, pipelineYaml, shape } from './generate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const sizes = process.env.QUICK ? [1000] : [1000, 5000];

/** Wall seconds and peak RSS (MB) of a command, from GNU time. */
function measure(cmd, args, cwd, { env, input } = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, mb: kb / 1024 };
}

function makefile(tasks, outputs) {
  const lines = [`all: ${tasks.map((t) => (outputs ? `out/${t.name}` : t.name)).join(' ')}`, ''];
  if (!outputs) lines.push(`.PHONY: all ${tasks.map((t) => t.name).join(' ')}`);
  for (const t of tasks) {
    const target = outputs ? `out/${t.name}` : t.name;
    const deps = t.needs.map((n) => (outputs ? `out/${n}` : n)).join(' ');
    lines.push(`${target}: ${deps}`, outputs ? '\t@mkdir -p out && touch $@' : '\t@true');
  }
  return lines.join('\n') + '\n';
}

function project(tasks, outputs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-bench-'));
  fs.writeFileSync(
    path.join(dir, 'p.pipeline.yaml'),
    pipelineYaml(
      tasks,
      outputs
        ? { command: 'mkdir -p out && touch out/{name}', outputs: true }
        : { command: 'true' },
    ),
  );
  fs.writeFileSync(path.join(dir, 'tasks.json'), JSON.stringify(tasks));
  fs.writeFileSync(path.join(dir, 'Makefile'), makefile(tasks, outputs));
  return dir;
}

// Against the physical limit of one process per task: `xargs -P<w> -n1 bash -c` over the same
// commands (it ignores dependencies), beside Tributary as built (the launcher is the default),
// with Node's spawn per task (TRIBUTARY_LAUNCHER=0) and, with BEFORE=<old dist/cli.js>, an
// older build by default and with TRIBUTARY_LAUNCHER=1; median of 3, interleaved. With 2 workers on a 2-core machine
// the tasks alone keep both cores busy, so every CPU second of the runner shows; with 1 worker
// a core is free and what shows is the delay between one task's end and the next one's start.
function versusXargs() {
  const out = [];
  const builds = [
    ['after', cli, ''],
    ['after, spawn', cli, '0'],
    ...(process.env.BEFORE
      ? [
          ['before', process.env.BEFORE, ''],
          ['before, launcher', process.env.BEFORE, '1'],
        ]
      : []),
  ];
  const cases = (process.env.XARGS_CASES ?? '1000x2,2000x2,1000x1')
    .split(',')
    .map((c) => c.split('x').map(Number));
  for (const [n, w] of cases) {
    const tasks = shape('layered', n);
    const times = Object.fromEntries([...builds.map(([k]) => [k, []]), ['xargs', []]]);
    for (let rep = 0; rep < 3; rep++) {
      for (const [key, file, flag] of builds) {
        const dir = project(tasks, false);
        const args = [file, 'run', 'p.pipeline.yaml', '--workers', String(w)];
        times[key].push(measure('node', args, dir, { env: { TRIBUTARY_LAUNCHER: flag } }).secs);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const dir = project(tasks, false);
      const input = tasks.map(() => 'true').join('\n') + '\n';
      times.xargs.push(
        measure('xargs', [`-P${w}`, '-n1', '-d', '\n', 'bash', '-c'], dir, { input }).secs,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const x = median(times.xargs);
    const row = { tasks: n, workers: w, 'xargs s': x };
    for (const [key] of builds) {
      row[`${key} s`] = median(times[key]);
      row[`${key}/xargs`] = +(median(times[key]) / x).toFixed(2);
    }
    out.push(row);
    console.error(JSON.stringify(row));
  }
  console.table(out);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

if (process.env.ONLY === 'xargs') {
  versusXargs();
  process.exit(0);
}

const rows = [];
for (const n of sizes) {
  for (const kind of ['chain', 'wide', 'layered']) {
    const tasks = shape(kind, n);
    for (const w of [1, 2]) {
      const dir = project(tasks, false);
      const ours = measure('node', [cli, 'run', 'p.pipeline.yaml', '--workers', String(w)], dir);
      const bare = measure(
        'node',
        [path.join(root, 'bench', 'bare-spawner.mjs'), 'tasks.json', String(w)],
        dir,
      );
      const make = measure('make', ['-s', `-j${w}`], dir);
      rows.push({
        tasks: n,
        shape: kind,
        workers: w,
        'tributary s': ours.secs,
        'bare s': bare.secs,
        'make s': make.secs,
        'tributary/bare': +(ours.secs / bare.secs).toFixed(2),
        'tributary MB': Math.round(ours.mb),
      });
      fs.rmSync(dir, { recursive: true, force: true });
      console.error(JSON.stringify(rows.at(-1)));
    }
  }
}
console.table(rows);

// No-op re-run: every task complete (outputs exist, nothing changed).
const noop = [];
for (const n of process.env.QUICK ? [1000] : [1000, 10000]) {
  const tasks = shape('layered', n);
  const dir = project(tasks, true);
  const first = measure('node', [cli, 'run', 'p.pipeline.yaml', '--workers', '2'], dir);
  const again = measure('node', [cli, 'run', 'p.pipeline.yaml'], dir);
  const make = measure('make', ['-s', '-j2'], dir);
  const started = execFileSync(
    'node',
    [cli, 'history', 'p.pipeline.yaml', '--json', '--limit', '1'],
    { cwd: dir, encoding: 'utf8' },
  );
  const ranAgain = JSON.parse(started).runs[0].tasks.length;
  noop.push({
    tasks: n,
    'first run s': first.secs,
    'first run MB': Math.round(first.mb),
    'no-op re-run s': again.secs,
    'no-op re-run MB': Math.round(again.mb),
    'make no-op s': make.secs,
    'tasks re-run': ranAgain,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(JSON.stringify(noop.at(-1)));
}
console.table(noop);
if (noop.length === 2) {
  const perTask =
    ((noop[1]['first run MB'] - noop[0]['first run MB']) * 1024) / (noop[1].tasks - noop[0].tasks);
  console.log(`memory growth per task (full run, 1,000 → 10,000 tasks): ${perTask.toFixed(1)} KB`);
}

versusXargs();
