/** Steps in a real VS Code page that several e2e tests take: find the graph's frame, run a palette command. */
import type { Frame, Page } from 'playwright-core';

/** The webview frame that shows `selector` (the graph once it drew what the test needs). */
export async function frameWith(
  page: Page,
  selector: string,
  what: string,
  timeoutMs = 90_000,
): Promise<Frame> {
  const start = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      const n = await f
        .locator(selector)
        .count()
        .catch(() => 0);
      if (n) return f;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`the graph webview did not show ${what}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Runs a command from the palette and waits for the palette to close. The text is filled into
 * the box, not typed: a notification arriving meanwhile (a run that just ended) can take the
 * keystrokes and leave the palette open over the page.
 */
export async function command(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press('F1');
    const box = widget.locator('input.input').first();
    const open = await box.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (!open) {
      // F1 went to a webview or a notification: give the workbench the keyboard, then again.
      await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
      continue;
    }
    // The palette closes if focus moves on (a terminal opening for the run): then again.
    if (
      !(await box.fill(`>${title}`, { timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    if (
      await row.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    ) {
      await box.press('Enter');
      if (
        await widget.waitFor({ state: 'hidden', timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    await page.keyboard.press('Escape');
  }
  throw new Error(`the command palette did not run ${title}`);
}
