/* global window, document, MutationObserver */
// Benchmark: how soon a run started outside VS Code shows, from an event written to its record.
//  A. The follower alone (extension/runFollower.ts): another process appends events to a record;
//     delay to the follower's hand-off, with the watch (as shipped: inotify + a 1 s poll) beside
//     poll-only baselines (1 s, 250 ms) in the same run.
//  B. End to end in code-server: an event appended → the graph node's data-status changes in the
//     webview (a MutationObserver's clock), as shipped beside TRIBUTARY_FOLLOW_WATCH=0 (poll only).
// Run: node scripts/build.mjs && node --import tsx bench/liveRuns.mjs   (SKIP_E2E=1: part A only)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderFollower } from '../extension/runFollower.ts';
import { openVsCode } from '../test/vscode/harness.ts';

const EVENTS = Number(process.env.EVENTS ?? 60);
const TASKS = Number(process.env.TASKS ?? 20);
const now = () => performance.timeOrigin + performance.now();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const fmt = (xs) =>
  `p50 ${pct(xs, 0.5).toFixed(1)} · p90 ${pct(xs, 0.9).toFixed(1)} · max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

/** A pipeline folder whose run `id` holds the lock (this process: alive) with its run_started written. */
function runFolder(tasks) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-live-'));
  const names = Array.from({ length: tasks }, (_, i) => `t${i}`);
  fs.writeFileSync(
    path.join(dir, 'live.pipeline.yaml'),
    `pipeline: live\ntasks:\n${names.map((n) => `  ${n}:\n    run: "true"\n`).join('')}`,
  );
  const runs = path.join(dir, '.tributary', 'runs');
  fs.mkdirSync(runs, { recursive: true });
  return { dir, runs, names };
}

function begin(f, id) {
  fs.writeFileSync(
    path.join(f.dir, '.tributary', 'lock'),
    JSON.stringify({
      pid: process.pid,
      run: id,
      file: 'live.pipeline.yaml',
      host: os.hostname(),
      started: new Date().toISOString(),
    }),
  );
  const record = path.join(f.runs, `${id}.jsonl`);
  fs.appendFileSync(
    record,
    JSON.stringify({
      ts: new Date().toISOString(),
      run: id,
      event: 'run_started',
      pipeline: 'live',
      file: 'live.pipeline.yaml',
      tasks: f.names,
      params: {},
      workers: 1,
    }) + '\n',
  );
  return record;
}

/** A writer process appending `n` task_queued events 20-120 ms apart, each stamped with its wall clock. */
function writer(record, id, n) {
  const code = `
    const fs = require('node:fs');
    let i = 0;
    const next = () => {
      if (i >= ${n}) return;
      const e = { ts: new Date().toISOString(), run: ${JSON.stringify(id)}, event: 'task_queued', task: 't' + (i % ${TASKS}), sent: performance.timeOrigin + performance.now() };
      fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(e) + '\\n');
      i++;
      setTimeout(next, 20 + Math.random() * 100);
    };
    next();`;
  return new Promise((resolve) => spawn(process.execPath, ['-e', code]).on('exit', resolve));
}

async function partA(label, o) {
  const f = runFolder(TASKS);
  const delays = [];
  let startedAt = 0;
  const sink = {
    owns: () => false,
    started: () => (startedAt = now()),
    event: (_f, _id, e) => {
      if (e.sent !== undefined) delays.push(now() - e.sent);
    },
    lost: () => {},
  };
  const follower = new FolderFollower(f.dir, sink, o);
  follower.start();
  const id = `20260101T000000000Z-${label.replace(/\W/g, '').slice(0, 4)}`;
  const created = now();
  const record = begin(f, id);
  await writer(record, id, EVENTS);
  await new Promise((r) => setTimeout(r, o.pollMs + 100));
  follower.dispose();
  return { label, delays, found: startedAt - created };
}

/** Part B: code-server with the graph open; events appended here; the webview notes when each node turns. */
async function partB(label, env) {
  const f = runFolder(TASKS);
  const vscode = await openVsCode({
    workspace: f.dir,
    env: { TRIBUTARY_OPEN_ON_START: 'live.pipeline.yaml', ...env },
  });
  const { page } = vscode;
  try {
    let frame;
    for (const start = Date.now(); !frame;) {
      for (const fr of page.frames())
        if (
          await fr
            .locator('.react-flow__node[data-id="t0"]')
            .count()
            .catch(() => 0)
        )
          frame = fr;
      if (Date.now() - start > 90_000) throw new Error('no graph');
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(2500); // the follower's first look at the folder
    await frame.evaluate(() => {
      window.__seen = {};
      new MutationObserver((ms) => {
        for (const m of ms) {
          const el = m.target;
          const id = el.getAttribute?.('data-id');
          if (id && el.getAttribute('data-status') === 'running' && !window.__seen[id])
            window.__seen[id] = performance.timeOrigin + performance.now();
        }
      }).observe(document.body, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-status'],
      });
    });
    const id = `20260101T000000000Z-${label.replace(/\W/g, '').slice(0, 4)}`;
    const record = begin(f, id);
    await page.waitForTimeout(2000); // the run found (the first, a new record, also waits a poll)
    const sent = {};
    for (const task of f.names) {
      sent[task] = now();
      fs.appendFileSync(
        record,
        JSON.stringify({
          ts: new Date().toISOString(),
          run: id,
          event: 'task_started',
          task,
          attempt: 1,
        }) + '\n',
      );
      await page.waitForTimeout(300 + Math.random() * 400);
    }
    await page.waitForTimeout(1500);
    const seen = await frame.evaluate(() => window.__seen);
    const delays = f.names.filter((t) => seen[t]).map((t) => seen[t] - sent[t]);
    if (process.env.VERBOSE)
      console.log(`    ${label}: ${delays.map((d) => d.toFixed(0)).join(' ')}`);
    return { label, delays, missed: f.names.length - delays.length };
  } finally {
    await vscode.stop();
  }
}

console.log(
  `load average: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${os.cpus().length} cores`,
);
console.log(`A. follower only: ${EVENTS} events from another process, 20-120 ms apart`);
for (const [label, o] of [
  ['watch + 1 s poll (shipped)', { pollMs: 1000, watch: true }],
  ['poll 1 s (baseline)', { pollMs: 1000, watch: false }],
  ['poll 250 ms (baseline)', { pollMs: 250, watch: false }],
]) {
  const r = await partA(label, o);
  console.log(
    `  ${label.padEnd(28)} event → hand-off ${fmt(r.delays)}; new record found in ${r.found.toFixed(1)} ms`,
  );
}
if (!process.env.SKIP_E2E) {
  console.log(
    `B. code-server: task_started appended → graph node data-status=running (${TASKS} tasks)`,
  );
  for (const [label, env] of [
    ['watch + 1 s poll (shipped)', {}],
    ['poll 1 s (baseline)', { TRIBUTARY_FOLLOW_WATCH: '0' }],
  ]) {
    const r = await partB(label, env);
    console.log(
      `  ${label.padEnd(28)} ${fmt(r.delays)}${r.missed ? `; ${r.missed} never seen` : ''}`,
    );
  }
}
console.log(
  `load average after: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
process.exit(0);
