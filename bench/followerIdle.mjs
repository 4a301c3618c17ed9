// Benchmark: the cost of an idle live-run follower's 1 s poll (extension/runFollower.ts), with the
// watch healthy (as shipped: the runs folder listed only when its or the lock's mtime changed)
// beside the poll that lists and sorts the folder on every tick (TRIBUTARY_FOLLOW_WATCH=0, and
// what every tick did before), in the same run, over N finished records.
// Run: node --import tsx bench/followerIdle.mjs   (SIZES=200,5000 TICKS=200)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderFollower } from '../extension/runFollower.ts';

const SIZES = (process.env.SIZES ?? '200,5000').split(',').map(Number);
const TICKS = Number(process.env.TICKS ?? 200);
const sink = { owns: () => false, started() {}, event() {}, lost() {} };

function folder(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-idle-'));
  const runs = path.join(dir, '.tributary', 'runs');
  fs.mkdirSync(runs, { recursive: true });
  for (let i = 0; i < n; i++)
    fs.writeFileSync(
      path.join(runs, `20260101T000000Z-${String(i).padStart(6, '0')}.jsonl`),
      '{"ts":"2026-01-01T00:00:00.000Z","event":"run_started","run":"x","file":"p.pipeline.yaml"}\n',
    );
  return dir;
}

function perTick(dir, watch) {
  const f = new FolderFollower(dir, sink, { pollMs: 1e9, watch });
  f.start(); // the first look lists the folder (history: nothing followed)
  const t0 = performance.now();
  for (let i = 0; i < TICKS; i++) f.tick();
  const ms = (performance.now() - t0) / TICKS;
  f.dispose();
  return ms;
}

console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const n of SIZES) {
  const dir = folder(n);
  // Folder times older than the 1 s in which a listing is not trusted (file times are coarse).
  await new Promise((r) => setTimeout(r, 1100));
  const rows = [];
  for (let round = 0; round < 3; round++)
    rows.push([perTick(dir, true), perTick(dir, false)].map((x) => x.toFixed(3)));
  console.log(
    `N=${n}: ms per tick, watch healthy (shipped) vs listing every tick (baseline): ${rows.map((r) => r.join(' vs ')).join(' · ')}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
