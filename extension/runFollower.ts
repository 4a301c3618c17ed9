/**
 * Follows one folder's run records (`.tributary/runs/*.jsonl`) as other processes write them: a
 * new record, its events as they are appended, and its end (run_finished, or the runner gone).
 * No vscode here, so the benchmark and the tests drive it bare.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunEvent } from '../core/run/events';
import { type LockInfo, listRuns, lockHolderAlive, readLock, statePaths } from '../runner/api';
import { RecordTail } from './recordTail';

export interface FollowSink {
  /** Did this window start run `id` of `file` itself? 'unknown': its own run has not said its id yet. */
  owns(file: string, id: string): boolean | 'unknown';
  /** A run started elsewhere; `lock` is its holder as the lock says (undefined if it already let go). */
  started(file: string, id: string, lock: LockInfo | undefined): void;
  event(file: string, id: string, e: RunEvent): void;
  /** The runner stopped without run_finished (killed, crashed): the run will never end by itself. */
  lost(file: string, id: string, why: string): void;
}

export interface FollowOptions {
  /** How often the folder is listed and each followed runner's liveness checked. */
  pollMs: number;
  /** False: the poll alone (the benchmark's baseline). */
  watch: boolean;
}

interface Followed {
  id: string;
  tail: RecordTail;
  /** Set once run_started was read (the first line may still be on its way). */
  file?: string;
  /** Events read before the run was known to be someone else's. */
  held: RunEvent[];
  following: boolean;
}

export class FolderFollower {
  private readonly runsDir: string;
  private readonly lockFile: string;
  /** Records decided: followed to their end, or this window's own, or there before we looked. */
  private readonly done = new Set<string>();
  private readonly open = new Map<string, Followed>();
  /** Records with a read already scheduled by the watch. */
  private readonly soon = new Set<string>();
  private watcher: fs.FSWatcher | undefined;
  /** The watched folder's inode and birth time: ext4 gives a folder made again the freed inode. */
  private watchedId: string | undefined;
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;
  private first = true;
  /** The runs folder's and the lock's mtimes at the last listing, and when it was made. */
  private listed: { key: string; at: number } | undefined;

  constructor(
    /** The folder of the pipeline files (`.tributary/` is in it). */
    readonly folder: string,
    private readonly sink: FollowSink,
    private readonly o: FollowOptions,
  ) {
    const p = statePaths(path.join(folder, 'x.pipeline.yaml'));
    this.runsDir = p.runs;
    this.lockFile = p.lock;
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.pollMs);
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Is no run being followed (or read to see whose it is)? Then nothing is lost by disposing. */
  idle(): boolean {
    return this.open.size === 0;
  }

  /** The poll: new records, growth the watch missed, runners gone. */
  tick(): void {
    const dir = this.ensureWatch();
    if (this.unchanged(dir)) return;
    const ids = listRuns(this.runsDir);
    // Only records still in the folder can come up again: the set does not grow without bound.
    const listedNow = new Set(ids);
    for (const id of this.done) if (!listedNow.has(id)) this.done.delete(id);
    if (this.first) {
      this.first = false;
      // Records already there are history, except the run holding the lock (going when we looked).
      const lock = readLock(this.lockFile);
      const live = lock && (lock.host !== os.hostname() || lockHolderAlive(lock)) ? lock.run : '';
      for (const id of ids) if (id !== live) this.done.add(id);
    }
    for (const id of ids) if (!this.done.has(id)) this.pump(id);
    for (const f of [...this.open.values()]) if (f.following) this.checkAlive(f);
  }

  /**
   * While the watch is healthy the poll is only a safety net: with no run followed, it lists the
   * folder only when the folder's or the lock's mtime changed. A listing made less than a second
   * after the folder changed is not trusted (file times are coarse: a later change may keep them).
   */
  private unchanged(dir: fs.Stats | undefined): boolean {
    if (this.first || !this.watcher || this.open.size > 0) {
      this.listed = undefined;
      return false;
    }
    const lock = fs.statSync(this.lockFile, { throwIfNoEntry: false });
    const key = `${dir?.mtimeMs}:${lock?.mtimeMs}:${lock?.ino}:${lock?.birthtimeMs}`;
    const at = Date.now();
    if (this.listed?.key === key && this.listed.at - (dir?.mtimeMs ?? 0) > 1000) return true;
    this.listed = { key, at };
    return false;
  }

