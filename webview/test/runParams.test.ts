/**
 * "Run with params…" on the graph's toolbar, in a real Chromium with the real bundle: offered only
 * when the pipeline declares params, and a click asks the host (which asks for each param).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphOf, openWebview, sharedBrowser } from './harness';

const WITH_PARAMS = `pipeline: scored
params:
  day: "2024-01-01"
  threshold: "0.5"
tasks:
  score:
    run: python score.py --day "\${params.day}" --threshold \${params.threshold}
    outputs: ["out/\${params.day}.csv"]
`;
const WITHOUT_PARAMS = `pipeline: plain
tasks:
  score:
    run: python score.py
    outputs: [out/score.csv]
`;

const shared = sharedBrowser();

async function open(text: string, trusted = true) {
  const w = await openWebview(shared.browser, shared.url);
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted });
  await w.page.waitForSelector('.app[data-layout="final"]');
  return w;
}

test('a pipeline with params offers Run with params…, and a click asks the host', async () => {
  const w = await open(WITH_PARAMS);
  const button = w.page.locator('#run-params');
  await button.waitFor();
  await button.click();
  const posted = (await w.posted()).map((m) => m.type);
  assert.ok(posted.includes('run/withParams'), posted.join(', '));
  assert.ok(!posted.includes('run/all'), 'the plain run is not started');
  await w.page.close();
});

test('a pipeline without params has no such button; a restricted window disables it', async () => {
  const plain = await open(WITHOUT_PARAMS);
  await plain.page.locator('#run-all').waitFor();
  assert.equal(await plain.page.locator('#run-params').count(), 0);
  await plain.page.close();
  const restricted = await open(WITH_PARAMS, false);
  const button = restricted.page.locator('#run-params');
  await button.waitFor();
  assert.equal(await button.getAttribute('disabled'), '');
  await restricted.page.close();
});
