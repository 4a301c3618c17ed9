// Benchmark (issue 16): where the runner's memory goes at N layered tasks, stage by stage — live
// heap after a full GC at each stage of a run, with the same modules the CLI uses.
// Run: node --expose-gc --import tsx bench/runnerHeap.mjs   (N=10000 by default)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipelineYaml, shape } from './generate.mjs';
import { parsePipeline } from '../core/parse/parse.ts';
import { validateParsed } from '../core/validate/validate.ts';
import { initialRunState, reduceRun } from '../core/run/state.ts';
import { PipelineContext } from '../runner/context.ts';
import { diskHost } from '../runner/load.ts';
import { statePaths } from '../runner/records/paths.ts';
import { StateStore } from '../runner/state/store.ts';
import { LocalTargetChecker } from '../runner/targets/check.ts';

const n = Number(process.env.N ?? 10000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-heap-'));
const file = path.join(dir, 'p.pipeline.yaml');
const tasks = shape('layered', n);
fs.writeFileSync(file, pipelineYaml(tasks, { command: 'touch out/{name}', outputs: true }));
fs.mkdirSync(path.join(dir, 'out'));
for (const t of tasks) fs.writeFileSync(path.join(dir, 'out', t.name), '');

const MB = 1024 * 1024;
let prev = 0;
let peakRss = 0;
const rows = [];
const keep = [];
function stage(name, value) {
  keep.push(value);
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  rows.push({
    stage: name,
    'live heap MB': +(m.heapUsed / MB).toFixed(1),
    'added MB': +((m.heapUsed - prev) / MB).toFixed(1),
    'bytes/task': Math.round((m.heapUsed - prev) / n),
    'RSS MB': Math.round(m.rss / MB),
  });
  prev = m.heapUsed;
}

stage('modules loaded (Node + runner code)', null);
const text = fs.readFileSync(file, 'utf8');
stage('pipeline text', text);
// In a function: nothing outside it keeps the YAML document once it returns.
function parseAndValidate() {
  const parsed = parsePipeline(text);
  stage('parse: YAML document + model', parsed);
  const v = validateParsed(parsed, { host: diskHost(dir), params: {} });
  stage('validate: graph + findings', v);
  keep.length = 0;
  const { doc: _doc, ...rest } = v;
  return rest;
}
const loaded = parseAndValidate();
stage('YAML document dropped (what the run keeps)', { ...loaded, file, dir, text });
// state.json as after a complete run: one memo with a fingerprint per task (in a function, so
// that nothing but the store keeps what it makes).
const paths = statePaths(file);
function writeCompleteState() {
  const ctx0 = new PipelineContext(
    { ...loaded, file, dir, text },
    new StateStore(paths).load(),
    new LocalTargetChecker(),
  );
  const state = { version: 1, pipelines: { 'p.pipeline.yaml': { tasks: {} } } };
  for (let i = 0; i < n; i++)
    state.pipelines['p.pipeline.yaml'].tasks[`t${i}`] = {
      status: 'success',
      run: '20261130T130222581Z-ae3c',
      attempt: 1,
      finished: `2026-11-30T13:02:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`,
      durationMs: 7,
      fingerprint: ctx0.fingerprint(i),
      successStamp: `20261130T130222581Z-ae3c@2026-11-30T13:02:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`,
    };
  fs.mkdirSync(paths.root, { recursive: true });
  fs.writeFileSync(paths.state, JSON.stringify(state));
}
writeCompleteState();
const store = new StateStore(paths).load();
stage('state.json loaded (a memo + fingerprint per task)', store);
const ctx = new PipelineContext({ ...loaded, file, dir, text }, store, new LocalTargetChecker());
await ctx.prepare();
stage('task specs resolved (prepare)', ctx);
const plan = ctx.plan([], true, false);
stage('plan (forced: every task to run)', plan);
const fps = ctx.order.map((i) => ctx.fingerprint(i));
stage('a new fingerprint per task (kept for task_finished)', fps);
const rs = initialRunState();
const run = 'R';
reduceRun(rs, {
  ts: new Date().toISOString(),
  event: 'run_started',
  run,
  pipeline: 'bench',
  file: 'p.pipeline.yaml',
  tasks: tasks.map((t) => t.name),
  params: {},
  workers: 2,
});
for (const [k, i] of ctx.order.entries()) {
  const name = ctx.name(i);
  const ts = new Date().toISOString();
  const fin = {
    ts,
    event: 'task_finished',
    run,
    task: name,
    attempt: 1,
    status: 'success',
    exit_code: 0,
    duration_ms: 7,
    fingerprint: fps[k],
    outputs: [`out/${name}`],
  };
  reduceRun(rs, { ts, event: 'task_queued', run, task: name });
  reduceRun(rs, { ts, event: 'task_started', run, task: name, attempt: 1 });
  reduceRun(rs, fin);
  store.record(fin);
}
stage('run state + state memos after every task finished', rs);
console.table(rows);
console.log(`peak RSS in this process: ${Math.round(peakRss / MB)} MB`);
const bare = spawnSync('/usr/bin/time', ['-f', '%M', 'node', '-e', '0'], { encoding: 'utf8' });
console.log(`node -e 0: ${Math.round(Number(bare.stderr.trim()) / 1024)} MB peak RSS`);
fs.rmSync(dir, { recursive: true, force: true });
