/**
 * Security audit inside a real VS Code: names from a cloned repository (file names, a task name
 * given to a command) never drive a terminal's name, and a restricted window runs no task at all,
 * also one started through VS Code's task system (tasks.json, Run Task…) instead of a command.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

function logTests(s: Mocha.Suite): void {
  s.addTest(
    new Mocha.Test(
      'a task log that is a symlink out of .tributary/logs (a cloned .tributary) is not shown',
      async () => {
        const { runs } = await api();
        const file = path.join(folder(), 'symlinked.pipeline.yaml');
        fs.writeFileSync(
          file,
          'pipeline: sym\ntasks:\n  symlinked:\n    run: echo ordinary line\n',
        );
        const uri = vscode.Uri.file(file);
        assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', uri), true);
        const logs = path.join(folder(), '.tributary', 'logs');
        const log = await waitFor(
          () =>
            !runs.active(file) &&
            fs.existsSync(logs) &&
            fs
              .readdirSync(logs)
              .map((run) => path.join(logs, run, 'symlinked.log'))
              .find((p) => fs.existsSync(p)),
          'the run and its log',
        );
        // What a repository can commit: its log replaced by a link to a file of the user's.
        const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-sec-')), 'id_rsa');
        fs.writeFileSync(outside, 'OUTSIDE-SECRET-MARKER\n');
        fs.rmSync(log);
        fs.symlinkSync(outside, log);
        assert.equal(
          await vscode.commands.executeCommand('tributary.showFullLog', uri, 'symlinked'),
          true,
        );
        const editor = await waitFor(
          () =>
            vscode.window.activeTextEditor?.document.uri.scheme === 'tributary-log' &&
            vscode.window.activeTextEditor,
          'the log tab',
        );
        const text = editor.document.getText();
        assert.ok(!text.includes('OUTSIDE-SECRET-MARKER'), `the linked file was shown:\n${text}`);
        assert.match(text, /refused/);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      },
    ),
  );
}

function messageTests(s: Mocha.Suite): void {
  s.addTest(
    new Mocha.Test(
      "hostile webview messages (unknown type or task, a path, another file's task, huge) are refused without effect",
      async () => {
        const { graph, runs } = await api();
        const a = path.join(folder(), 'msg-a.pipeline.yaml');
        const b = path.join(folder(), 'msg-b.pipeline.yaml');
        fs.writeFileSync(a, PIPELINE);
        fs.writeFileSync(b, 'pipeline: b\ntasks:\n  only_in_b:\n    run: touch PWNED\n');
        const doc = await vscode.workspace.openTextDocument(a);
        const version = doc.version;
        const before = new Set(shownNames());
        const posted: unknown[] = [];
        const huge = 'x'.repeat(50_000);
        const hostile: unknown[] = [
          null,
          'run/all',
          [{ type: 'run/all' }],
          { type: 'run/everything' },
          { type: 'run/task', task: '../../x', mode: 'run' },
          { type: 'run/task', task: 'only_in_b', mode: 'run' },
          { type: 'run/task', task: 'hello', mode: 'rm -rf' },
          { type: 'run/task', task: huge, mode: 'run' },
          { type: 'run/task', task: { toString: 'hello' }, mode: 'run' },
          { type: 'task/showLog', task: '../../../../etc/passwd' },
          { type: 'task/openLog', task: 'x\u001b]0;PWNED\u0007' },
          { type: 'task/reveal', task: '$(touch PWNED)' },
          { type: 'run/partition', task: 'only_in_b' },
          { type: 'run/backfill', task: '../x' },
          { type: 'view/direction', direction: 'LEFT; rm' },
          { type: 'selection/changed', task: 42 },
          { type: 'intent', intent: { kind: 'removeTask', name: 'only_in_b' }, version },
          { type: 'intent', intent: { kind: 'runShell', cmd: 'touch PWNED' }, version },
        ];
        for (const m of hostile) await graph.receive(doc, m, (x) => posted.push(x));
        await sleep(1000);
        // Only an edit refusal may be answered; nothing else happened.
        for (const m of posted)
          assert.equal(
            (m as { type: string }).type,
            'edit/rejected',
            JSON.stringify(m).slice(0, 200),
          );
        assert.equal(doc.version, version, 'the document was edited');
        assert.equal(runs.anyActive().length, 0, 'a run started');
        assert.deepEqual(
          shownNames().filter((n) => !before.has(n)),
          [],
          'a terminal was opened',
        );
        assert.ok(!fs.existsSync(path.join(folder(), 'PWNED')));
        assert.ok(
          !vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'tributary-log'),
          'a log tab was opened',
        );
      },
    ),
  );
}

/** The HTML of every graph webview open on `file` (the provider keeps its panels privately). */
async function graphHtml(file: string): Promise<string[]> {
  const { graph } = await api();
  const panels = (graph as unknown as { panels: Map<string, Set<vscode.WebviewPanel>> }).panels;
  return [...(panels.get(file) ?? [])].map((p) => p.webview.html);
}

function cspTests(s: Mocha.Suite): void {
  s.addTest(
    new Mocha.Test(
      'every graph webview has a strict script CSP with its own fresh nonce on every script',
      async () => {
        const htmls: string[] = [];
        for (const name of ['csp-a.pipeline.yaml', 'csp-b.pipeline.yaml']) {
          const file = path.join(folder(), name);
          fs.writeFileSync(file, PIPELINE);
          await vscode.commands.executeCommand(
            'vscode.openWith',
            vscode.Uri.file(file),
            'tributary.graph',
          );
          const html = await (async () => {
            for (const start = Date.now(); Date.now() - start < 40_000; await sleep(50)) {
              const h = await graphHtml(file);
              if (h[0]) return h[0];
            }
            throw new Error(`no graph webview for ${name}`);
          })();
          htmls.push(html);
        }
        const nonces = htmls.map((html) => {
          const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
          assert.ok(csp, 'a CSP meta tag');
          const dirs = new Map(
            csp.split(';').map((d) => {
              const [k = '', ...v] = d.trim().split(/\s+/);
              return [k, v] as const;
            }),
          );
          assert.deepEqual(dirs.get('default-src'), ["'none'"]);
          const script = dirs.get('script-src') ?? [];
          assert.equal(script.length, 1, `script-src is the nonce alone: ${script.join(' ')}`);
          const nonce = /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(script[0] ?? '')?.[1];
          assert.ok(nonce, `a nonce of 16 bytes or more: ${script[0]}`);
          assert.doesNotMatch(csp, /unsafe-eval/);
          const tags = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
          assert.ok(tags.length > 0);
          for (const t of tags)
            assert.ok(t.includes(`nonce="${nonce}"`), `a script without the nonce: ${t}`);
          return nonce;
        });
        assert.equal(new Set(nonces).size, nonces.length, 'each webview has its own nonce');
      },
    ),
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
          Promise.race([
            Promise.resolve(p).catch(() => undefined),
            sleep(5000).then(() => undefined),
          ]);
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
        // The CodeLens and tree buttons call these: each refuses.
        for (const id of ['tributary.runTask', 'tributary.rerunTask', 'tributary.runDownstream'])
          assert.equal(
            await vscode.commands.executeCommand(id, vscode.Uri.file(file), 'hello'),
            false,
            id,
          );
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
  if (vscode.workspace.isTrusted) {
    trustedTests(s);
    cspTests(s);
    logTests(s);
    messageTests(s);
  } else restrictedTests(s);
}
