/** Inside a real VS Code: activation, diagnostics, a graph intent and its undo, a run with its events, cancel. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { RunEvent } from '../../../core/run/events';
import { folder, api, waitFor } from './common';

async function writeDoc(name: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(folder(), name);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

const codes = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .map(
      (d) =>
        `${d.range.start.line + 1}:${d.range.start.character + 1} ${typeof d.code === 'object' ? d.code.value : d.code}`,
    );

export function extensionSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Tributary in VS Code');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t('activates and contributes its commands', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'tributary.openGraph',
      'tributary.openGraphToSide',
      'tributary.runPipeline',
      'tributary.runTask',
      'tributary.rerunTask',
      'tributary.runDownstream',
      'tributary.stopRun',
      'tributary.plan',
    ]) {
      assert.ok(all.includes(id), id);
    }
  });

  t('diagnostics for an injected cycle and a missing input, on the right ranges', async () => {
    const doc = await writeDoc(
      'diag.pipeline.yaml',
      'pipeline: d\ntasks:\n  a:\n    run: echo a\n    needs: [b]\n  b:\n    run: echo b\n    needs: [a]\n    inputs: [nowhere.csv]\n',
    );
    const got = await waitFor(() => {
      const c = codes(doc.uri);
      return c.length >= 3 ? c : undefined;
    }, 'diagnostics');
    assert.deepEqual(got.sort(), ['5:13 cycle', '8:13 cycle', '9:14 missing-input'].sort());
  });

  t('a graph intent becomes one edit, and one undo restores the text', async () => {
    const { graph } = await api();
    const text = 'pipeline: g\ntasks:\n  a:\n    run: echo a   # keep me\n  b:\n    run: echo b\n';
    const doc = await writeDoc('graph.pipeline.yaml', text);
    await (
      graph as unknown as {
        applyIntent(d: vscode.TextDocument, i: unknown, post: (m: unknown) => void): Promise<void>;
      }
    ).applyIntent(doc, { kind: 'addDependency', task: 'b', needs: 'a' }, () => {});
    assert.equal(
      doc.getText(),
      'pipeline: g\ntasks:\n  a:\n    run: echo a   # keep me\n  b:\n    needs: [a]\n    run: echo b\n',
    );
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), text);
  });

  t('runs a small pipeline through its task and sees every event', async () => {
    const { runs } = await api();
    const doc = await writeDoc(
      'run.pipeline.yaml',
      'pipeline: r\ntasks:\n  make:\n    run: echo made > made.txt\n    outputs: [made.txt]\n  use:\n    run: cat made.txt\n    inputs: [made.txt]\n',
    );
    await doc.save();
    const events: RunEvent[] = [];
    const sub = runs.onUpdate((u) => u.file === doc.uri.fsPath && events.push(u.event));
    assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', doc.uri), true);
    await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run to finish');
    sub.dispose();
    const finished = events
      .filter((e) => e.event === 'task_finished')
      .map((e) => (e.event === 'task_finished' ? `${e.task}:${e.status}` : ''));
    assert.deepEqual(finished, ['make:success', 'use:success']);
    assert.ok(fs.existsSync(path.join(folder(), 'made.txt')));
  });

  t(
    'firing a file trigger by hand runs with ${trigger.file}, and serve starts in a terminal',
    async () => {
      const { runs } = await api();
      const doc = await writeDoc(
        'fire.pipeline.yaml',
        'pipeline: f\non:\n  - files: "drop/*.csv"\ntasks:\n  ingest:\n    run: echo "${trigger.file}" > fired.txt\n',
      );
      await doc.save();
      const events: RunEvent[] = [];
      const sub = runs.onUpdate((u) => u.file === doc.uri.fsPath && events.push(u.event));
      const fired = await vscode.commands.executeCommand('tributary.fireTrigger', doc.uri, {
        file: 'drop/day1.csv',
      });
      assert.equal(fired, true);
      const end = await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run');
      sub.dispose();
      assert.ok(end.event === 'run_finished' && end.status === 'success');
      assert.equal(
        fs.readFileSync(path.join(folder(), 'fired.txt'), 'utf8').trim(),
        'drop/day1.csv',
      );
      const terminal = (await vscode.commands.executeCommand('tributary.serve')) as
        vscode.Terminal | undefined;
      assert.equal(terminal?.name, 'Tributary serve');
      const pid = await terminal?.processId;
      assert.ok(pid && pid > 0);
      terminal?.dispose();
    },
  );

  t('the same task runs again after a run that could not start (invalid pipeline)', async () => {
    const { runs } = await api();
    const doc = await writeDoc(
      'again.pipeline.yaml',
      'pipeline: g\ntasks:\n  a:\n    needs: [ghost]\n    run: echo again > again.txt\n',
    );
    await doc.save();
    const exits: number[] = [];
    const sub = runs.onStart(
      ({ file, session }) => file === doc.uri.fsPath && session.onExit((c) => exits.push(c)),
    );
    assert.equal(await vscode.commands.executeCommand('tributary.runTask', doc.uri, 'a'), true);
    await waitFor(() => exits.length === 1, 'the first run to exit');
    assert.equal(exits[0], 2, 'an invalid pipeline exits 2');
    const fix = new vscode.WorkspaceEdit();
    fix.replace(
      doc.uri,
      new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
      'pipeline: g\ntasks:\n  a:\n    run: echo again > again.txt\n',
    );
    await vscode.workspace.applyEdit(fix);
    // Not saved on purpose: running saves the document first.
    assert.equal(await vscode.commands.executeCommand('tributary.runTask', doc.uri, 'a'), true);
    await waitFor(() => exits.length === 2, 'the second run to exit');
    sub.dispose();
    assert.equal(exits[1], 0);
    assert.ok(fs.existsSync(path.join(folder(), 'again.txt')));
  });

  t('stopping a run cancels it and leaves no processes', async () => {
    const { runs } = await api();
    const marker = `tribvsc${process.pid}`;
    const doc = await writeDoc(
      'stop.pipeline.yaml',
      `pipeline: s\ntasks:\n  long:\n    run: node -e "setInterval(() => {}, 1000)" ${marker}\n`,
    );
    await doc.save();
    const events: RunEvent[] = [];
    const sub = runs.onUpdate((u) => u.file === doc.uri.fsPath && events.push(u.event));
    await vscode.commands.executeCommand('tributary.runPipeline', doc.uri);
    await waitFor(() => events.find((e) => e.event === 'task_started'), 'the task to start');
    const alive = () =>
      execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(marker) && !l.startsWith('Z') && !l.includes('ps -eo'));
    await waitFor(() => alive().length > 0, 'the task process');
    assert.equal(await vscode.commands.executeCommand('tributary.stopRun', doc.uri), 1);
    const end = await waitFor(
      () => events.find((e) => e.event === 'run_finished'),
      'the run to end',
    );
    sub.dispose();
    assert.ok(end.event === 'run_finished' && end.status === 'cancelled');
    assert.deepEqual(alive(), []);
  });
}
