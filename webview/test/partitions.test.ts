/**
 * Partition strips in a real Chromium with the real bundle: one cell per partition coloured by
 * state, live run events repaint them, the picker and a strip click choose whose states the
 * nodes show, and a partitioned node's menu asks the host to run a partition or backfill.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartitionStrips } from '../../core/protocol/webview';
import { graphOf, openWebview, sharedBrowser } from './harness';

const PIPELINE = `pipeline: daily
partitions:
  daily: { start: "2024-01-01", timezone: UTC }
tasks:
  extract:
    run: python extract.py --day \${partition}
    outputs: ["data/raw/\${partition}.csv"]
  train:
    run: python train.py
    needs: [extract]
    outputs: [models/model.json]
`;

const days = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
  );

const shared = sharedBrowser();

async function open(strips: PartitionStrips) {
  const w = await openWebview(shared.browser, shared.url);
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.send({ type: 'partitions/status', strips });
  await w.page.waitForSelector('.app[data-layout="final"]');
  await w.page.waitForSelector('.partition-strip[data-strip="extract"][data-drawn]');
  /** The colour of the strip's pixel at partition `i` (its cell's middle), and the colour of a state. */
  /** The strip's pixels (its image drawn on a canvas): row 1, every column. */
  const row = async () => {
    // A strip is drawn once on screen: wait for the picture of its current states.
    await w.page.waitForFunction(() => {
      const s = document.querySelector('.partition-strip[data-strip="extract"]') as HTMLElement;
      return s?.dataset.drawn === s?.dataset.version;
    });
    return w.page.evaluate(async () => {
      const img = document.querySelector(
        '.partition-strip[data-strip="extract"]',
      ) as HTMLImageElement;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 1, c.width, 1).data;
      const xs: string[] = [];
      for (let x = 0; x < c.width; x++) xs.push([d[x * 4], d[x * 4 + 1], d[x * 4 + 2]].join(','));
      return { xs, n: Number(img.dataset.partitions) };
    });
  };
  const pixel = async (i: number) => {
    const { xs, n } = await row();
    return xs[Math.floor(((i + 0.5) / n) * xs.length)];
  };
  const colour = (status: string) =>
    w.page.evaluate((status) => {
      const s = document.createElement('span');
      s.className = `status-${status}`;
      document.body.append(s);
      const css = getComputedStyle(s).getPropertyValue('--status').trim();
      s.remove();
      const c = document.createElement('canvas').getContext('2d')!;
      c.fillStyle = css;
      c.fillRect(0, 0, 1, 1);
      return [...c.getImageData(0, 0, 1, 1).data.slice(0, 3)].join(',');
    }, status);
  const nodeStatus = (id: string) =>
    w.page.getAttribute(`.react-flow__node[data-id="${id}"]`, 'data-status');
  return { ...w, pixel, row, colour, nodeStatus };
}

