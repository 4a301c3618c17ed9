/* global window, document */
// Where the webview spends its time (CPU profile by function), for one size and one phase.
// Run: npm run build && SIZE=1000 PHASE=init|pan|repaint node --import tsx bench/profile-webview.mjs
import { toGraphModel } from '../core/protocol/graphModel.ts';
import { validate } from '../core/validate/validate.ts';
import { launch, openWebview, serve } from '../webview/test/harness.ts';
import { pipelineYaml, shape } from './generate.mjs';

const n = Number(process.env.SIZE ?? 1000);
const phase = process.env.PHASE ?? 'init';
const g = toGraphModel(
  validate(pipelineYaml(shape('layered', n), { command: 'python step.py {name}' })),
);
const server = await serve();
const browser = await launch();
const w = await openWebview(
  browser,
  server.url,
  'dark',
  { width: 1400, height: 900 },
  process.env.ZOOM
    ? {
        direction: 'RIGHT',
        selected: null,
        viewport: { x: 40, y: 40, zoom: Number(process.env.ZOOM) },
      }
    : undefined,
);
await w.page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
const cdp = await w.page.context().newCDPSession(w.page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
const waitNodes = () =>
  w.page.waitForFunction(
    () => document.querySelectorAll('.react-flow__node').length > 0,
    undefined,
    { timeout: 120_000 },
  );
if (phase !== 'init') {
  await w.send({ type: 'init', version: 1, graph: g, events: [], trusted: true });
  await waitNodes();
  await w.page.waitForTimeout(3000);
}
await cdp.send('Profiler.start');
const t0 = Date.now();
if (phase === 'init') {
  await w.send({ type: 'init', version: 1, graph: g, events: [], trusted: true });
  await waitNodes();
  await w.page.waitForTimeout(100);
} else if (phase === 'pan') {
  const box = await w.page.locator('.react-flow__pane').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await w.page.mouse.move(cx, cy);
  await w.page.mouse.down();
  for (let i = 0; i < 40; i++) {
    await w.page.mouse.move(cx + 200 * Math.sin(i / 6), cy + 120 * Math.cos(i / 6));
    await w.page.waitForTimeout(30);
  }
  await w.page.mouse.up();
} else {
  await w.send({
    type: 'plan/result',
    steps: g.nodes
      .filter((x) => x.kind === 'task')
      .map((x) => ({ task: x.id, action: 'run', reason: 'bench' })),
  });
  await w.page.waitForFunction(
    () =>
      [...document.querySelectorAll('.react-flow__node[data-status]')].every(
        (e) => e.getAttribute('data-status') === 'will_run',
      ),
    undefined,
    { timeout: 60_000 },
  );
}
const elapsed = Date.now() - t0;
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const f = node.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
});
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
console.log(`${phase} at ${n} tasks: ${elapsed} ms wall`);
for (const [k, v] of top) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
await browser.close();
server.close();
