/**
 * Security audit inside a real VS Code: names from a cloned repository (file names, a task name
 * given to a command) never drive a terminal's name, and a restricted window runs no task at all,
 * also one started through VS Code's task system (tasks.json, Run Task…) instead of a command.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { api, folder, sleep, waitFor } from './common';

/** C0/C1 control characters (ESC starts a terminal escape sequence; a newline breaks a title). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const PIPELINE = 'pipeline: evil\ntasks:\n  hello:\n    run: echo "hello from evil" > hello.out\n';

/** Every name VS Code shows for the terminals and task runs of this window. */
function shownNames(): string[] {
  return [
    ...vscode.window.terminals.map((t) => t.name),
    ...vscode.tasks.taskExecutions.map((e) => e.task.name),
  ];
}

function trustedTests(s: Mocha.Suite): void {
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t(
    'a pipeline file named with an escape sequence and a newline runs under a clean terminal name',
    async () => {
      const { runs } = await api();
      const dir = path.join(folder(), 'evil');
      fs.mkdirSync(dir, { recursive: true });
      const name = 'a\u001b]0;PWNED\u0007\nb\u001b[31m.pipeline.yaml';
      const file = path.join(dir, name);
      fs.writeFileSync(file, PIPELINE);
      const seen: string[] = [];
      const sub = vscode.tasks.onDidStartTask((e) => seen.push(e.execution.task.name));
      try {
        assert.equal(
          await vscode.commands.executeCommand('tributary.runPipeline', vscode.Uri.file(file)),
          true,
        );
        await waitFor(() => fs.existsSync(path.join(dir, 'hello.out')), 'the task to run');
        await waitFor(() => !runs.active(file), 'the runner to exit');
        seen.push(...shownNames());
        assert.ok(
          seen.some((n) => n.includes('PWNED')),
          `the run's name was seen: ${JSON.stringify(seen)}`,
        );
        for (const n of seen)
          assert.doesNotMatch(n, CONTROL, `a control character in ${JSON.stringify(n)}`);
      } finally {
        sub.dispose();
      }
    },
  );

  t(
    'Run Task with a task name that is not in the pipeline is refused: nothing starts',
    async () => {
      const { runs } = await api();
      const file = path.join(folder(), 'evil-task.pipeline.yaml');
      fs.writeFileSync(file, PIPELINE);
      const uri = vscode.Uri.file(file);
      const before = new Set(shownNames());
      for (const evil of [
        '../../x',
        'x\u001b]0;PWNED\u0007',
        '$(touch PWNED)',
        'hello;touch PWNED',
        '--force',
      ]) {
        assert.equal(
          await vscode.commands.executeCommand('tributary.runTask', uri, evil),
          false,
          `${JSON.stringify(evil)} was not refused`,
        );
        assert.equal(runs.active(file), undefined, `a run started for ${JSON.stringify(evil)}`);
      }
      await sleep(500);
      const opened = shownNames().filter((n) => !before.has(n));
      assert.deepEqual(opened, [], 'a terminal or a task was started');
      assert.ok(!fs.existsSync(path.join(folder(), 'PWNED')));
    },
  );
}

function restrictedTests(s: Mocha.Suite): void {
  s.addTest(
    new Mocha.Test(
      'a Tributary task started through VS Code tasks (tasks.json, Run Task…) runs nothing',
      async () => {
        assert.equal(vscode.workspace.isTrusted, false);
        const { runs } = await api();
        const file = path.join(folder(), 'evil-tasks.pipeline.yaml');
        fs.writeFileSync(file, PIPELINE);
        // VS Code may answer with a trust prompt nobody clicks here (or never answer): bounded waits.
        const bounded = <T>(p: Thenable<T>) =>
          Promise.race([Promise.resolve(p).catch(() => undefined), sleep(5000)]);
        const fetched = await bounded(vscode.tasks.fetchTasks({ type: 'tributary' }));
        const offered = fetched?.find((x) => (x.definition as { file?: string }).file === file);
        // What a tasks.json entry is: a definition the provider resolves.
        const fromJson = new vscode.Task(
          { type: 'tributary', file },
          vscode.TaskScope.Workspace,
          'evil',
          'tributary',
        );
        for (const task of [offered, fromJson])
          if (task) await bounded(vscode.tasks.executeTask(task));
        await sleep(3000);
        assert.equal(runs.anyActive().length, 0, 'a run is active');
        assert.ok(!fs.existsSync(path.join(folder(), 'hello.out')), 'the task ran');
        assert.ok(!fs.existsSync(path.join(folder(), '.tributary', 'runs')), 'a run was recorded');
      },
    ),
  );
}

export function auditSecuritySuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Security audit');
  if (vscode.workspace.isTrusted) trustedTests(s);
  else restrictedTests(s);
}
