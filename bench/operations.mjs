// Benchmark: the cost of operations around a run, side by side with the run without them.
//  - notification: a one-task run with notify.email to a local SMTP server vs the same run without
//  - serve: a dropped file → its run started (the stability wait is the floor), and a
//    six-field cron tick → its run started
// Run: npm run build && node --import tsx bench/operations.mjs
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSmtp } from '../runner/test/smtpServer.ts';
import { median } from './generate.mjs';

const CLI = path.resolve('dist/cli.js');
const RUNS = 10;

function folder(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-ops-'));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

async function timeRuns(dir, env) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await new Promise((resolve) =>
      spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], {
        cwd: dir,
        env: { ...process.env, ...env },
        stdio: 'ignore',
      }).on('close', resolve),
    );
    times.push(performance.now() - t);
  }
  return median(times);
}

const smtp = await startSmtp();
const task = 'tasks:\n  a:\n    run: "true"\n';
const plain = folder({ 'p.pipeline.yaml': `pipeline: plain\n${task}` });
const mailed = folder({
  'p.pipeline.yaml': `pipeline: mailed\nnotify:\n  email:\n    to: [a@example.com]\n    on: [success]\n${task}`,
});
const base = await timeRuns(plain, {});
const withMail = await timeRuns(mailed, { TRIBUTARY_SMTP_URL: smtp.url });
await smtp.close();

function runStarts(dir) {
  const runs = path.join(dir, '.tributary', 'runs');
  if (!fs.existsSync(runs)) return [];
  return fs
    .readdirSync(runs)
    .flatMap((f) => {
      try {
        return [
          Date.parse(JSON.parse(fs.readFileSync(path.join(runs, f), 'utf8').split('\n')[0]).ts),
        ];
      } catch {
        return []; // being written this very moment
      }
    })
    .sort((a, b) => a - b);
}

async function until(cond, ms = 20_000) {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const STABLE = 300;
const served = folder({
  'p.pipeline.yaml': `pipeline: drop\non:\n  - files: "in/*.csv"\n${task}`,
  'in/.keep': '',
});
const serve = spawn(process.execPath, [CLI, 'serve', '.'], {
  cwd: served,
  env: { ...process.env, TRIBUTARY_SERVE_STABLE_MS: String(STABLE) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let log = '';
serve.stdout.on('data', (c) => (log += c));
await until(() => log.includes('watching'));
const drops = [];
for (let i = 0; i < 5; i++) {
  const before = runStarts(served).length;
  const t = Date.now();
  fs.writeFileSync(path.join(served, 'in', `f${i}.csv`), 'x\n');
  await until(() => runStarts(served).length > before);
  drops.push(runStarts(served).at(-1) - t);
  await until(() => (log.match(/ success /g) ?? []).length > i);
}
serve.kill('SIGTERM');
await new Promise((r) => serve.on('close', r));

const ticking = folder({ 'p.pipeline.yaml': `pipeline: tick\nschedule: "* * * * * *"\n${task}` });
const cron = spawn(process.execPath, [CLI, 'serve', '.'], { cwd: ticking, stdio: 'ignore' });
await until(() => runStarts(ticking).length >= 6, 30_000);
cron.kill('SIGTERM');
await new Promise((r) => cron.on('close', r));
// Each tick is on a whole second: how late its run started.
const lateness = runStarts(ticking).map((t) => t % 1000);

console.table([
  { measure: 'one-task run, no notification (baseline)', 'median ms': base.toFixed(0) },
  { measure: 'one-task run + e-mail to a local SMTP server', 'median ms': withMail.toFixed(0) },
  {
    measure: `file dropped → run started (stability wait ${STABLE} ms)`,
    'median ms': median(drops).toFixed(0),
  },
  { measure: 'cron tick → run started', 'median ms': median(lateness).toFixed(0) },
]);
spawnSync('true');
