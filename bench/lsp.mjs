// Benchmark: a 2,000-task pipeline in the built language server over stdio; 200 one-character
// edits; time from each didChange to its publishDiagnostics (p50, p95) and the server's RSS.
// Side by side in the same run: the server as it runs (incremental parse) and the same server
// re-parsing the whole text on each change (TRIBUTARY_LSP_INCREMENTAL=0, the baseline), each
// with edits inside a command (valid YAML) and after its closing quote (a syntax error, as
// mid-typing); plus parse + validate of the text in this process.
// Run: npm run build && node --import tsx bench/lsp.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { SERVER_NODE_FLAGS } from '../core/protocol/languageServer.ts';
import { validate } from '../core/validate/validate.ts';
import { median, pipelineYaml, shape } from './generate.mjs';

const N = Number(process.env.TASKS ?? 2000);
const EDITS = 200;
const source = pipelineYaml(shape('layered', N), { command: 'python step.py {name}' });

async function measure(incremental, typing) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'dist/server.js', '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, TRIBUTARY_LSP_INCREMENTAL: incremental ? '1' : '0' },
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
    textDocument: { uri, languageId: 'yaml', version: 1, text: source },
  });
  await wait;
  const lines = source.split('\n');
  const runLines = lines.flatMap((l, i) => (l.trimStart().startsWith('run:') ? [i] : []));
  const times = [];
  for (let i = 0; i < EDITS; i++) {
    const line = runLines[(i * 7919) % runLines.length];
    const text = lines[line];
    // 'command': inside the quotes, as a person editing the command; 'error': after them.
    const character = typing === 'command' && /["']$/.test(text) ? text.length - 1 : text.length;
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
    lines[line] = text.slice(0, character) + 'x' + text.slice(character);
  }
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const mb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  conn.dispose();
  child.kill();
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  return {
    server: incremental ? 'incremental (as shipped)' : 'full re-parse (baseline)',
    edits: `${EDITS} ${typing === 'command' ? 'in a command' : 'after the quote (syntax error)'}`,
    'p50 ms': pct(0.5),
    'p95 ms': pct(0.95),
    'max ms': times.at(-1).toFixed(1),
    'RSS MB': mb('VmRSS').toFixed(0),
    'peak MB': mb('VmHWM').toFixed(0),
    text: lines.join('\n'),
  };
}

const rows = [];
for (const incremental of [true, false])
  for (const typing of ['command', 'error']) rows.push(await measure(incremental, typing));
const floor = [];
for (let i = 0; i < 9; i++) {
  const t = performance.now();
  validate(rows[0].text);
  floor.push(performance.now() - t);
}
console.log(`${N} tasks; in-process full parse + validate: ${median(floor).toFixed(1)} ms`);
for (const r of rows) delete r.text;
console.table(rows);
