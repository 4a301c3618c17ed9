/** The real webview bundle in Debian's Chromium, at its real boundary: acquireVsCodeApi records posts, tests post host messages. */
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { HostToWebview } from '../../core/protocol/webview';
import { toGraphModel } from '../../core/protocol/graphModel';
import { validate } from '../../core/validate/validate';

const DIST = path.resolve(import.meta.dirname, '..', '..', 'dist', 'webview');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A light and a dark theme: the variables VS Code sets on a webview's body. */
export const THEMES = {
  dark: 'body{--vscode-foreground:#cccccc;--vscode-editor-background:#1e1e1e;--vscode-editorWidget-background:#252526;--vscode-panel-border:#444;--vscode-focusBorder:#007fd4;--vscode-font-family:sans-serif;background:#1e1e1e;color:#ccc}',
  light:
    'body{--vscode-foreground:#333333;--vscode-editor-background:#ffffff;--vscode-editorWidget-background:#f3f3f3;--vscode-panel-border:#ccc;--vscode-focusBorder:#0090f1;--vscode-font-family:sans-serif;background:#fff;color:#333}',
};

export function serve(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const file = path.join(DIST, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.css')
        ? 'text/css'
        : file.endsWith('.html')
          ? 'text/html'
          : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WebviewPage {
  page: Page;
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  send(m: HostToWebview): Promise<void>;
}

export async function openWebview(
  browser: Browser,
  base: string,
  theme: keyof typeof THEMES = 'dark',
  size = { width: 1280, height: 800 },
  /** The view state VS Code would restore (getState), e.g. a saved viewport. */
  state?: unknown,
): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: size });
  // A string, not a function: tsx's helpers (__name) do not exist inside the page.
  await page.addInitScript(`
    window.__posted = [];
    window.__state = ${JSON.stringify(state ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  `);
  await page.goto(`${base}/test-page.html`);
  await page.evaluate((css) => {
    (document.getElementById('theme') as HTMLStyleElement).textContent = css;
  }, THEMES[theme]);
  // A message sent before the webview listens is lost: every test starts once it said `ready`.
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(
      (m) => m.type === 'ready',
    ),
  );
  return {
    page,
    posted: () =>
      page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    send: (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m),
  };
}

export function graphOf(text: string) {
  return toGraphModel(validate(text), text);
}

/**
 * Where screenshots go: docs/ only when `npm run screenshots` asks (TRIBUTARY_SCREENSHOTS_DIR),
 * else a temp folder, so that `npm test` leaves the work tree clean.
 */
export function shotsDir(): string {
  const dir =
    process.env.TRIBUTARY_SCREENSHOTS_DIR ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-shots-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The static server and Chromium a test file shares: started before its first test, closed
 * after its last. Read `browser` and `url` inside tests (they are set by then).
 */
export function sharedBrowser(): { browser: Browser; url: string } {
  const shared = { url: '' } as { browser: Browser; url: string };
  let close = (): void => {};
  before(async () => {
    const server = await serve();
    shared.url = server.url;
    close = server.close;
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    close();
  });
  return shared;
}
