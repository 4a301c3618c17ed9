// Benchmark: partitioned runs end to end with the built CLI. (1) A backfill of 1,000 daily
// partitions × 5 no-op tasks (5,000 task runs) beside a bare spawner running the same 5,000
// commands in the same dependency order with the same parallelism, and beside `xargs -P2`
// (no dependencies); median of REPS, interleaved. (2) `plan` of 3 years daily × 10 tasks
// (10,950 instances) and a no-op backfill of it once everything is complete.
// Run: node scripts/build.mjs && node bench/partitionsRunner.mjs   (REPS=3 default; ONLY=plan)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const reps = Number(process.env.REPS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall seconds and peak RSS (MB) of a command, from GNU time. */
function measure(cmd, args, cwd, { input, allowFail } = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0 && !allowFail)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, mb: kb / 1024 };
}

function dayKey(i, from = '2021-01-01') {
  return new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10);
}

/** A daily pipeline of `days` partitions and a chain of `tasks` partitioned tasks. */
function pipeline(days, tasks, outputs) {
  const lines = [
    'pipeline: bench',
    'partitions:',
    `  daily: { start: "${dayKey(0)}", end: "${dayKey(days - 1)}", timezone: UTC }`,
    'tasks:',
  ];
  for (let t = 0; t < tasks; t++) {
    lines.push(`  t${t}:`);
    lines.push(
      outputs
        ? `    run: mkdir -p out/t${t} && touch "out/t${t}/\${partition}"`
        : `    run: true "\${partition}"`,
    );
    if (t > 0) lines.push(`    needs: [t${t - 1}]`);
    if (outputs) lines.push(`    outputs: ["out/t${t}/\${partition}"]`);
  }
  return lines.join('\n') + '\n';
}

function project(days, tasks, outputs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-bench-part-'));
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), pipeline(days, tasks, outputs));
  const list = [];
  for (let d = 0; d < days; d++)
    for (let t = 0; t < tasks; t++)
      list.push({ name: `t${t}@${dayKey(d)}`, needs: t > 0 ? [`t${t - 1}@${dayKey(d)}`] : [] });
  fs.writeFileSync(path.join(dir, 'tasks.json'), JSON.stringify(list));
  return { dir, count: list.length };
}

if (process.env.ONLY !== 'plan') {
  const times = { tributary: [], bare: [], xargs: [] };
  let mb = 0;
  for (let rep = 0; rep < reps; rep++) {
    let p = project(1000, 5, false);
    const ours = measure('node', [cli, 'backfill', 'p.pipeline.yaml', '--workers', '2'], p.dir);
    times.tributary.push(ours.secs);
    mb = Math.max(mb, ours.mb);
    fs.rmSync(p.dir, { recursive: true, force: true });
    p = project(1000, 5, false);
    times.bare.push(
      measure('node', [path.join(root, 'bench', 'bare-spawner.mjs'), 'tasks.json', '2'], p.dir)
        .secs,
    );
    const input = Array.from({ length: p.count }, () => 'true').join('\n') + '\n';
    times.xargs.push(
      measure('xargs', ['-P2', '-n1', '-d', '\n', 'bash', '-c'], p.dir, { input }).secs,
    );
    fs.rmSync(p.dir, { recursive: true, force: true });
    console.error(
      JSON.stringify({
        rep,
        ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.at(-1)])),
      }),
    );
  }
  const [t, b, x] = [median(times.tributary), median(times.bare), median(times.xargs)];
  console.table([
    {
      'task runs': 5000,
      workers: 2,
      'tributary backfill s': t,
      'bare spawner s': b,
      'xargs -P2 s': x,
      'tributary/bare': +(t / b).toFixed(2),
      'tributary/xargs': +(t / x).toFixed(2),
      'tributary MB': Math.round(mb),
    },
  ]);
}

// 3 years daily × 10 tasks: plan (nothing run yet), the first backfill, then a no-op backfill.
{
  const p = project(1095, 10, true);
  const plan = [];
  for (let i = 0; i < 3; i++)
    plan.push(
      measure(
        'node',
        [cli, 'plan', 'p.pipeline.yaml', '--from', dayKey(0), '--to', dayKey(1094)],
        p.dir,
      ),
    );
  const first = measure('node', [cli, 'backfill', 'p.pipeline.yaml', '--workers', '2'], p.dir);
  const noop = [];
  for (let i = 0; i < 3; i++)
    noop.push(measure('node', [cli, 'backfill', 'p.pipeline.yaml'], p.dir));
  const planDone = [];
  for (let i = 0; i < 3; i++)
    planDone.push(
      measure(
        'node',
        [cli, 'plan', 'p.pipeline.yaml', '--from', dayKey(0), '--to', dayKey(1094)],
        p.dir,
      ),
    );
  const bareNode = [];
  for (let i = 0; i < 3; i++) bareNode.push(measure('node', ['-e', '0'], p.dir));
  console.table([
    {
      instances: p.count,
      'plan (nothing run) s': median(plan.map((m) => m.secs)),
      'plan (all complete) s': median(planDone.map((m) => m.secs)),
      'first backfill s': first.secs,
      'no-op backfill s': median(noop.map((m) => m.secs)),
      'no-op backfill MB': Math.round(median(noop.map((m) => m.mb))),
      'node -e 0 s': median(bareNode.map((m) => m.secs)),
    },
  ]);
  fs.rmSync(p.dir, { recursive: true, force: true });
}
