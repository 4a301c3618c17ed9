/** The mocha suites inside code-server's extension host; they fail (never skip) if VS Code cannot run. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSuite, demoWorkspace, openVsCode } from './harness';

async function runSuite(o: { trust: boolean; env?: Record<string, string> }): Promise<void> {
  const suite = await buildSuite();
  let done: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (done = r));
  const vscode = await openVsCode({
    workspace: demoWorkspace(),
    testsPath: suite,
    trust: o.trust,
    ...(o.env ? { env: o.env } : {}),
    onExit: (c) => done(c),
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exit,
      new Promise<number>((r) => (timer = setTimeout(() => r(-1), 300_000))),
    ]);
    clearTimeout(timer);
    // The workbench logs much (offline gallery lookups): show mocha's lines, or everything on failure.
    const mocha = vscode.logs.filter(
      (l) =>
        /[✔✖]|passing|failing|pending|Error|assert/i.test(l) &&
        !/open-vsx|getaddrinfo|gallery/.test(l),
    );
    console.log((code === 0 ? mocha : vscode.logs).join('\n'));
    assert.equal(code, 0, 'the extension-host tests pass (see the log above)');
    assert.ok(
      vscode.logs.some((l) => /passing/.test(l)),
      'mocha reported its tests',
    );
  } finally {
    await vscode.stop();
  }
}

test('extension-host suite in a real VS Code (code-server)', { timeout: 600_000 }, () =>
  runSuite({ trust: true }),
);

test(
  'extension-host suite in a restricted window: diagnostics, and nothing runs',
  { timeout: 600_000 },
  () => runSuite({ trust: false, env: { TRIBUTARY_TEST_RESTRICTED: '1' } }),
);
