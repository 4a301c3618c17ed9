/**
 * Runs started outside this window, shown live: each pipeline folder of the workspace (and of any
 * pipeline opened) is followed, and a foreign run's events reach the RunRegistry like a session's.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../core/run/events';
import { instanceKey } from '../core/run/state';
import type { LockInfo } from '../runner/api';
import { ExternalRun } from './externalRun';
import { FolderFollower, type FollowSink } from './runFollower';
import type { RunRegistry } from './runs';

/** The poll behind the watch: new folders, growth a watch missed, runners that died. */
export const POLL_MS = 1000;
/** TRIBUTARY_FOLLOW_WATCH=0: the poll alone (the benchmark's baseline; a file system without inotify). */
const WATCH = process.env.TRIBUTARY_FOLLOW_WATCH !== '0';

interface Live {
  run: ExternalRun;
  push: (e: RunEvent) => void;
  started: number;
  /** Instances started and not yet ended: ended as cancelled if the runner dies. */
  going: Map<string, { task: string; partition?: string; attempt: number; at: number }>;
}

export class LiveRuns implements vscode.Disposable, FollowSink {
  private readonly folders = new Map<string, FolderFollower>();
  private readonly live = new Map<string, Live>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly runs: RunRegistry) {
    for (const doc of vscode.workspace.textDocuments) this.add(doc.uri);
    // Pipelines created later, in VS Code or outside it (a git pull, a terminal).
    const created = vscode.workspace.createFileSystemWatcher(
      '**/*.pipeline.{yaml,yml}',
      false,
      true,
      true,
    );
    this.subs.push(
      created,
      created.onDidCreate((u) => this.add(u)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.add(doc.uri)),
    );
    void vscode.workspace
      .findFiles('**/*.pipeline.{yaml,yml}', '**/node_modules/**', 200)
      .then((files) => files.forEach((u) => this.add(u)));
  }

  /** Follows the folder of a pipeline file (once per folder: its runs share `.tributary/`). */
  add(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || !/\.pipeline\.ya?ml$/.test(uri.fsPath)) return;
    const folder = path.dirname(uri.fsPath);
    if (this.folders.has(folder)) return;
    const f = new FolderFollower(folder, this, { pollMs: POLL_MS, watch: WATCH });
    this.folders.set(folder, f);
    f.start();
  }

  owns(file: string, id: string): boolean | 'unknown' {
    return this.runs.owns(file, id);
  }

  started(file: string, id: string, lock: LockInfo | undefined): void {
    const run = new ExternalRun(file, lock);
    this.live.set(id, {
      run,
      push: this.runs.follow(file, run),
      started: Date.now(),
      going: new Map(),
    });
  }

  event(_file: string, id: string, e: RunEvent): void {
    const l = this.live.get(id);
    if (!l) return;
    if (e.event === 'run_started') l.started = Date.parse(e.ts);
    else if (e.event === 'task_started') {
      l.going.set(instanceKey(e.task, e.partition), {
        task: e.task,
        ...(e.partition !== undefined ? { partition: e.partition } : {}),
        attempt: e.attempt,
        at: Date.parse(e.ts),
      });
    } else if (e.event === 'task_finished') l.going.delete(instanceKey(e.task, e.partition));
    if (e.event === 'run_finished') {
      l.run.running = false;
      this.live.delete(id);
    }
    l.push(e);
  }

  /** The runner died without an end: its started tasks and the run end as cancelled, saying why. */
  lost(file: string, id: string, why: string): void {
    const l = this.live.get(id);
    if (!l) return;
    const now = Date.now();
    const ts = new Date(now).toISOString();
    const message = `interrupted: ${why}`;
    for (const g of l.going.values())
      this.event(file, id, {
        ts,
        run: id,
        event: 'task_finished',
        task: g.task,
        ...(g.partition !== undefined ? { partition: g.partition } : {}),
        attempt: g.attempt,
        status: 'cancelled',
        exit_code: null,
        duration_ms: Math.max(0, now - g.at),
        message,
      });
    this.event(file, id, {
      ts,
      run: id,
      event: 'run_finished',
      status: 'cancelled',
      duration_ms: now - l.started,
      message,
    });
  }

  dispose(): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    for (const s of this.subs) s.dispose();
  }
}
