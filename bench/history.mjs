// Benchmark: `runHistory` (what `tributary history` and the History panel read) over 20 runs of a
// 2,000-task pipeline — each run: 1,000 tasks ran (1 in 10 retried once, 1 in 20 reporting metrics),
// 900 complete, 100 upstream-failed. Baseline in the same run: reading the same records and
// reducing them to run state (`readRun` + `runStateFrom`), the floor any history reader pays.
// Also the size of the `history/data` message the panel gets.
// Run: node --expose-gc --import tsx bench/history.mjs
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runStateFrom } from '../core/run/state.ts';
import { listRuns, readRun } from '../runner/records/eventLog.ts';
import { runHistory } from '../runner/records/history.ts';
import { median } from './generate.mjs';

const N = Number(process.env.N ?? 2000);
const RUNS = Number(process.env.RUNS ?? 7);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'history-bench-'));
const runsDir = path.join(dir, '.tributary', 'runs');
fs.mkdirSync(runsDir, { recursive: true });
fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), 'pipeline: p\ntasks: {}\n');

for (let r = 0; r < 20; r++) {
  const id = `20260101T${String(r).padStart(6, '0')}000Z-b${r}`;
  let t = Date.parse('2026-01-01T00:00:00Z') + r * 3_600_000;
  const at = () => new Date((t += 7)).toISOString();
  const names = Array.from({ length: N }, (_, i) => `task_${i}`);
  const lines = [
    {
      ts: at(),
      run: id,
      event: 'run_started',
      pipeline: 'p',
      file: 'p.pipeline.yaml',
      tasks: names,
      params: {},
      workers: 2,
    },
  ];
  names.forEach((task, i) => {
    if (i < N / 2) {
      lines.push({ ts: at(), run: id, event: 'task_queued', task });
      lines.push({ ts: at(), run: id, event: 'task_started', task, attempt: 1 });
      let attempt = 1;
      if (i % 10 === 0) {
        lines.push({
          ts: at(),
          run: id,
          event: 'task_retry',
          task,
          attempt: 2,
          delay_ms: 5000,
          reason: 'exit code 1',
        });
        lines.push({ ts: at(), run: id, event: 'task_started', task, attempt: (attempt = 2) });
      }
      lines.push({
        ts: at(),
        run: id,
        event: 'task_finished',
        task,
        attempt,
        status: 'success',
        exit_code: 0,
        duration_ms: 5,
        ...(i % 20 === 0
          ? { metrics: { macro_f1: 0.8 - r / 100, rows: 1461, model: 'forest' } }
          : {}),
      });
    } else if (i < N * 0.95) {
      lines.push({
        ts: at(),
        run: id,
        event: 'task_skipped',
        task,
        status: 'complete',
        reason: 'up to date',
      });
    } else {
      lines.push({
        ts: at(),
        run: id,
        event: 'task_skipped',
        task,
        status: 'upstream_failed',
        reason: 'upstream task_0 failed',
      });
    }
  });
  lines.push({ ts: at(), run: id, event: 'run_finished', status: 'failed', duration_ms: 1000 });
  fs.writeFileSync(
    path.join(runsDir, `${id}.jsonl`),
    lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
  );
}

const time = (fn) => {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const s = performance.now();
    fn();
    xs.push(performance.now() - s);
  }
  return median(xs);
};
const baseline = time(() => {
  for (const id of listRuns(runsDir)) runStateFrom(readRun(runsDir, id));
});
let runs = [];
const history = time(() => {
  runs = runHistory(path.join(dir, 'p.pipeline.yaml'), 20);
});
const bytes = Buffer.byteLength(JSON.stringify({ type: 'history/data', runs }));
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `| runs × tasks | read + reduce (baseline) ms | runHistory ms | ratio | history/data KB |`,
);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(
  `| 20 × ${N.toLocaleString('en-US')} | ${baseline.toFixed(0)} | ${history.toFixed(0)} | ${(history / baseline).toFixed(2)} | ${(bytes / 1024).toFixed(0)} |`,
);
fs.rmSync(dir, { recursive: true, force: true });
