/** The "…" menu of a narrow graph toolbar, in a real Chromium: a picker in it opens whole, and an action chosen from it by keyboard leaves the focus on "…". */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { showFullToolbar } from './fullToolbar';
import { openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const SHOTS = shotsDir();
fs.mkdirSync(SHOTS, { recursive: true });
const shared = sharedBrowser();

async function open(): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 380, height: 700 });
  await showFullToolbar(w);
  return w;
}

test('380 px: the partition picker in "…" opens its whole list, not cut at the menu’s edge', async () => {
  const w = await open();
  await w.page.locator('#toolbar-more').click();
  await w.page.locator('#toolbar-menu #partition-picker').click();
  await w.page.waitForFunction(() =>
    document.querySelector('#toolbar-menu #partition-picker')?.hasAttribute('open'),
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'narrow-380-menu-picker.png') });
  // Every option inside the list's own box (the rest it scrolls to) is what a click there hits.
  const cut = await w.page.evaluate(() => {
    const dd = document.querySelector('#toolbar-menu #partition-picker')!;
    const list = dd
      .shadowRoot!.querySelector('.listbox, [part~="listbox"]')!
      .getBoundingClientRect();
    const bad: string[] = [];
    let shown = 0;
    for (const o of dd.querySelectorAll('vscode-option')) {
      const r = o.getBoundingClientRect();
      if (r.top < list.top || r.bottom > list.bottom + 0.5 || r.bottom > innerHeight) continue;
      shown++;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(hit === o || o.contains(hit))) bad.push(`${o.textContent} (${hit?.tagName})`);
    }
    return { bad, shown };
  });
  assert.ok(cut.shown >= 5, `the list shows options (${cut.shown})`);
  assert.deepEqual(cut.bad, [], 'options in the open list are hidden by the menu');
  await w.page.close();
});

test('380 px, keyboard only: an action chosen in "…" with Enter gives the focus back to "…"', async () => {
  const w = await open();
  await w.page.locator('#toolbar-more').focus();
  await w.page.keyboard.press('Enter');
  await w.page.locator('#toolbar-menu').waitFor();
  const inMenu = () =>
    w.page.evaluate(() =>
      document.activeElement?.closest('[data-menu-item]')?.getAttribute('data-menu-item'),
    );
  for (let i = 0; i < 12 && (await inMenu()) !== 'plan'; i++)
    await w.page.keyboard.press('ArrowDown');
  assert.equal(await inMenu(), 'plan', 'Plan is in the menu and reached by the arrows');
  await w.page.keyboard.press('Enter');
  await w.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(
      (m) => m.type === 'run/plan',
    ),
  );
  await w.page.locator('#toolbar-menu').waitFor({ state: 'detached' });
  assert.equal(
    await w.page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName),
    'toolbar-more',
    'the focus is back on "…", not lost to the page',
  );
  await w.page.close();
});
