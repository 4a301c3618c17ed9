/** The run-extras suite (full log, run with params, terminal vs graph) inside code-server's extension host; it fails (never skips) if VS Code cannot run. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSuite, demoWorkspace, openVsCode } from './harness';

async function runSuite(trust: boolean): Promise<void> {
  let done: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (done = r));
  const vscode = await openVsCode({
    workspace: demoWorkspace(),
    testsPath: await buildSuite('run-extras-suite'), // its own bundle: others may build theirs meanwhile
    trust,
    env: { TRIBUTARY_TEST_SUITE: 'runExtras' },
    onExit: (c) => done(c),
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exit,
      new Promise<number>((r) => (timer = setTimeout(() => r(-1), 300_000))),
    ]);
    clearTimeout(timer);
    const mocha = vscode.logs.filter(
      (l) =>
        /[✔✖]|passing|failing|pending|Error|assert/i.test(l) &&
        !/open-vsx|getaddrinfo|gallery/.test(l),
    );
    console.log((code === 0 ? mocha : vscode.logs).join('\n'));
    assert.equal(code, 0, 'the run-extras suite passes (see the log above)');
    assert.ok(vscode.logs.some((l) => /passing/.test(l)));
  } finally {
    await vscode.stop();
  }
}

test(
  'in a real VS Code (code-server): Show Full Log per attempt, Run Pipeline with Params…, no terminal over the graph',
  { timeout: 600_000 },
  () => runSuite(true),
);
