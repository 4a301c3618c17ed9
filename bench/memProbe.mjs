// Preload for a real CLI run (issue 16): where the RSS goes, sampled every 100 ms — rss, V8's heap
// (total, used, per space) and, every 0.5 s, /proc/self/smaps split into the node binary and
// libraries (file), malloc's main heap (brk) and anonymous maps (V8's pages, thread arenas).
// Heap snapshots at PROBE_SNAPS seconds (e.g. 3,20) and on SIGUSR2. Series written at exit.
// Run: PROBE_OUT=/tmp/probe.json node --import ./bench/memProbe.mjs dist/cli.js run p.pipeline.yaml
import * as fs from 'node:fs';
import * as v8 from 'node:v8';

const out = process.env.PROBE_OUT || 'probe.json';
const snaps = (process.env.PROBE_SNAPS || '').split(',').filter(Boolean).map(Number);
const t0 = Date.now();
const series = [];
const MB = (n) => Math.round(n / 1048576);

function smaps() {
  const g = { file: 0, brk: 0, anon: 0 };
  let kind = 'anon';
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) kind = m[1] === '[heap]' ? 'brk' : m[1] === '' || m[1].startsWith('[') ? 'anon' : 'file';
    else {
      const r = /^Rss:\s+(\d+) kB/.exec(line);
      if (r) g[kind] += Number(r[1]);
    }
  }
  return { file: g.file >> 10, brk: g.brk >> 10, anon: g.anon >> 10 };
}

function snapshot(label) {
  v8.writeHeapSnapshot(`${out}.${label}.heapsnapshot`);
}

let n = 0;
function sample() {
  const m = process.memoryUsage();
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = MB(s.space_size);
  const t = (Date.now() - t0) / 1000;
  series.push({
    t,
    rss: MB(m.rss),
    heapTotal: MB(m.heapTotal),
    heapUsed: MB(m.heapUsed),
    external: MB(m.external),
    spaces,
    ...(n++ % 5 === 0 ? { maps: smaps() } : {}),
  });
  while (snaps.length > 0 && t >= snaps[0]) snapshot(`${Math.round(snaps.shift())}s`);
}

setInterval(sample, 100).unref();
process.on('SIGUSR2', () => snapshot(`usr2-${Math.round((Date.now() - t0) / 1000)}s`));
process.on('exit', () => {
  sample();
  fs.writeFileSync(out, JSON.stringify(series));
});
