/** Inside a real VS Code: runs started outside it (`tributary run` / `backfill` in another process) are shown live, once, to their end. */
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../core/protocol/webview';
import type { RunEvent } from '../../../core/run/events';
import { ExternalRun } from '../../../extension/externalRun';
import type { LockInfo } from '../../../runner/api';
import { startTime } from '../../../runner/executors/procInfo';
import type { TributaryApi } from '../../../extension/main';
import { folder, api, waitFor } from './common';

const HOLD = `pipeline: hold
tasks:
  hold:
    run: while [ ! -f go ]; do sleep 0.05; done; echo held > held.txt
    outputs: [held.txt]
  after:
    needs: [hold]
    run: echo after > after.txt
    outputs: [after.txt]
`;

const WEEK = `pipeline: week
partitions:
  daily: { start: "2024-01-01", end: "2024-01-04", timezone: UTC }
tasks:
  extract:
    run: while [ ! -f go-\${partition} ]; do sleep 0.05; done; mkdir -p out && echo x > out/\${partition}.txt
    outputs: ["out/\${partition}.txt"]
`;

const SERVED = `pipeline: served
on:
  - files: 'drops/*.txt'
tasks:
  load:
    run: while [ ! -f go ]; do sleep 0.05; done; cat "\${trigger.file}" > loaded.txt
`;

/** `tributary ARGS` as a terminal would start it: another process, not this window's session. */
function tributary(...args: string[]): ChildProcess {
  return tributaryWith({}, ...args);
}

function tributaryWith(env: Record<string, string>, ...args: string[]): ChildProcess {
  const cli = path.join(
    vscode.extensions.getExtension('tributary.tributary')!.extensionPath,
    'dist',
    'cli.js',
  );
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: folder(),
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...env },
  });
  child.stdout!.resume(); // read (and dropped unless someone listens), so it never blocks
  return child;
}

/** Resolves when the CLI's stdout has printed a line matching `re` (fails if it exits first). */
function printed(child: ChildProcess, re: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (re.test(out)) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`exited (${code}) before printing ${re}:\n${out}`)),
    );
  });
}

/** A pipeline written and opened, its outputs and go files from an earlier test removed. */
async function fresh(name: string, text: string): Promise<string> {
  for (const f of fs.readdirSync(folder()))
    if (/^(go.*|held\.txt|after\.txt)$/.test(f)) fs.rmSync(path.join(folder(), f));
  fs.rmSync(path.join(folder(), 'out'), { recursive: true, force: true });
  const file = path.join(folder(), name);
  fs.writeFileSync(file, text);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  return file;
}

function record(file: string) {
  const events: RunEvent[] = [];
  return {
    events,
    sub: (runs: TributaryApi['runs']) =>
      runs.onUpdate((u) => u.file === file && events.push(u.event)),
    count: (name: string, task?: string) =>
      events.filter(
        (e) => e.event === name && (task === undefined || ('task' in e && e.task === task)),
      ).length,
  };
}

/** What the tree view shows for each task of `file`. */
async function treeStatuses(file: string): Promise<Record<string, string | undefined>> {
  const { tree } = await api();
  const items = (await tree.getChildren({ kind: 'pipeline', uri: vscode.Uri.file(file) })) as {
    kind: string;
    name?: string;
    status?: string;
  }[];
  return Object.fromEntries(items.filter((i) => i.kind === 'task').map((i) => [i.name, i.status]));
}

