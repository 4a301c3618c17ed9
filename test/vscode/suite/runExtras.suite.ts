/** Inside a real VS Code: Show Full Log (per attempt, following a run), Run Pipeline with Params…, the terminal kept off a visible graph. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../core/protocol/webview';
import type { RunEvent } from '../../../core/run/events';
import { folder, api, waitFor, sleep } from './common';

/**
 * Runs `command` every 200 ms until `p` settles: an input box that is not open yet ignores the
 * command, so one try after a fixed sleep can be lost on a slow machine.
 */
async function repeatUntilSettled<T>(p: Thenable<T>, command: string): Promise<T> {
  let settled = false;
  const done = Promise.resolve(p).finally(() => (settled = true));
  while (!settled) {
    await vscode.commands.executeCommand(command);
    await Promise.race([done, sleep(200)]);
  }
  return done;
}

async function writeDoc(name: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(folder(), name);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Runs `start` and returns the events of the run it starts, once it has finished. */
async function runEvents(file: string, start: () => Thenable<unknown>): Promise<RunEvent[]> {
  const { runs } = await api();
  const events: RunEvent[] = [];
  const sub = runs.onUpdate((u) => u.file === file && events.push(u.event));
  try {
    assert.equal(await start(), true, 'the command started a run');
    await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run to finish');
    await waitFor(() => !runs.active(file), 'the runner to exit');
    return events;
  } finally {
    sub.dispose();
  }
}

/** The text of the log tab that is now active. */
async function activeLog(): Promise<string> {
  const editor = await waitFor(
    () =>
      vscode.window.activeTextEditor?.document.uri.scheme === 'tributary-log' &&
      vscode.window.activeTextEditor,
    'a log tab',
  );
  return editor.document.getText();
}

const RETRIES = `pipeline: retries
tasks:
  flaky:
    retries: 2
    retry_delay: 10ms
    run: |
      if [ "$TRIBUTARY_ATTEMPT" = 1 ]; then echo "first try output"; exit 1; fi
      if [ "$TRIBUTARY_ATTEMPT" = 2 ]; then exit 2; fi
      echo "third try ok"
  silent:
    run: exit 3
`;

export function runExtrasSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Full log, params, terminal');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t(
    'Show Full Log: every attempt in its section, how it ended, a silent failure said so',
    async () => {
      const doc = await writeDoc('retries.pipeline.yaml', RETRIES);
      await runEvents(doc.uri.fsPath, () =>
        vscode.commands.executeCommand('tributary.runPipeline', doc.uri),
      );
      assert.equal(
        await vscode.commands.executeCommand('tributary.showFullLog', doc.uri, 'flaky'),
        true,
      );
      const flaky = await activeLog();
      const headers = flaky.match(/^── attempt \d of 3 · .+ ──$/gm) ?? [];
      assert.equal(headers.length, 3, flaky);
      const [one, two, three] = flaky.split(/^── attempt \d of 3 · .+ ──$/m).slice(1);
      assert.match(one ?? '', /first try output\n\(attempt 1 failed: .*exit.*1.*retried/, flaky);
      assert.match(two ?? '', /^\n\(attempt 2 printed nothing\)\n\(attempt 2 failed/, flaky);
      assert.match(three ?? '', /third try ok\n\(attempt 3 success/, flaky);
      assert.doesNotMatch(flaky, /running…/);

      // From the graph's node menu ("Open full log"): the same tab kind, for the silent failure.
      const { graph } = await api();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await graph.receive(doc, { type: 'task/openLog', task: 'silent' }, () => {});
      const silent = await activeLog();
      assert.match(
        silent,
        /^── attempt 1 of 1 · .+ ──\n\(attempt 1 printed nothing\)\n\(attempt 1 failed: exit code 3 · /m,
        silent,
      );

      // "Show log" in the panel: only the attempt the node's state comes from (the third).
      const got: HostToWebview[] = [];
      await graph.receive(doc, { type: 'task/showLog', task: 'flaky' }, (m) => got.push(m));
      const log = got.find((m) => m.type === 'task/log');
      assert.ok(log && log.type === 'task/log');
      assert.equal(log.attempt, 3);
      assert.deepEqual(log.lines.slice(1), ['third try ok']);

      // A crafted link to a folder outside the workspace is refused; one naming a workspace
      // pipeline file (a tab restored after a reload) is served.
      const run = (flaky.match(/^run (\S+)$/m) ?? [])[1]!;
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-crafted-'));
      fs.mkdirSync(path.join(outside, '.tributary', 'logs', run), { recursive: true });
      fs.writeFileSync(path.join(outside, '.tributary', 'logs', run, 'flaky.log'), 'SECRET\n');
      const crafted = (file: string) =>
        vscode.Uri.from({
          scheme: 'tributary-log',
          path: '/x/flaky.log',
          query: new URLSearchParams({ file, task: 'flaky', run }).toString(),
        });
      const far = await vscode.workspace.openTextDocument(
        crafted(path.join(outside, 'x.pipeline.yaml')),
      );
      assert.match(far.getText(), /^\(refused: /);
      assert.doesNotMatch(far.getText(), /SECRET/);
      const near = await vscode.workspace.openTextDocument(crafted(doc.uri.fsPath));
      assert.match(near.getText(), /third try ok/);
    },
  );

  t('the full log follows a running task, then shows how it ended', async () => {
    const doc = await writeDoc(
      'follow.pipeline.yaml',
      'pipeline: follow\ntasks:\n  slow:\n    run: echo "line one"; sleep 2; echo "line two"; sleep 1\n',
    );
    const { runs } = await api();
    const events: RunEvent[] = [];
    const sub = runs.onUpdate((u) => u.file === doc.uri.fsPath && events.push(u.event));
    try {
      assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', doc.uri), true);
      await waitFor(() => events.find((e) => e.event === 'task_started'), 'the task to start');
      await vscode.commands.executeCommand('tributary.showFullLog', doc.uri, 'slow');
      const shown = await waitFor(
        () =>
          vscode.window.activeTextEditor?.document.uri.scheme === 'tributary-log' &&
          vscode.window.activeTextEditor.document,
        'the log tab',
      );
      assert.match(shown.getText(), /running…/, 'opened while running');
      assert.doesNotMatch(shown.getText(), /line two/);
      // The same document, not reopened: it refreshes by itself.
      await waitFor(() => /line two/.test(shown.getText()), 'the second line to appear');
      await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run to finish');
      await waitFor(() => /\(attempt 1 success/.test(shown.getText()), 'the end of the attempt');
      // Once the runner has exited, the title no longer says it runs.
      await waitFor(() => !/running…/.test(shown.getText()), 'the title to drop "running…"');
    } finally {
      sub.dispose();
    }
  });

  t('Run Pipeline with Params…: an input per param, prefilled; Escape runs nothing', async () => {
    const doc = await writeDoc(
      'params.pipeline.yaml',
      'pipeline: params\nparams:\n  day: "2024-01-31"\n  name: world\ntasks:\n  hello:\n    run: echo "hello ${params.name} ${params.day}"\n',
    );
    const { runs } = await api();
    // Escape at the first input: no run starts.
    let started = 0;
    const onStart = runs.onStart((x) => x.file === doc.uri.fsPath && started++);
    const cancelled = vscode.commands.executeCommand('tributary.runWithParams', doc.uri);
    assert.equal(await repeatUntilSettled(cancelled, 'workbench.action.closeQuickOpen'), false);
    await sleep(500);
    assert.equal(started, 0, 'Escape started no run');
    onStart.dispose();
    // Enter twice: the defaults, as the run's record says.
    const events = await runEvents(doc.uri.fsPath, () =>
      repeatUntilSettled(
        vscode.commands.executeCommand('tributary.runWithParams', doc.uri),
        'workbench.action.acceptSelectedQuickOpenItem',
      ),
    );
    const first = events[0];
    assert.ok(first?.event === 'run_started');
    assert.deepEqual(first.params, { day: '2024-01-31', name: 'world' });
  });

  t(
    'with a graph in view the run keeps the terminal closed; tributary.revealTerminal says otherwise',
    async () => {
      const doc = await writeDoc(
        'quiet.pipeline.yaml',
        'pipeline: quiet\ntasks:\n  a:\n    run: "true"\n',
      );
      const reveals: (vscode.TaskRevealKind | -1)[] = [];
      const sub = vscode.tasks.onDidStartTask((e) => {
        if (e.execution.task.definition.file === doc.uri.fsPath)
          reveals.push(e.execution.task.presentationOptions.reveal ?? -1);
      });
      const run = () =>
        runEvents(doc.uri.fsPath, () =>
          vscode.commands.executeCommand('tributary.runPipeline', doc.uri),
        );
      const config = vscode.workspace.getConfiguration('tributary');
      try {
        await run(); // no graph: the terminal opens
        await vscode.commands.executeCommand('tributary.openGraphToSide', doc.uri);
        await waitFor(
          () =>
            vscode.window.tabGroups.all.some(
              (g) => g.activeTab?.input instanceof vscode.TabInputCustom,
            ),
          'the graph tab',
        );
        await run(); // the graph is in view: it stays closed
        await config.update('revealTerminal', 'always', vscode.ConfigurationTarget.Workspace);
        await run();
        await config.update('revealTerminal', 'never', vscode.ConfigurationTarget.Workspace);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await run();
        assert.deepEqual(reveals, [
          vscode.TaskRevealKind.Always,
          vscode.TaskRevealKind.Never,
          vscode.TaskRevealKind.Always,
          vscode.TaskRevealKind.Never,
        ]);
      } finally {
        sub.dispose();
        await config.update('revealTerminal', undefined, vscode.ConfigurationTarget.Workspace);
      }
    },
  );
}
