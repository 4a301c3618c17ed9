/** The graph in a narrow or short editor group (beside the YAML), in a real Chromium: every toolbar action reachable and inside the pane, its words readable, the graph still tall enough. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DAILY, showFullToolbar } from './fullToolbar';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const SHOTS = process.env.TRIBUTARY_NARROW_SHOTS ?? shotsDir();
fs.mkdirSync(SHOTS, { recursive: true });
const shared = sharedBrowser();

/** Every toolbar action, by the id tests and people reach it by. */
const ACTIONS = [
  'run-all',
  'run-params',
  'stop',
  'plan',
  'add-task',
  'partition-picker',
  'direction',
  'focus',
  'status-filter',
  'history',
  'fit',
  'legend-toggle',
  'search',
];

const SIZES = [
  { width: 1280, height: 800, theme: 'light' },
  { width: 700, height: 600, theme: 'dark' },
  { width: 500, height: 500, theme: 'light' },
  { width: 380, height: 700, theme: 'dark' },
  { width: 300, height: 600, theme: 'light' },
] as const;

async function open(size: (typeof SIZES)[number]): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url, size.theme, size);
  await showFullToolbar(w);
  // A run goes: Stop is enabled.
  await w.send({ type: 'run/reset' });
  await w.page.waitForFunction(() => !document.querySelector('#stop')?.hasAttribute('disabled'));
  return w;
}

/** Actions whose middle is on screen and not covered (what a click there would hit). */
function onScreen(w: WebviewPage, ids: string[]): Promise<string[]> {
  return w.page.evaluate((ids) => {
    const seen: string[] = [];
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) continue;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (hit && (hit === el || el.contains(hit))) seen.push(id);
    }
    return seen;
  }, ids);
}

/** Toolbar elements (the open menu too) that reach out of the pane, or whose words are cut. */
function spills(w: WebviewPage): Promise<string[]> {
  return w.page.evaluate(() => {
    const bad: string[] = [];
    for (const e of document.querySelectorAll('.toolbar, .toolbar *')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (
        r.left < -0.5 ||
        r.top < -0.5 ||
        r.right > innerWidth + 0.5 ||
        r.bottom > innerHeight + 0.5
      )
        bad.push(`${e.tagName}#${e.id}.${e.className} out of the pane (${r.left}…${r.right})`);
    }
    // A menu item is one line (its words not broken down a narrow box), unless a list is open in it.
    for (const e of document.querySelectorAll<HTMLElement>('[data-menu-item]'))
      if (e.getBoundingClientRect().height > 40 && !e.querySelector('.filter-list, .legend-list'))
        bad.push(`${e.dataset.menuItem} is more than one line`);
    // Words cut without an ellipsis: an item whose content is wider than its box.
    for (const e of document.querySelectorAll<HTMLElement>('[data-item], [data-menu-item]'))
      if (e.scrollWidth > e.clientWidth + 1)
        bad.push(
          `${e.dataset.item ?? e.dataset.menuItem} cut (${e.scrollWidth} > ${e.clientWidth})`,
        );
    return bad;
  });
}

/** Every action has a name a person can read: its words, or a tooltip when drawn as an icon. */
function unnamed(w: WebviewPage): Promise<string[]> {
  return w.page.evaluate((ids) => {
    return ids.filter((id) => {
      const el = document.getElementById(id);
      if (!el) return false;
      const words = (el.textContent ?? '').trim();
      const tip =
        el.getAttribute('title') ?? el.getAttribute('aria-label') ?? el.getAttribute('placeholder');
      return !words && !tip;
    });
  }, ACTIONS);
}

const graphHeight = (w: WebviewPage) =>
  w.page.evaluate(() => document.querySelector('.react-flow')!.getBoundingClientRect().height);