  /** inotify on the runs folder: a record created or appended to is read at once. Returns the folder's stat. */
  private ensureWatch(): fs.Stats | undefined {
    const st = fs.statSync(this.runsDir, { throwIfNoEntry: false });
    if (!this.o.watch) return st;
    // A runs folder deleted (and made again by the next run) leaves a watch on the old one.
    const id = st ? `${st.ino}:${st.birthtimeMs}` : undefined;
    if (this.watcher && id === this.watchedId) return st;
    this.unwatch();
    if (id === undefined) return st; // nothing ran here yet: the poll looks again
    try {
      this.watchedId = id;
      this.watcher = fs.watch(this.runsDir, (_kind, name) => {
        const n = typeof name === 'string' ? name : undefined;
        if (n === path.basename(this.runsDir)) {
          // The folder itself was removed or moved: this watch will see nothing more. Look again
          // now rather than at the next poll (the next run may already be making it again).
          this.unwatch();
          setImmediate(() => this.disposed || this.tick());
          return;
        }
        if (!n?.endsWith('.jsonl')) return;
        const id = n.slice(0, -'.jsonl'.length);
        if (this.first || this.done.has(id) || this.soon.has(id)) return;
        // A burst of writes (a backfill's skips) is read once, after the burst's callbacks.
        this.soon.add(id);
        setImmediate(() => {
          this.soon.delete(id);
          if (!this.done.has(id)) this.pump(id);
        });
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      // Gone between the stat and the watch: the poll looks again.
    }
    return st;
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Reads what record `id` gained and hands it on (or holds it until the run is known to be foreign). */
  private pump(id: string): void {
    let f = this.open.get(id);
    if (!f) {
      f = {
        id,
        tail: new RecordTail(path.join(this.runsDir, `${id}.jsonl`)),
        held: [],
        following: false,
      };
      this.open.set(id, f);
    }
    const events = f.tail.read();
    if (!f.following) {
      f.held.push(...events);
      const first = f.held[0];
      if (!first) return;
      if (first.event !== 'run_started') return this.drop(f); // not a run record we understand
      f.file = path.join(this.folder, path.basename(first.file));
      const own = this.sink.owns(f.file, id);
      if (own === 'unknown') return;
      if (own) return this.drop(f);
      f.following = true;
      const lock = readLock(this.lockFile);
      this.sink.started(f.file, id, lock?.run === id ? lock : undefined);
      const held = f.held;
      f.held = [];
      this.deliver(f, held);
      return;
    }
    this.deliver(f, events);
  }

  private deliver(f: Followed, events: RunEvent[]): void {
    for (const e of events) {
      if (!f.following) return;
      this.sink.event(f.file!, f.id, e);
      if (e.event === 'run_finished') this.drop(f);
    }
  }

  private drop(f: Followed): void {
    f.following = false;
    this.open.delete(f.id);
    this.done.add(f.id);
  }

  /**
   * "Dead" is decided before the record is read: the runner writes run_finished and closes the
   * record before it releases the lock and exits, so once it is seen gone the read that follows is
   * complete, and the run is lost only if that read still ends without run_finished. (Judging after
   * the read would let a runner that finished while the views handled the read's events be called lost.)
   */
  private checkAlive(f: Followed): void {
    const lock = readLock(this.lockFile);
    let why: string | undefined;
    if (!lock || lock.run !== f.id) why = 'the runner stopped without finishing the run';
    else if (lock.host === os.hostname() && !lockHolderAlive(lock))
      why = `the runner (pid ${lock.pid}) stopped without finishing the run`;
    // A runner on another host cannot be judged from here: followed until its record ends.
    this.pump(f.id);
    if (!f.following || why === undefined) return;
    this.drop(f);
    this.sink.lost(f.file!, f.id, why);
  }
}
