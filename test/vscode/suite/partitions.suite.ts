/** Inside a real VS Code: Tributary: Backfill… asks the range and backfills; the graph gets the strips; Run partition…; refused when restricted. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../core/protocol/webview';
import type { RunEvent } from '../../../core/run/events';
import { folder, api, waitFor, sleep } from './common';

const WEEK = `pipeline: week
partitions:
  daily: { start: "2024-01-01", end: "2024-01-07", timezone: UTC }
tasks:
  extract:
    run: mkdir -p out && echo "\${partition} \${partition.start}" > out/\${partition}.txt
    outputs: ["out/\${partition}.txt"]
  summary:
    run: cat out/*.txt > all.txt
    needs: [extract]
    outputs: [all.txt]
`;

/** Accepts the quick input VS Code shows (a quick pick's first item, an input box's value). */
async function accept(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await sleep(1500);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
}

/** Starts `start`, accepts `answers` quick inputs, and returns the run's events. */
async function runWith(file: string, start: () => Thenable<unknown>, answers: number) {
  const { runs } = await api();
  const events: RunEvent[] = [];
  const sub = runs.onUpdate((u) => u.file === file && events.push(u.event));
  const result = start();
  await accept(answers);
  assert.equal(await result, true, 'the command started a run');
  await waitFor(() => events.find((e) => e.event === 'run_finished'), 'the run to finish');
  sub.dispose();
  return events;
}

async function ask(doc: vscode.TextDocument, m: unknown): Promise<HostToWebview[]> {
  const { graph } = await api();
  const got: HostToWebview[] = [];
  await graph.receive(doc, m, (x) => got.push(x));
  return got;
}

export function partitionsSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Partitions in VS Code');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  if (!vscode.workspace.isTrusted) {
    t('restricted window: Backfill… and Run partition… are refused, nothing runs', async () => {
      const file = path.join(folder(), 'week.pipeline.yaml');
      fs.writeFileSync(file, WEEK);
      const doc = await vscode.workspace.openTextDocument(file);
      assert.equal(await vscode.commands.executeCommand('tributary.backfill', doc.uri), false);
      await ask(doc, { type: 'run/partition', task: 'extract', partition: '2024-01-03' });
      await ask(doc, { type: 'run/backfill' });
      await sleep(1000);
      assert.equal((await api()).runs.anyActive().length, 0);
      assert.ok(!fs.existsSync(path.join(folder(), '.tributary', 'runs')), 'nothing ran');
      assert.ok(!fs.existsSync(path.join(folder(), 'out')), 'no task ran');
    });
    return;
  }

  t(
    'Tributary: Backfill… asks the range (defaults: the last week) and backfills it, oldest first',
    async () => {
      const all = await vscode.commands.getCommands(true);
      assert.ok(all.includes('tributary.backfill'));
      const file = path.join(folder(), 'week.pipeline.yaml');
      fs.writeFileSync(file, WEEK);
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const events = await runWith(
        file,
        () => vscode.commands.executeCommand('tributary.backfill', doc.uri),
        2,
      );
      const started = events.find((e) => e.event === 'run_started');
      assert.ok(started && started.event === 'run_started');
      assert.deepEqual(started.partitions, [
        '2024-01-01',
        '2024-01-02',
        '2024-01-03',
        '2024-01-04',
        '2024-01-05',
        '2024-01-06',
        '2024-01-07',
      ]);
      // Started oldest first (with 2+ workers they may finish in another order); each succeeded.
      const begun = events.filter((e) => e.event === 'task_started' && e.task === 'extract');
      assert.deepEqual(
        begun.map((e) => (e.event === 'task_started' ? e.partition : '')),
        started.partitions,
        'oldest first, one per partition',
      );
      const done = events.filter(
        (e) => e.event === 'task_finished' && e.task === 'extract' && e.status === 'success',
      );
      assert.equal(done.length, 7);
      const fin = events.find((e) => e.event === 'run_finished');
      assert.equal(fin?.event === 'run_finished' && fin.status, 'success');
      assert.equal(
        fs.readFileSync(path.join(folder(), 'out', '2024-01-03.txt'), 'utf8').trim(),
        '2024-01-03 2024-01-03T00:00:00+00:00',
      );
      assert.equal(
        fs.readFileSync(path.join(folder(), 'all.txt'), 'utf8').trim().split('\n').length,
        7,
      );
    },
  );

  t(
    'the graph gets each partitioned task’s strip from the records; a bad task name is refused',
    async () => {
      const doc = await vscode.workspace.openTextDocument(
        path.join(folder(), 'week.pipeline.yaml'),
      );
      const got = await ask(doc, { type: 'ready' });
      const strips = got.find((m) => m.type === 'partitions/status');
      assert.ok(
        strips && strips.type === 'partitions/status',
        JSON.stringify(got.map((m) => m.type)),
      );
      assert.equal(strips.strips.keys.length, 7);
      assert.deepEqual(strips.strips.tasks, { extract: 'ccccccc' });
      // One output removed: that partition is no longer complete.
      fs.rmSync(path.join(folder(), 'out', '2024-01-05.txt'));
      const again = (await ask(doc, { type: 'ready' })).find((m) => m.type === 'partitions/status');
      assert.ok(again && again.type === 'partitions/status');
      assert.notEqual(again.strips.tasks.extract?.[4], 'c');
      assert.equal(again.strips.tasks.extract?.slice(0, 4), 'cccc');
      // A webview naming a task the pipeline does not have starts nothing.
      const { runs } = await api();
      let startedRuns = 0;
      const sub = runs.onStart(() => startedRuns++);
      await ask(doc, { type: 'run/partition', task: 'ghost' });
      await sleep(500);
      sub.dispose();
      assert.equal(startedRuns, 0);
    },
  );

  t(
    'Run partition… from the node menu: the shown partition is offered first and runs alone',
    async () => {
      const file = path.join(folder(), 'week.pipeline.yaml');
      const doc = await vscode.workspace.openTextDocument(file);
      const events = await runWith(
        file,
        () =>
          ask(doc, { type: 'run/partition', task: 'extract', partition: '2024-01-05' }).then(
            () => true,
          ),
        1,
      );
      const started = events.find((e) => e.event === 'run_started');
      assert.ok(started && started.event === 'run_started');
      assert.deepEqual(started.partitions, ['2024-01-05']);
      assert.ok(
        events.some(
          (e) =>
            e.event === 'task_finished' && e.partition === '2024-01-05' && e.status === 'success',
        ),
      );
      assert.ok(fs.existsSync(path.join(folder(), 'out', '2024-01-05.txt')));
    },
  );
}
