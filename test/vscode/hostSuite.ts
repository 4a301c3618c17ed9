/** Runs one mocha suite of test/vscode/suite/ inside code-server's extension host; fails (never skips) if VS Code cannot run. */
import assert from 'node:assert/strict';
import { buildSuite, demoWorkspace, openVsCode } from './harness';

export interface HostSuite {
  /** Its own bundle folder under out/test/ (others may build theirs meanwhile). */
  bundle?: string;
  /** What the failure message calls it. */
  name: string;
  trust: boolean;
  env?: Record<string, string>;
}

export async function runHostSuite(o: HostSuite): Promise<void> {
  const testsPath = await buildSuite(o.bundle);
  let done: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (done = r));
  const vscode = await openVsCode({
    workspace: demoWorkspace(),
    testsPath,
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
    assert.equal(code, 0, `${o.name} passes (see the log above)`);
    assert.ok(
      vscode.logs.some((l) => /passing/.test(l)),
      'mocha reported its tests',
    );
  } finally {
    await vscode.stop();
  }
}