test('a strip per partitioned node, coloured by state; the picker and a strip click choose what nodes show; live events repaint', async () => {
  const keys = days(30);
  // 10 complete, 1 failed (index 10), 4 stale, the rest never run.
  const extract = 'c'.repeat(10) + 'f' + 's'.repeat(4) + '.'.repeat(15);
  const w = await open({ keys, tasks: { extract } });
  assert.equal(
    await w.page.locator('.partition-strip[data-strip="train"]').count(),
    0,
    'train is not partitioned',
  );
  assert.equal(
    await w.page.getAttribute('.partition-strip[data-strip="extract"]', 'data-partitions'),
    '30',
  );
  assert.equal(
    await w.page.getAttribute('.partition-strip[data-strip="extract"]', 'data-summary'),
    '15 never run · 10 complete · 4 stale · 1 failed',
  );
  assert.equal(await w.pixel(3), await w.colour('complete'));
  assert.equal(await w.pixel(10), await w.colour('failed'));
  assert.equal(await w.pixel(12), await w.colour('stale'));
  assert.notEqual(await w.pixel(3), await w.pixel(10));
  // The nodes show the latest partition: never run.
  assert.equal(await w.nodeStatus('extract'), 'pending');
  assert.equal(await w.nodeStatus('train'), 'pending');
  // A click on the failed cell shows that partition: the node turns failed, the picker says which.
  const box = (await w.page.locator('.partition-strip[data-strip="extract"]').boundingBox())!;
  await w.page.mouse.click(box.x + ((10 + 0.5) / 30) * box.width, box.y + box.height / 2);
  await w.page.waitForFunction(
    () =>
      document
        .querySelector('.react-flow__node[data-id="extract"]')
        ?.getAttribute('data-status') === 'failed',
  );
  assert.equal(
    await w.page.evaluate(
      () => (document.querySelector('#partition-picker') as HTMLSelectElement).value,
    ),
    keys[10],
  );
  // The picker back to "Latest".
  await w.page.evaluate(() => {
    const p = document.querySelector('#partition-picker') as HTMLSelectElement;
    p.value = '';
    p.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await w.page.waitForFunction(
    () =>
      document
        .querySelector('.react-flow__node[data-id="extract"]')
        ?.getAttribute('data-status') === 'pending',
  );
  // A backfill's events: the latest partition runs, then succeeds; the strip and node follow live.
  const base = { ts: new Date().toISOString(), run: 'r1' };
  await w.send({
    type: 'run/event',
    event: {
      ...base,
      event: 'run_started',
      pipeline: 'daily',
      file: 'x',
      tasks: ['extract@' + keys[29]],
      params: {},
      workers: 2,
      partitions: [keys[29]!],
    },
  });
  await w.send({
    type: 'run/event',
    event: { ...base, event: 'task_started', task: 'extract', partition: keys[29], attempt: 1 },
  });
  await w.page.waitForFunction(
    () =>
      document
        .querySelector('.react-flow__node[data-id="extract"]')
        ?.getAttribute('data-status') === 'running',
  );
  assert.equal(await w.pixel(29), await w.colour('running'));
  await w.send({
    type: 'run/event',
    event: {
      ...base,
      event: 'task_finished',
      task: 'extract',
      partition: keys[29],
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 5,
    },
  });
  await w.page.waitForFunction(
    () =>
      document
        .querySelector('.react-flow__node[data-id="extract"]')
        ?.getAttribute('data-status') === 'success',
  );
  assert.equal(await w.pixel(29), await w.colour('success'));
  // An event of another partition changes that cell only.
  assert.equal(await w.pixel(10), await w.colour('failed'));
  await w.page.close();
});

test('1,000 partitions: one pixel column each, a single failed partition still shows', async () => {
  const keys = days(1000);
  const states = [...'c'.repeat(1000)];
  states[617] = 'f';
  const w = await open({ keys, tasks: { extract: states.join('') } });
  assert.equal(
    await w.page.getAttribute('.partition-strip[data-strip="extract"]', 'data-partitions'),
    '1000',
  );
  const red = await w.colour('failed');
  const found = (await w.row()).xs;
  assert.ok(found.includes(red), 'the failed partition has a column');
  assert.ok(found.filter((c) => c === red).length <= 3, 'and only about one');
  await w.page.close();
});

test("a partitioned node's menu: Run partition… (the shown one) and Backfill…; an unpartitioned node has neither", async () => {
  const keys = days(5);
  const w = await open({ keys, tasks: { extract: 'ccccc' } });
  await w.page.locator('.react-flow__node[data-id="train"] [data-action="menu"]').click();
  assert.equal(await w.page.locator('[data-menu="runPartition"]').count(), 0);
  assert.equal(await w.page.locator('[data-menu="backfill"]').count(), 0);
  await w.page.keyboard.press('Escape');
  await w.page.mouse.click(5, 300);
  await w.page.locator('.react-flow__node[data-id="extract"] [data-action="menu"]').click();
  await w.page.locator('[data-menu="runPartition"]').click();
  await w.page.locator('.react-flow__node[data-id="extract"] [data-action="menu"]').click();
  await w.page.locator('[data-menu="backfill"]').click();
  const sent = (await w.posted()).filter((m) => m.type.startsWith('run/'));
  assert.deepEqual(sent, [
    { type: 'run/partition', task: 'extract', partition: keys[4] },
    { type: 'run/backfill', task: 'extract' },
  ]);
  await w.page.close();
});
