// Benchmark: a 2,000-task pipeline in the built language server over stdio; 200 one-character
// edits; time from each didChange to its publishDiagnostics (p50, p95) and the server's RSS;
// then hover, completion and go-to-definition round trips on the settled document.
// Two shapes: 'synthetic' (the first bench's file: `run: "python step.py tN"` and `needs` only)
// and 'realistic' (the demo's tasks, examples/weather, repeated to N tasks under the demo's head:
// a schedule '0 0 * * *', params, env, defaults, descriptions, flow and block lists, commands with
// *.csv, &&, quotes and ${params.day}). Side by side in the same run: the server as it runs
// (incremental parse) and the same server re-parsing the whole text on each change
// (TRIBUTARY_LSP_INCREMENTAL=0, the baseline), each with edits inside a command (valid YAML)
// and after a closing quote (a syntax error, as mid-typing); plus parse + validate of the text
// in this process.
// BEFORE=path/to/server.js (another build, e.g. main's before a change): its rows beside the
// shipped server's, same edits, same run; TYPINGS=needs,command,error picks the kinds of edit
// (the full re-parse baseline runs command and error only).
// Run: node scripts/build.mjs && node --import tsx bench/lsp.mjs   (TASKS=… SHAPES=realistic)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { SERVER_NODE_FLAGS } from '../core/protocol/languageServer.ts';
import { validate, validateParsed } from '../core/validate/validate.ts';
import { ValidationCache } from '../core/validate/cache.ts';
import { IncrementalParser } from '../core/parse/incremental.ts';
import { median, pipelineYaml, shape } from './generate.mjs';
import { realisticYaml } from './realistic.mjs';

const N = Number(process.env.TASKS ?? 2000);
const EDITS = Number(process.env.EDITS ?? 200);
const QUERIES = 100;
const SHAPES = (process.env.SHAPES ?? 'synthetic,realistic').split(',');
const TYPINGS = (process.env.TYPINGS ?? 'command,error,needs').split(',');
const BEFORE = process.env.BEFORE;
// SERVER_FLAGS='--max-semi-space-size=8': other Node flags for the server (default: what ships).
const FLAGS =
  process.env.SERVER_FLAGS !== undefined
    ? process.env.SERVER_FLAGS.split(' ').filter(Boolean)
    : SERVER_NODE_FLAGS;

const SOURCES = {
  synthetic: () => pipelineYaml(shape('layered', N), { command: 'python step.py {name}' }),
  realistic: () => realisticYaml(N),
};

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/** Positions (line, character) where `re` matches, `delta` characters into each match. */
function positions(lines, re, delta = 0) {
  const out = [];
  lines.forEach((l, line) => {
    const m = re.exec(l);
    if (m) out.push({ line, character: m.index + delta });
  });
  return out;
}

