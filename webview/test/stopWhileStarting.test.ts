/** Review of e674b6b: Stop stays offered from the moment a run is started until its runner exits, not only after run_started. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphOf, openWebview, sharedBrowser } from './harness';

const shared = sharedBrowser();

const PIPELINE = `pipeline: demo
tasks:
  extract:
    run: python extract.py
`;

test('Stop is enabled while the runner starts (checking databases, planning), and off once it exits without a run', async () => {
  const w = await openWebview(shared.browser, shared.url);
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const disabled = () => w.page.locator('#stop').evaluate((e) => e.hasAttribute('disabled'));
  assert.equal(await disabled(), true, 'nothing runs yet');
  // The host says a run started (its runner spawned); run_started comes only after the runner
  // has reached the pipeline's databases and NameNodes (up to their 5 s / 30 s timeouts).
  await w.send({ type: 'run/reset' });
  await w.page.waitForFunction(
    () => !document.querySelector('#stop')?.hasAttribute('disabled'),
    null,
    {
      timeout: 10_000,
    },
  );
  await w.page.locator('#stop').click();
  assert.ok((await w.posted()).some((m) => m.type === 'run/stop'));
  // The runner exited without a run (refused, or stopped before it began): nothing to stop.
  await w.send({ type: 'run/exited' });
  await w.page.waitForFunction(
    () => document.querySelector('#stop')?.hasAttribute('disabled'),
    null,
    {
      timeout: 10_000,
    },
  );
  await w.page.close();
});
