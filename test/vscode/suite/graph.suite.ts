/** Inside a real VS Code: what the graph is told after a reload (last states, logs of the right run), refused names, plan failures, the tree. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../core/protocol/webview';
import type { RunEvent } from '../../../core/run/events';
import { folder, api, waitFor } from './common';

/** What the host answers to one webview message. */
async function ask(doc: vscode.TextDocument, m: unknown): Promise<HostToWebview[]> {
  const { graph } = await api();
  const got: HostToWebview[] = [];
  await graph.receive(doc, m, (x) => got.push(x));
  return got;
}

async function runAll(doc: vscode.TextDocument): Promise<RunEvent[]> {
  const { runs } = await api();
  const events: RunEvent[] = [];
  const sub = runs.onUpdate((u) => u.file === doc.uri.fsPath && events.push(u.event));
  assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', doc.uri), true);
  await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run to finish');
  sub.dispose();
  return events;
}

async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
    text,
  );
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}

export function graphSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'The graph bridge in VS Code');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t(
    'a graph that opens (or reopens after a reload) gets each task its last state; show log gives that run and says when it printed nothing',
    async () => {
      const file = path.join(folder(), 'truth.pipeline.yaml');
      const loud =
        'pipeline: t\ntasks:\n  ok:\n    run: echo fine\n  bad:\n    run: echo OLD OUTPUT; exit 1\n';
      fs.writeFileSync(file, loud);
      const doc = await vscode.workspace.openTextDocument(file);
      await runAll(doc);
      // Second run: bad fails again, silently. Its log must not be the first run's.
      await setText(doc, loud.replace('echo OLD OUTPUT; exit 1', 'exit 1'));
      const events = await runAll(doc);
      const second = events[0]?.run;
      assert.ok(second);

      const [init] = await ask(doc, { type: 'ready' });
      assert.ok(init?.type === 'init');
      assert.equal(init.last?.bad?.status, 'failed');
      assert.equal(init.last?.bad?.run, second);
      assert.equal(init.last?.ok?.status, 'success');

      const [log] = await ask(doc, { type: 'task/showLog', task: 'bad' });
      assert.ok(log?.type === 'task/log');
      assert.equal(log.run, second);
      assert.ok(!log.lines.join('\n').includes('OLD OUTPUT'), log.lines.join('\n'));
      assert.match(log.lines.join('\n'), /printed nothing/);
      const [okLog] = await ask(doc, { type: 'task/showLog', task: 'ok' });
      assert.ok(okLog?.type === 'task/log' && okLog.lines.includes('fine'));

      // "Open full log": the whole log of the run ok's state comes from, in an editor tab.
      const okRun = init.last?.ok?.run ?? '';
      await ask(doc, { type: 'task/openLog', task: 'ok' });
      const tab = await waitFor(
        () =>
          vscode.window.activeTextEditor?.document.uri.scheme === 'tributary-log' &&
          vscode.window.activeTextEditor,
        'the log in an editor',
      );
      assert.match(tab.document.getText(), new RegExp(`^run ${okRun}$`, 'm'));
      assert.match(tab.document.getText(), /fine/);

      // The tree view shows the same last states.
      const { tree } = await api();
      const pipelines = await tree.getChildren();
      const mine = pipelines.find((p) => p.kind === 'pipeline' && p.uri.fsPath === file);
      assert.ok(mine);
      const items = await tree.getChildren(mine);
      const status = Object.fromEntries(
        items.flatMap((i) => (i.kind === 'task' ? [[i.name, i.status]] : [])),
      );
      assert.deepEqual(status, { ok: 'success', bad: 'failed' });
    },
  );

  t(
    'messages naming a task that is not in the pipeline are refused (no ../ log read)',
    async () => {
      const file = path.join(folder(), 'names.pipeline.yaml');
      fs.writeFileSync(file, 'pipeline: n\ntasks:\n  a:\n    run: echo a\n');
      fs.writeFileSync(path.join(folder(), 'secret.log'), 'TOP SECRET');
      const doc = await vscode.workspace.openTextDocument(file);
      assert.deepEqual(await ask(doc, { type: 'task/showLog', task: '../../../secret' }), []);
      assert.deepEqual(await ask(doc, { type: 'run/task', task: 'ghost', mode: 'run' }), []);
      const [rejected] = await ask(doc, {
        type: 'intent',
        version: doc.version,
        intent: { kind: 'setTaskField', task: 'ghost', field: 'run', value: 'rm -rf /' },
      });
      assert.equal(rejected?.type, 'edit/rejected');
      assert.ok(!doc.getText().includes('rm -rf'));
    },
  );

  t('a plan that cannot be made is reported to the graph', async () => {
    const file = path.join(folder(), 'badplan.pipeline.yaml');
    fs.writeFileSync(file, 'pipeline: b\ntasks:\n  a:\n    run: echo a\n    needs: [ghost]\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const got = await ask(doc, { type: 'run/plan' });
    const err = got.find((m) => m.type === 'plan/error');
    assert.ok(err && err.type === 'plan/error', JSON.stringify(got));
    assert.match(err.message, /ghost/);
  });
}
