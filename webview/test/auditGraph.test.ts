/** The graph as a person handles it, in Chromium with the real bundle: a double click on Add task, a node dragged. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const shared = sharedBrowser();

const PIPELINE = `pipeline: team
tasks:
  extract:
    run: echo extract
  train:
    needs: [extract]
    run: echo train
`;

async function open(): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url);
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  return w;
}

const intents = async (w: WebviewPage) =>
  (await w.posted()).filter((m) => m.type === 'intent').map((m) => m.intent);

test('a double click on Add task adds one task (its second click would ask for the same new task again)', async () => {
  const w = await open();
  await w.page.locator('#add-task').dblclick();
  // Both clicks are handled by the time dblclick returns; a single click still adds.
  assert.deepEqual(
    (await intents(w)).map((i) => (i as { kind: string }).kind),
    ['addTask'],
  );
  await w.page.locator('#add-task').click();
  assert.equal((await intents(w)).length, 2);
  await w.page.close();
});

test('dragging a node moves it on the canvas and asks for no edit', async () => {
  const w = await open();
  const node = w.page.locator('.react-flow__node[data-id="train"]');
  const before = (await node.boundingBox())!;
  await w.page.mouse.move(before.x + 30, before.y + 12);
  await w.page.mouse.down();
  await w.page.mouse.move(before.x + 180, before.y + 140, { steps: 12 });
  await w.page.mouse.up();
  const moved = (await node.boundingBox())!;
  assert.ok(Math.abs(moved.x - before.x) > 50, 'the node moved');
  assert.deepEqual(await intents(w), []);
  await w.page.close();
});

test('a refused edit is said until the next edit: a later edit does not leave it over the graph', async () => {
  const w = await open();
  const notice = w.page.locator('.notice[role="alert"]');
  await w.send({
    type: 'edit/rejected',
    reason: "'extract' cannot need 'train': that would make a cycle (train → extract → train)",
  });
  await notice.waitFor();
  assert.match(
    (await notice.textContent()) ?? '',
    /would make a cycle \(train → extract → train\)/,
  );
  // The person goes on: the next edit (Add task) takes the old refusal away.
  await w.page.locator('#add-task').click();
  await notice.waitFor({ state: 'detached' });
  // Its own refusal, if any, is shown again.
  await w.send({ type: 'edit/rejected', reason: "a task named 'task_1' exists already" });
  await notice.waitFor();
  await w.page.close();
});

const TEAM = `pipeline: sales
tasks:
  extract:
    run: echo extract
  "clean-data":
    run: echo clean
    needs: extract
  enrich: {run: echo enrich, needs: [clean-data]}
  train:
    needs: [extract, "clean-data"]
    run: echo train
  score:
    needs: [train, enrich]
    run: echo score
`;
const WITHOUT_CLEAN = TEAM.replace('  "clean-data":\n    run: echo clean\n    needs: extract\n', '')
  .replace('needs: [clean-data]}', 'needs: []}')
  .replace('[extract, "clean-data"]', '[extract]');

test('a task deleted and brought back (Delete, then Ctrl+Z in the text) comes back with all its edges', async () => {
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 520, height: 760 });
  await w.send({ type: 'init', version: 1, graph: graphOf(TEAM), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const edges = w.page.locator('.react-flow__edge');
  const node = w.page.locator('.react-flow__node[data-id="clean-data"]');
  // React Flow lost the returning node's handles now and then (about one time in ten): many rounds.
  let version = 2;
  for (let round = 0; round < 40; round++) {
    await w.send({ type: 'graph/update', version: version++, graph: graphOf(WITHOUT_CLEAN) });
    await node.waitFor({ state: 'detached' });
    // Now and then the undo comes once the layout settled, else while it is being made.
    if (round % 2 === 0) await w.page.waitForSelector('.app[data-layout="final"]');
    await w.send({ type: 'graph/update', version: version++, graph: graphOf(TEAM) });
    await node.waitFor();
    await w.page
      .locator('.react-flow__edge[aria-label="Edge from clean-data to enrich"]')
      .waitFor({ state: 'attached', timeout: 10_000 })
      .catch(() => {});
    assert.equal(await edges.count(), 6, `round ${round}: every edge is drawn again`);
  }
  await w.page.close();
});

test('an edge clicked is drawn as picked, and Delete removes that dependency', async () => {
  const w = await open();
  const edge = w.page.locator('.react-flow__edge[aria-label="Edge from extract to train"]');
  // Its middle: the two nodes are one above the other, so the edge is a straight line.
  const box = (await edge.boundingBox())!;
  await w.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await w.page
    .locator('.react-flow__edge.selected[aria-label="Edge from extract to train"]')
    .waitFor({ state: 'attached' });
  await w.page.screenshot({ path: `${shotsDir()}/edge-picked.png` });
  await w.page.keyboard.press('Delete');
  assert.deepEqual(await intents(w), [
    { kind: 'removeDependency', task: 'train', needs: 'extract' },
  ]);
  // Picked once: a second Delete (no edge, no task selected) asks for nothing more.
  await w.page.keyboard.press('Delete');
  assert.equal((await intents(w)).length, 1);
  await w.page.close();
});
