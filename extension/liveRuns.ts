/**
 * Runs started outside this window, shown live: each pipeline folder of the workspace (and of any
 * pipeline opened) is followed, and a foreign run's events reach the RunRegistry like a session's.
 */
import * as fs from 'node:fs';
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

const PIPELINE = /\.pipeline\.ya?ml$/;

/** The file a tab shows: a text editor, or the graph (a custom editor) of a pipeline file. */
function tabUri(t: vscode.Tab): vscode.Uri | undefined {
  const i = t.input;
  const u =
    i instanceof vscode.TabInputText || i instanceof vscode.TabInputCustom ? i.uri : undefined;
  return u?.scheme === 'file' ? u : undefined;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The files shown in a tab of any editor group. */
function shownFiles(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.flatMap((t) => tabUri(t)?.fsPath ?? []));
}

export class LiveRuns implements vscode.Disposable, FollowSink {
  private readonly folders = new Map<string, FolderFollower>();
  /** Pipeline files found in the workspace (the search, or created since). */
  private readonly found = new Set<string>();
  private readonly live = new Map<string, Live>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly runs: RunRegistry) {
    for (const doc of vscode.workspace.textDocuments) this.add(doc.uri);
    // Pipelines created later, in VS Code or outside it (a git pull, a terminal).
    const watcher = vscode.workspace.createFileSystemWatcher(
      '**/*.pipeline.{yaml,yml}',
      false,
      true,
      false,
    );
    // A file written into a folder made a moment before can be missed by the recursive watcher
    // (the new folder is watched only once it is seen): a new folder searches the workspace again.
    const anything = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    this.subs.push(
      watcher,
      anything,
      watcher.onDidCreate((u) => this.add(u, true)),
      anything.onDidCreate((u) => {
        if (u.scheme === 'file' && isFolder(u.fsPath)) this.searchSoon();
      }),
      { dispose: () => clearTimeout(this.searchTimer) },
      watcher.onDidDelete((u) => this.forget((f) => f === u.fsPath)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.add(doc.uri)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.release(path.dirname(doc.uri.fsPath))),
      // A document outlives its tab by minutes (VS Code keeps it for a while): the tab is what counts.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const t of e.closed) {
          const u = tabUri(t);
          if (u) this.release(path.dirname(u.fsPath));
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const w of e.removed)
          this.forget((f) => !path.relative(w.uri.fsPath, f).startsWith('..'));
        if (e.added.length > 0) this.search();
      }),
    );
    this.search();
  }

  private searchTimer: NodeJS.Timeout | undefined;

  /** One search for a burst of new folders (a git pull, an unpacked archive). */
  private searchSoon(): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(), 300);
  }

  private search(): void {
    void vscode.workspace
      .findFiles('**/*.pipeline.{yaml,yml}', '**/node_modules/**', 200)
      .then((files) => files.forEach((u) => this.add(u, true)));
  }

  /**
   * Follows the folder of a pipeline file (once per folder: its runs share `.tributary/`).
   * `found`: the file is part of the workspace, not just a document opened from anywhere.
   */
  add(uri: vscode.Uri, found = false): void {
    if (uri.scheme !== 'file' || !PIPELINE.test(uri.fsPath)) return;
    if (found) this.found.add(uri.fsPath);
    const folder = path.dirname(uri.fsPath);
    if (this.folders.has(folder)) return;
    const f = new FolderFollower(folder, this, { pollMs: POLL_MS, watch: WATCH });
    this.folders.set(folder, f);
    f.start();
  }

  /** The folders followed now (for tests). */
  followed(): string[] {
    return [...this.folders.keys()];
  }

  /** Drops found files (deleted, or their workspace folder removed) and releases their folders. */
  private forget(gone: (file: string) => boolean): void {
    const folders = new Set<string>();
    for (const f of this.found)
      if (gone(f)) {
        this.found.delete(f);
        folders.add(path.dirname(f));
      }
    // A deleted folder may be reported alone, without its files.
    for (const folder of this.folders.keys()) if (gone(folder)) folders.add(folder);
    for (const folder of folders) this.release(folder);
  }

  /**
   * Stops following `folder` once no pipeline file of it is known: none found in the workspace,
   * none shown in a tab (and still on disk). A follower that is reading a run keeps going to the run's end.
   */
  private release(folder: string): void {
    const f = this.folders.get(folder);
    if (!f) return;
    const known = (file: string) => path.dirname(file) === folder;
    if ([...this.found].some(known)) return;
    const open = shownFiles().some((f) => PIPELINE.test(f) && known(f) && fs.existsSync(f));
    if (open || !f.idle()) return;
    f.dispose();
    this.folders.delete(folder);
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

  event(file: string, id: string, e: RunEvent): void {
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
      // The follower lets go of the run once this returns: then its folder may be released.
      setImmediate(() => this.release(path.dirname(file)));
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