for (const size of SIZES)
  test(`${size.width}×${size.height} (${size.theme}): every toolbar action is reachable, inside the pane, and the graph keeps its height`, async () => {
    const w = await open(size);
    const tag = `${size.width}x${size.height}-${size.theme}`;
    await w.page.screenshot({ path: path.join(SHOTS, `narrow-${tag}.png`) });

    // One row, whatever the width: the toolbar never eats the graph's height.
    const bar = (await w.page.locator('.toolbar').boundingBox())!;
    assert.ok(bar.height <= 48, `the toolbar is one row (${bar.height} px high)`);

    // In the row, or in the "…" menu once opened: never cut off, never pushed out of view.
    const inRow = await onScreen(w, ACTIONS);
    const more = w.page.locator('#toolbar-more');
    let inMenu: string[] = [];
    assert.deepEqual(await spills(w), [], 'the toolbar row stays inside the pane');
    if (inRow.length < ACTIONS.length) {
      assert.ok(await more.isVisible(), `"…" is offered (the row shows only ${inRow.join(', ')})`);
      await more.click();
      await w.page.locator('#toolbar-menu').waitFor();
      inMenu = await onScreen(
        w,
        ACTIONS.filter((a) => !inRow.includes(a)),
      );
      await w.page.screenshot({ path: path.join(SHOTS, `narrow-${tag}-menu.png`) });
      assert.deepEqual(await spills(w), [], 'the open menu stays inside the pane');
    }
    assert.deepEqual(
      ACTIONS.filter((a) => !inRow.includes(a) && !inMenu.includes(a)),
      [],
      'no action is out of reach',
    );
    assert.deepEqual(await unnamed(w), [], 'every action says what it does');
    // Run all and Stop never leave the row.
    assert.ok(inRow.includes('run-all') && inRow.includes('stop'), `row: ${inRow.join(', ')}`);

    // An action from the menu works and closes it; where nothing overflows, from the row.
    await w.page.locator('#plan').click();
    await w.page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some(
        (m) => m.type === 'run/plan',
      ),
    );
    if (inMenu.includes('plan'))
      await w.page.locator('#toolbar-menu').waitFor({ state: 'detached' });
    // The layout, from wherever it is: the graph turns top-down (or back).
    if (inMenu.includes('direction')) await more.click();
    const before = await w.page
      .locator('#direction')
      .evaluate((e) => (e as HTMLSelectElement).value);
    await w.page.locator('#direction').click();
    const other = before === 'DOWN' ? 'RIGHT' : 'DOWN';
    await w.page.locator(`#direction vscode-option[value="${other}"]`).click();
    await w.page.waitForFunction(
      (d) =>
        (window as unknown as { __posted: { type: string; direction?: string }[] }).__posted.some(
          (m) => m.type === 'view/direction' && m.direction === d,
        ),
      other,
    );
    await w.page.keyboard.press('Escape');
    await w.page.locator('#toolbar-menu').waitFor({ state: 'detached' });

    // The graph keeps a useful height: alone, with a task's properties, and with the history too.
    const min = 0.4 * size.height;
    assert.ok((await graphHeight(w)) >= min, `graph ${await graphHeight(w)} px of ${size.height}`);
    // The layout just changed direction and may still be moving its nodes: click until selected.
    for (let i = 0; ; i++) {
      await w.page.locator('.react-flow__node[data-id="validate"]').click();
      try {
        await w.page.locator('aside.panel').waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (i === 4) throw e;
      }
    }
    const withPanel = await graphHeight(w);
    await w.page.screenshot({ path: path.join(SHOTS, `narrow-${tag}-panel.png`) });
    assert.ok(
      withPanel >= min,
      `with the properties panel: graph ${withPanel} px of ${size.height}`,
    );
    if (inMenu.includes('history')) await more.click();
    await w.page.locator('#history').click();
    await w.page.locator('.history').waitFor();
    const withBoth = await graphHeight(w);
    const width = await w.page.evaluate(
      () => document.querySelector('.react-flow')!.getBoundingClientRect().width,
    );
    await w.page.screenshot({ path: path.join(SHOTS, `narrow-${tag}-history.png`) });
    assert.ok(
      withBoth >= min,
      `with properties and history: graph ${withBoth} px of ${size.height}`,
    );
    assert.ok(
      width >= Math.min(size.width, 400) * 0.5,
      `with properties and history: graph ${width} px wide`,
    );
    await w.page.close();
  });