async function measure(shapeName, source, incremental, typing, queries, server = 'dist/server.js') {
  const child = spawn(process.execPath, [...FLAGS, server, '--stdio'], {
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
    w(p.diagnostics);
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', (m) => console.error(m.message));
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
  // 'command': inside a command (before a closing quote, else at the end of the line);
  // 'error': right after a closing quote, which makes a YAML syntax error;
  // 'needs': a character typed at the end of a `needs` item, then deleted (the graph changes).
  const runLines = lines.flatMap((l, i) =>
    typing === 'needs'
      ? /^\s+needs: \[\w/.test(l)
        ? [i]
        : []
      : /^\s+run: [^>|]/.test(l) && (typing !== 'error' || /["']$/.test(l))
        ? [i]
        : [],
  );
  // The server's own CPU time over the edits (user + system, /proc ticks of 10 ms): less
  // sensitive than wall time to other work on the machine.
  const cpu = () => {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const cpuBefore = cpu();
  const times = [];
  let errors = 0;
  for (let i = 0; i < EDITS; i++) {
    const line = runLines[(Math.floor(typing === 'needs' ? i / 2 : i) * 7919) % runLines.length];
    const text = lines[line];
    const undo = typing === 'needs' && i % 2 === 1;
    const character =
      typing === 'needs'
        ? text.search(/[,\]]/) - (undo ? 1 : 0)
        : typing === 'command' && /["']$/.test(text)
          ? text.length - 1
          : text.length;
    const version = i + 2;
    wait = published(version);
    const t = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        {
          range: {
            start: { line, character },
            end: { line, character: character + (undo ? 1 : 0) },
          },
          text: undo ? '' : 'x',
        },
      ],
    });
    const diagnostics = await wait;
    times.push(performance.now() - t);
    if (diagnostics.some((d) => d.code === 'yaml-syntax')) errors++;
    lines[line] = undo
      ? text.slice(0, character) + text.slice(character + 1)
      : text.slice(0, character) + 'x' + text.slice(character);
  }
  const cpuPerEdit = (cpu() - cpuBefore) / EDITS;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const mb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  const row = {
    shape: shapeName,
    server:
      server !== 'dist/server.js'
        ? `BEFORE ${server}`
        : incremental
          ? 'incremental (as shipped)'
          : 'full re-parse (baseline)',
    edits: `${EDITS} ${{ command: 'in a command', error: 'after a quote', needs: 'in needs, typed and deleted' }[typing]} (${errors} with a syntax error)`,
    'p50 ms': pct(times, 0.5).toFixed(1),
    'p95 ms': pct(times, 0.95).toFixed(1),
    'max ms': Math.max(...times).toFixed(1),
    'server CPU ms/edit': cpuPerEdit.toFixed(1),
    'RSS MB': mb('VmRSS').toFixed(0),
    'peak MB': mb('VmHWM').toFixed(0),
  };
  const text = lines.join('\n');
  const queryRows = [];
  if (queries) {
    // On the settled, valid document (a fresh version, so the first request also analyses it).
    wait = published(EDITS + 2);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: EDITS + 2 },
      contentChanges: [{ text: source }],
    });
    await wait;
    const at = (re, delta) => {
      const all = positions(source.split('\n'), re, delta);
      return all.length === 0
        ? [undefined]
        : Array.from({ length: QUERIES }, (_, i) => all[(i * 7919) % all.length]);
    };
    const kinds = [
      ['hover on a task in needs', 'textDocument/hover', at(/needs: \[(\w)/, 8)],
      ['hover on a task key', 'textDocument/hover', at(/^ {2}(\w)/, 3)],
      ['definition of an input', 'textDocument/definition', at(/inputs: \[(\w)/, 10)],
      ['definition of a task in needs', 'textDocument/definition', at(/needs: \[(\w)/, 8)],
      ['completion in needs', 'textDocument/completion', at(/needs: \[(\w)/, 8)],
      ['completion of a task key', 'textDocument/completion', at(/^ {4}run:/, 4)],
    ];
    for (const [what, method, where] of kinds) {
      if (where.some((w) => !w)) continue; // this shape has no such place
      const qt = [];
      let items = 0;
      for (const position of where) {
        const t = performance.now();
        const res = await conn.sendRequest(method, { textDocument: { uri }, position });
        qt.push(performance.now() - t);
        items += Array.isArray(res) ? res.length : res ? 1 : 0;
      }
      queryRows.push({
        shape: shapeName,
        request: what,
        'p50 ms': pct(qt, 0.5).toFixed(1),
        'p95 ms': pct(qt, 0.95).toFixed(1),
        'max ms': Math.max(...qt).toFixed(1),
        'items/answer': (items / where.length).toFixed(0),
      });
    }
  }
  conn.dispose();
  child.kill();
  return { row, text, queryRows };
}

const rows = [];
const queryRows = [];
const notes = [];
for (const name of SHAPES) {
  const source = SOURCES[name]();
  const parser = new IncrementalParser();
  parser.parse(source);
  notes.push(
    `${name}: ${N} tasks, ${source.split('\n').length} lines; incremental parse of the file: ` +
      `${parser.stats.fullParses ? 'FULL PARSE (fallback)' : 'fast path (per task block)'}`,
  );
  let edited = source;
  for (const incremental of [true, false])
    for (const typing of TYPINGS.filter((t) => incremental || t !== 'needs')) {
      const r = await measure(name, source, incremental, typing, incremental && typing === 'error');
      rows.push(r.row);
      queryRows.push(...r.queryRows);
      if (incremental && typing === 'command') edited = r.text;
      // The other build right after, on the same edits, while the machine is in the same state.
      if (incremental && BEFORE)
        rows.push((await measure(name, source, true, typing, false, BEFORE)).row);
    }
  const floor = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    validate(edited);
    floor.push(performance.now() - t);
  }
  notes.push(`${name}: in-process full parse + validate: ${median(floor).toFixed(1)} ms`);
  // What the server does per edit, without the protocol: the same 200 edits in a command.
  const state = { parser: new IncrementalParser(), cache: new ValidationCache() };
  validateParsed(state.parser.parse(source), { cache: state.cache });
  const lines = source.split('\n');
  const runLines = lines.flatMap((l, i) => (/^\s+run: [^>|]/.test(l) ? [i] : []));
  const cpu = [];
  for (let i = 0; i < EDITS; i++) {
    const line = runLines[(i * 7919) % runLines.length];
    const l = lines[line];
    lines[line] = /["']$/.test(l) ? `${l.slice(0, -1)}x${l.slice(-1)}` : `${l}x`;
    const text = lines.join('\n');
    const t = process.cpuUsage();
    validateParsed(state.parser.parse(text), { cache: state.cache });
    const d = process.cpuUsage(t);
    cpu.push((d.user + d.system) / 1000);
  }
  notes.push(
    `${name}: in-process incremental parse + validate per edit (CPU): p50 ` +
      `${median(cpu).toFixed(1)} ms, p95 ${[...cpu].sort((a, b) => a - b)[Math.floor(0.95 * cpu.length)].toFixed(1)} ms` +
      ` (graph reused ${state.cache.stats.reused}×, built ${state.cache.stats.built}×)`,
  );
}
for (const n of notes) console.log(n);
console.table(rows);
console.table(queryRows);
