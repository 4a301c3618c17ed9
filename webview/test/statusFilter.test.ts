/**
 * The toolbar's status filter in a real Chromium with the real bundle: only tasks in the chosen
 * states lit (the rest dimmed, nothing moves), "N of M shown", live with new statuses, a hovered
 * lineage still lit over it, kept in the webview state across a reload, cleared in one click.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { graphOf, openWebview, sharedBrowser, shotsDir } from './harness';

const SHOTS = shotsDir();
const PIPELINE = `pipeline: demo
tasks:
  extract_db:
    run: python extract.py
  clean:
    run: python clean.py
    needs: [extract_db]
  train:
    run: python train.py
    needs: [clean]
  report:
    run: python report.py
    needs: [clean]
  deploy:
    run: python deploy.py
    needs: [train]
`;
const done = (run: string) => ({ status: 'success' as const, run, attempt: 1, durationMs: 5 });

const shared = sharedBrowser();

async function open(state?: unknown) {
  const w = await openWebview(
    shared.browser,
    shared.url,
    'dark',
    { width: 1280, height: 760 },
    state,
  );
  await w.send({
    type: 'init',
    version: 1,
    graph: graphOf(PIPELINE),
    events: [],
    trusted: true,
    // Extract and clean succeeded, train failed; report and deploy never ran.
    last: {
      extract_db: done('r1'),
      clean: done('r1'),
      train: { status: 'failed', run: 'r1', attempt: 1, durationMs: 5, message: 'exit 1' },
    },
  });
  await w.page.waitForSelector('.app[data-layout="final"]');
  await w.page.waitForSelector('.react-flow__node[data-id="train"][data-status="failed"]');
  /** The ids of the dimmed nodes, once they are `want` (sorted). */
  const dimmed = async (want: string[]) => {
    await w.page
      .waitForFunction(
        (want) =>
          [...document.querySelectorAll('.react-flow__node.dimmed')]
            .map((n) => n.getAttribute('data-id'))
            .sort()
            .join(',') === want.join(','),
        [...want].sort(),
        { timeout: 5000 },
      )
      .catch(() => undefined);
    return w.page
      .locator('.react-flow__node.dimmed')
      .evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')!).sort());
  };
  const positions = () =>
    w.page
      .locator('.react-flow__node')
      .evaluateAll((ns) =>
        Object.fromEntries(
          ns.map((n) => [n.getAttribute('data-id'), (n as HTMLElement).style.transform]),
        ),
      );
  const saved = () =>
    w.page.evaluate(
      () => (window as unknown as { __state?: { statusFilter?: string[] } }).__state?.statusFilter,
    );
  return { ...w, dimmed, positions, saved };
}

const check = async (w: Awaited<ReturnType<typeof open>>, group: string) => {
  if ((await w.page.locator('.filter-list').count()) === 0)
    await w.page.locator('#status-filter').click();
  await w.page.locator(`.filter-list vscode-checkbox[data-group="${group}"]`).click();
};

test('filter by status: the others dimmed in place, a count, live, lineage on hover over it, kept across a reload, cleared in one click', async () => {
  const w = await open();
  const before = await w.positions();
  assert.equal(await w.page.locator('#filter-count').count(), 0, 'no count without a filter');
  await check(w, 'failed');
  assert.deepEqual(await w.dimmed(['extract_db', 'clean', 'report', 'deploy']), [
    'clean',
    'deploy',
    'extract_db',
    'report',
  ]);
  assert.match((await w.page.locator('#filter-count').textContent()) ?? '', /^1 of 5 shown/);
  await check(w, 'never');
  assert.deepEqual(await w.dimmed(['extract_db', 'clean']), ['clean', 'extract_db']);
  assert.match((await w.page.locator('#filter-count').textContent()) ?? '', /^3 of 5 shown/);
  // The choices say how many tasks each holds.
  assert.match(
    (await w.page.locator('vscode-checkbox[data-group="done"]').textContent()) ?? '',
    /\(2\)/,
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'status-filter.png') });
  // Dimmed, not removed: nothing moved.
  assert.deepEqual(await w.positions(), before);
  await w.page.keyboard.press('Escape');
  await w.page.locator('.filter-list').waitFor({ state: 'detached' });
  assert.deepEqual(await w.saved(), ['failed', 'never']);

  // Hovering a node lights its whole lineage over the filter; leaving it brings the filter back.
  await w.page.locator('.react-flow__node[data-id="report"]').hover();
  assert.deepEqual(await w.dimmed(['train', 'deploy']), ['deploy', 'train']);
  await w.page.mouse.move(5, 700);
  assert.deepEqual(await w.dimmed(['extract_db', 'clean']), ['clean', 'extract_db']);

  // Live: a run makes report succeed; it leaves the "never run" tasks.
  const ts = new Date().toISOString();
  await w.send({
    type: 'run/event',
    event: {
      ts,
      run: 'r2',
      event: 'run_started',
      pipeline: 'demo',
      file: 'x',
      tasks: ['report'],
      params: {},
      workers: 1,
    },
  });
  await w.send({
    type: 'run/event',
    event: {
      ts,
      run: 'r2',
      event: 'task_finished',
      task: 'report',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 3,
    },
  });
  await w.page.waitForFunction(() =>
    document.querySelector('#filter-count')?.textContent?.startsWith('2 of 5 shown'),
  );
  const state = await w.page.evaluate(() => (window as unknown as { __state: unknown }).__state);
  await w.page.close();

  // A reload (VS Code hands the saved state back): the same filter, the same count.
  const again = await open(state);
  assert.deepEqual(await again.dimmed(['extract_db', 'clean']), ['clean', 'extract_db']);
  assert.match((await again.page.locator('#filter-count').textContent()) ?? '', /^3 of 5 shown/);
  // One click clears it.
  await again.page.locator('#filter-clear').click();
  assert.deepEqual(await again.dimmed([]), []);
  assert.equal(await again.page.locator('#filter-count').count(), 0);
  assert.deepEqual(await again.saved(), []);
  await again.page.close();
});

test('the filter on a large graph zoomed out: the overview draws the other tasks faint', async () => {
  const n = 400;
  let text = 'pipeline: big\ntasks:\n';
  for (let i = 0; i < n; i++)
    text += `  t${i}:\n    run: step ${i}\n${i ? `    needs: [t${Math.floor((i - 1) / 2)}]\n` : ''}`;
  const w = await openWebview(
    shared.browser,
    shared.url,
    'dark',
    { width: 1280, height: 760 },
    {
      selected: null,
      statusFilter: ['failed'],
    },
  );
  const last = {
    t3: { status: 'failed' as const, run: 'r1', attempt: 1 },
    t7: { status: 'failed' as const, run: 'r1', attempt: 1 },
  };
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted: true, last });
  await w.page.waitForFunction(
    (n) =>
      document.querySelector('canvas.overview')?.getAttribute('data-statuses') ===
      `failed:2,~pending:${n - 2}`,
    n,
  );
  assert.match((await w.page.locator('#filter-count').textContent()) ?? '', /^2 of 400 shown/);
  await w.page.close();
});