test('380 px: a long plan error and a shown past run wrap inside the pane, their buttons on screen', async () => {
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 380, height: 700 });
  await w.send({ type: 'init', version: 1, graph: graphOf(DAILY), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const inside = (sel: string) =>
    w.page.evaluate((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return r.left >= 0 && r.right <= innerWidth && r.width > 0;
    }, sel);
  await w.send({
    type: 'plan/error',
    message:
      'could not reach postgres://warehouse.example.invalid:5432/weather (connection refused after 5 s)',
  });
  await w.page.locator('.plan-error').waitFor();
  await w.page.screenshot({ path: path.join(SHOTS, 'narrow-380-plan-error.png') });
  assert.ok(await inside('.plan-error'), 'the plan error is inside the pane');
  assert.ok(await inside('#plan-clear'), 'its dismiss button is on screen');
  await w.page.locator('#plan-clear').click();
  await w.page.locator('.plan-error').waitFor({ state: 'detached' });

  // A past run chosen in the history: the banner says so, and "Back to now" is in reach.
  await w.page.locator('#history').click();
  const at = (ms: number) => new Date(Date.parse('2026-11-20T00:00:00.000Z') + ms).toISOString();
  const run = {
    id: 'run-1',
    started: at(0),
    status: 'failed',
    duration_ms: 4000,
    trigger: null,
    skipped: 0,
    tasks: [
      {
        task: 'ingest',
        status: 'failed',
        attempts: 1,
        queued: at(0),
        started: at(0),
        finished: at(4000),
        duration_ms: 4000,
      },
    ],
  };
  await w.send({ type: 'history/data', runs: [run] } as never);
  await w.page.locator('.history .run').first().click();
  await w.page.locator('.shown-run').waitFor();
  await w.page.screenshot({ path: path.join(SHOTS, 'narrow-380-shown-run.png') });
  assert.ok(await inside('.shown-run'), 'the shown-run banner is inside the pane');
  assert.ok(await inside('#history-now'), '"Back to now" is on screen');
  await w.page.locator('#history-now').click();
  await w.page.locator('.shown-run').waitFor({ state: 'detached' });
  await w.page.close();
});

test('380 px, keyboard only: "…" opens the menu on its first action, arrows move, Escape closes it back on "…"', async () => {
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 380, height: 700 });
  await w.send({ type: 'init', version: 1, graph: graphOf(DAILY), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  await w.page.locator('#toolbar-more').focus();
  await w.page.keyboard.press('Enter');
  await w.page.locator('#toolbar-menu').waitFor();
  const focused = () =>
    w.page.evaluate(
      () =>
        document.activeElement?.closest('[data-menu-item]')?.getAttribute('data-menu-item') ??
        document.activeElement?.id,
    );
  const first = await focused();
  assert.ok(first && first !== 'toolbar-more', `an action has the focus (${first})`);
  await w.page.keyboard.press('ArrowDown');
  const second = await focused();
  assert.notEqual(second, first, 'ArrowDown moves to the next action');
  await w.page.keyboard.press('ArrowUp');
  assert.equal(await focused(), first, 'ArrowUp moves back');
  await w.page.keyboard.press('Escape');
  await w.page.locator('#toolbar-menu').waitFor({ state: 'detached' });
  assert.equal(await focused(), 'toolbar-more', 'the focus is back on "…"');
  await w.page.close();
});

test('380 px: Focus switched on from the "…" menu is still said on "…" once the menu is closed', async () => {
  const w = await openWebview(shared.browser, shared.url, 'light', { width: 380, height: 700 });
  await w.send({ type: 'init', version: 1, graph: graphOf(DAILY), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const more = w.page.locator('#toolbar-more');
  assert.equal(await more.getAttribute('title'), 'More actions');
  await more.click();
  await w.page.locator('#toolbar-menu #focus').click();
  await w.page.locator('#toolbar-menu').waitFor({ state: 'detached' });
  assert.equal(await more.getAttribute('title'), 'More actions (Focus on)');
  assert.equal(await w.page.locator('#toolbar-more .toolbar-more-on').count(), 1);
  await w.page.screenshot({ path: path.join(SHOTS, 'narrow-380-focus-on.png') });
  await more.click();
  assert.equal(await w.page.locator('#toolbar-menu #focus').getAttribute('aria-pressed'), 'true');
  await w.page.close();
});