export function liveSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Runs started outside VS Code, live');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t(
    'a `tributary run` in another process: running live in the registry, tree and a graph opened mid-run; then success',
    async () => {
      const { runs, graph } = await api();
      const file = await fresh('hold.pipeline.yaml', HOLD);
      const r = record(file);
      const sub = r.sub(runs);
      const child = tributary('run', 'hold.pipeline.yaml');
      try {
        const state = await waitFor(
          () => runs.stateOf(file)?.tasks['hold']?.state.status === 'running' && runs.stateOf(file),
          'hold to show running',
        );
        assert.equal(state.status, 'running');
        const handle = runs.active(file);
        assert.ok(handle?.external, 'an external run is active for the file');
        assert.equal(handle.external.pid, child.pid, 'the lock names the runner');
        assert.equal((await treeStatuses(file))['hold'], 'running');
        // A graph opened now starts from the events so far.
        const doc = await vscode.workspace.openTextDocument(file);
        const got: HostToWebview[] = [];
        await graph.receive(doc, { type: 'ready' }, (m) => got.push(m));
        const init = got.find((m) => m.type === 'init');
        assert.ok(init && init.type === 'init');
        assert.ok(init.events.some((e) => e.event === 'task_started' && e.task === 'hold'));
        // Starting it again from VS Code is refused while the terminal's run goes.
        assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', doc.uri), false);
        fs.writeFileSync(path.join(folder(), 'go'), '');
        await waitFor(() => r.count('run_finished') === 1, 'the run to finish');
        const end = r.events.find((e) => e.event === 'run_finished');
        assert.equal(end?.event === 'run_finished' && end.status, 'success');
        assert.equal(runs.stateOf(file)?.tasks['after']?.state.status, 'success');
        assert.equal(runs.active(file), undefined, 'no longer active');
        assert.equal(r.count('run_started'), 1);
        assert.equal(r.count('task_started', 'hold'), 1, 'each event once');
        assert.equal(r.count('task_finished', 'after'), 1);
        const tree = await treeStatuses(file);
        assert.equal(tree['hold'], 'success');
        assert.equal(tree['after'], 'success');
      } finally {
        sub.dispose();
        child.kill('SIGKILL');
      }
    },
  );

  t('a run VS Code starts itself is not counted twice (its record is not followed)', async () => {
    const { runs } = await api();
    const file = await fresh('hold.pipeline.yaml', HOLD);
    fs.writeFileSync(path.join(folder(), 'go'), '');
    const r = record(file);
    const sub = r.sub(runs);
    try {
      assert.equal(
        await vscode.commands.executeCommand('tributary.runPipeline', vscode.Uri.file(file)),
        true,
      );
      await waitFor(() => r.count('run_finished') === 1, 'the run to finish');
      // Longer than the follower's poll: a follower that took the record for a foreign run would have fed it by now.
      await new Promise((res) => setTimeout(res, 2500));
      assert.equal(r.count('run_started'), 1);
      assert.equal(r.count('task_started', 'hold'), 1);
      assert.equal(r.count('run_finished'), 1);
      assert.equal(runs.active(file)?.external, undefined);
      // Tiny runs back to back (a runner's exit may be seen before its last output): still once each.
      let foreign = 0;
      const watch = runs.onUpdate(
        (u) => u.file === file && runs.active(file)?.external !== undefined && foreign++,
      );
      for (let i = 2; i <= 6; i++) {
        await waitFor(() => !runs.active(file), 'the last runner to exit');
        assert.equal(
          await vscode.commands.executeCommand(
            'tributary.rerunTask',
            vscode.Uri.file(file),
            'after',
          ),
          true,
        );
        await waitFor(() => r.count('run_finished') === i, `run ${i} to finish`);
      }
      await new Promise((res) => setTimeout(res, 2500));
      watch.dispose();
      assert.equal(r.count('run_started'), 6);
      assert.equal(r.count('task_started', 'after'), 6);
      assert.equal(foreign, 0, 'never taken for a foreign run');
    } finally {
      sub.dispose();
    }
  });

  t('Stop in VS Code stops a terminal’s run (same host: the lock’s pid gets SIGINT)', async () => {
    const { runs } = await api();
    const file = await fresh('hold.pipeline.yaml', HOLD);
    const r = record(file);
    const sub = r.sub(runs);
    const child = tributary('run', 'hold.pipeline.yaml');
    try {
      await waitFor(
        () => runs.stateOf(file)?.tasks['hold']?.state.status === 'running',
        'hold running',
      );
      assert.equal(
        await vscode.commands.executeCommand('tributary.stopRun', vscode.Uri.file(file)),
        1,
      );
      await waitFor(() => r.count('run_finished') === 1, 'the run to end');
      const end = r.events.find((e) => e.event === 'run_finished');
      assert.equal(end?.event === 'run_finished' && end.status, 'cancelled');
      assert.equal(runs.stateOf(file)?.tasks['hold']?.state.status, 'cancelled');
      const code = await new Promise<number | null>((res) =>
        child.exitCode !== null ? res(child.exitCode) : child.on('exit', (c) => res(c)),
      );
      assert.notEqual(code, 0, 'the runner stopped');
    } finally {
      sub.dispose();
      child.kill('SIGKILL');
    }
  });

  t('a runner killed with -9 shows as interrupted (cancelled), not running forever', async () => {
    const { runs } = await api();
    const file = await fresh('hold.pipeline.yaml', HOLD);
    const r = record(file);
    const sub = r.sub(runs);
    const child = tributary('run', 'hold.pipeline.yaml');
    try {
      await waitFor(
        () => runs.stateOf(file)?.tasks['hold']?.state.status === 'running',
        'hold running',
      );
      child.kill('SIGKILL');
      await waitFor(() => r.count('run_finished') === 1, 'the lost run to end', 10_000);
      const st = runs.stateOf(file)?.tasks['hold']?.state;
      assert.equal(st?.status, 'cancelled');
      assert.match(
        st && 'message' in st ? (st.message ?? '') : '',
        /interrupted: the runner \(pid \d+\)/,
      );
      assert.equal(runs.active(file), undefined);
      assert.notEqual((await treeStatuses(file))['hold'], 'running');
    } finally {
      sub.dispose();
      child.kill('SIGKILL');
    }
  });

  t(
    'a run `tributary serve` fires on a dropped file shows live; Stop says it would stop the server',
    async () => {
      const { runs } = await api();
      const file = await fresh('served.pipeline.yaml', SERVED);
      fs.mkdirSync(path.join(folder(), 'drops'), { recursive: true });
      const r = record(file);
      const sub = r.sub(runs);
      const serve = tributaryWith(
        { TRIBUTARY_SERVE_STABLE_MS: '100' },
        'serve',
        'served.pipeline.yaml',
      );
      const watching = printed(serve, /: watching drops\//);
      try {
        await watching; // its watch is ready: a file dropped from now on fires a run
        fs.writeFileSync(path.join(folder(), 'drops', 'a.txt'), 'drop a\n');
        await waitFor(
          () => runs.stateOf(file)?.tasks['load']?.state.status === 'running',
          'load running',
        );
        // The extension's own ExternalRun (this bundle has its own copy of the class).
        const handle = runs.active(file) as ExternalRun | undefined;
        assert.ok(handle?.external && 'cannotStop' in handle, 'followed as an external run');
        assert.equal(handle.external.pid, serve.pid, 'serve holds the lock for its run');
        assert.match(
          handle.cannotStop() ?? '',
          /started by tributary serve .* would stop the server/,
        );
        fs.writeFileSync(path.join(folder(), 'go'), '');
        await waitFor(() => r.count('run_finished') === 1, 'the served run to end');
        assert.equal(runs.stateOf(file)?.tasks['load']?.state.status, 'success');
        assert.equal(fs.readFileSync(path.join(folder(), 'loaded.txt'), 'utf8'), 'drop a\n');
        assert.equal(serve.exitCode, null, 'serve still runs');
        // A run on another host cannot be stopped from here, and says so.
        const far = new ExternalRun(file, {
          pid: 1,
          host: 'elsewhere',
          run: 'r',
          file,
          started: '',
        });
        assert.match(far.cannotStop() ?? '', /runs on host elsewhere \(pid 1\): stop it there/);
        // On this host SIGINT goes only to a pid verified by its start time, and not to a serve.
        const here = { pid: process.pid, host: os.hostname(), run: 'r', file, started: '' };
        const stop = (l: Partial<LockInfo>) =>
          new ExternalRun(file, { ...here, ...l }).cannotStop();
        const verified = { pidStart: startTime(process.pid)!, command: 'run' as const };
        assert.equal(stop(verified), undefined, 'a verified `run`: Stop signals it');
        assert.match(stop({ ...verified, pidStart: '1' }) ?? '', /is gone/, 'a reused pid');
        assert.match(
          stop({ command: 'run' }) ?? '',
          /cannot be checked to still be the runner .*Ctrl\+C in its terminal, or kill -INT \d+/,
          'no start time to check against (as on macOS)',
        );
        assert.match(stop({ ...verified, command: undefined }) ?? '', /older tributary/);
      } finally {
        sub.dispose();
        serve.kill('SIGTERM');
      }
    },
  );

  t(
    'a pipeline created outside VS Code in a new folder (never opened) is followed too',
    async () => {
      const { runs } = await api();
      const sub = path.join(folder(), 'later');
      fs.mkdirSync(sub, { recursive: true });
      const file = path.join(sub, 'hold.pipeline.yaml');
      fs.writeFileSync(file, HOLD);
      // VS Code's file watcher reports it (slowly on a loaded machine): its folder is then followed.
      const { live } = await api();
      await waitFor(() => live.followed().includes(sub), 'the new folder followed');
      const r = record(file);
      const subscription = r.sub(runs);
      const child = tributary('run', path.join('later', 'hold.pipeline.yaml'));
      try {
        await waitFor(
          () => runs.stateOf(file)?.tasks['hold']?.state.status === 'running',
          'hold running in the new folder',
        );
        fs.writeFileSync(path.join(sub, 'go'), '');
        await waitFor(() => r.count('run_finished') === 1, 'its end');
        assert.equal(runs.stateOf(file)?.tasks['after']?.state.status, 'success');
        // The folder's only pipeline deleted: its follower (watch and poll) is disposed.
        assert.ok(live.followed().includes(sub));
        fs.rmSync(file);
        await waitFor(() => !live.followed().includes(sub), 'the folder to be let go');
      } finally {
        subscription.dispose();
        child.kill('SIGKILL');
      }
    },
  );

  t(
    'a pipeline opened from outside the workspace is followed while open, then let go',
    async () => {
      const { live } = await api();
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-outside-'));
      const file = path.join(outside, 'x.pipeline.yaml');
      fs.writeFileSync(file, HOLD);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      await waitFor(() => live.followed().includes(outside), 'the opened file’s folder followed');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor(() => !live.followed().includes(outside), 'the closed file’s folder let go');
      // The workspace's own folders stay followed.
      assert.ok(live.followed().includes(folder()));
    },
  );

  t(
    'a `tributary backfill` in another process: each partition’s instance live (what the strips draw)',
    async () => {
      const { runs } = await api();
      const file = await fresh('week.pipeline.yaml', WEEK);
      const r = record(file);
      const sub = r.sub(runs);
      const child = tributary(
        'backfill',
        'week.pipeline.yaml',
        '--from',
        '2024-01-01',
        '--to',
        '2024-01-04',
        '--workers',
        '4',
      );
      try {
        const live = (key: string) => runs.stateOf(file)?.tasks[`extract@${key}`]?.state.status;
        await waitFor(() => live('2024-01-02') === 'running', 'a partition running');
        fs.writeFileSync(path.join(folder(), 'go-2024-01-02'), '');
        await waitFor(() => live('2024-01-02') === 'success', 'that partition done');
        assert.notEqual(live('2024-01-03'), 'success', 'the others still wait');
        assert.equal(r.count('run_finished'), 0);
        for (const k of ['2024-01-01', '2024-01-03', '2024-01-04'])
          fs.writeFileSync(path.join(folder(), `go-${k}`), '');
        await waitFor(() => r.count('run_finished') === 1, 'the backfill to end');
        const done = r.events.filter((e) => e.event === 'task_finished' && e.status === 'success');
        assert.deepEqual(done.map((e) => ('partition' in e ? e.partition : '')).sort(), [
          '2024-01-01',
          '2024-01-02',
          '2024-01-03',
          '2024-01-04',
        ]);
      } finally {
        sub.dispose();
        child.kill('SIGKILL');
      }
    },
  );
}
