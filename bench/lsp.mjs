// Benchmark: a 2,000-task pipeline in the built language server over stdio; 200 one-character
// edits; time from each didChange to its publishDiagnostics (p50, p95) and the server's RSS.
// Baseline in the same run: parse + validate of the same text in this process (the floor).
// Run: npm run build && node --import tsx bench/lsp.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { validate } from '../core/validate/validate.ts';
import { median, pipelineYaml, shape } from './generate.mjs';

const N = Number(process.env.TASKS ?? 2000);
const EDITS = 200;
const text = pipelineYaml(shape('layered', N), { command: 'python step.py {name}' });
const child = spawn(process.execPath, ['dist/server.js', '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const conn = createMessageConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
const waiting = new Map();
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  const w = waiting.get(p.version);
  if (!w) return;
  waiting.delete(p.version);
  w();
});
conn.onRequest('client/registerCapability', () => null);
conn.listen();
await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
await conn.sendNotification('initialized', {});
const uri = 'file:///tmp/bench.pipeline.yaml';
const published = (v) => new Promise((r) => waiting.set(v, r));
let wait = published(1);
await conn.sendNotification('textDocument/didOpen', {
  textDocument: { uri, languageId: 'yaml', version: 1, text },
});
await wait;

const lines = text.split('\n');
const times = [];
for (let i = 0; i < EDITS; i++) {
  // Type one character at the end of a `run:` line somewhere in the file.
  const line = 3 + 4 * Math.floor((i * 7919) % (N - 1));
  const character = lines[line]?.length ?? 0;
  const version = i + 2;
  wait = published(version);
  const t = performance.now();
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [
      { range: { start: { line, character }, end: { line, character } }, text: 'x' },
    ],
  });
  await wait;
  times.push(performance.now() - t);
  lines[line] += 'x';
}
const current = lines.join('\n');
const rss =
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const hwm =
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const floor = [];
for (let i = 0; i < 9; i++) {
  const t = performance.now();
  validate(current);
  floor.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
console.table([
  {
    tasks: N,
    edits: EDITS,
    'p50 ms': pct(0.5),
    'p95 ms': pct(0.95),
    'max ms': times.at(-1).toFixed(1),
    'server RSS MB': rss.toFixed(0),
    'server peak MB': hwm.toFixed(0),
    'in-process validate ms (floor)': median(floor).toFixed(1),
  },
]);
conn.dispose();
child.kill();
