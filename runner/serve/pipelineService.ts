/**
 * One pipeline under `serve`: its cron schedules and file watchers, and a queue that runs one
 * trigger at a time. A trigger that fires during a run waits; the same schedule waiting twice is
 * one run, each file is its own run (its `${trigger.file}`), so nothing is lost or run twice.
 * Reloads and invalid saves pause the triggers only: the running run and the queue go on, and
 * files that landed meanwhile are found by a rescan. A schedule counts as handled (for
 * `catchup`) only once its run has finished.
 */
import * as path from 'node:path';
import { Cron } from 'croner';
import { nextFireTimes } from '../../core/validate/schedule';
import type { LoadedPipeline } from '../load';
import { fileVersion, scanFiles, watchFiles } from './fileWatch';
import { forgetGoneFiles, handledFiles, lastSeen, markFileHandled, markSeen } from './memory';
import { writerOf } from './writers';
import { describeTrigger, triggerKey, type Trigger } from './triggers';
import { hasPlaceholder, partitionOfFile, watchGlob } from '../../core/partitions/files';
import { latestFinished, type Partitions } from '../../core/partitions/partitions';
import { canonicalZone, isoInZone, machineZone } from '../../core/partitions/zone';
import { partitionsOf } from '../run/partitioned';

/** `cancelled`: stopped with serve, so not handled (a file fires again at the next start). */
export type RunOutcome = 'done' | 'busy' | 'cancelled';

export interface ServiceDeps {
  log(message: string): void;
  run(loaded: LoadedPipeline, trigger: Trigger, signal: AbortSignal): Promise<RunOutcome>;
  /** How long a file's size must stay the same before it fires. */
  stableMs: number;
  /** Wait before trying again when another run holds the lock. */
  busyRetryMs: number;
}

const HEARTBEAT_MS = 30_000;

/**
 * A fire time as the log shows it: cron reads the machine's zone (TZ), so the time is given in
 * it, named, beside the log's UTC stamps (`2026-12-02T00:00:00+05:30 (Asia/Kolkata)`).
 */
function zoned(d: Date | null): string {
  if (!d) return 'never';
  // The name as the user set it (ICU would say Asia/Calcutta for TZ=Asia/Kolkata).
  const tz = process.env.TZ;
  const zone = tz && canonicalZone(tz) ? tz : machineZone();
  return `${isoInZone(zone, d.getTime())} (${zone})`;
}
/** Slack for file times against the moment the watchers stopped (clock granularity). */
const TOUCH_SLACK_MS = 1000;

export class PipelineService {
  private crons: Cron[] = [];
  private watchers: { close(): Promise<void> }[] = [];
  private readonly pending = new Map<string, Trigger>();
  private current: Promise<void> | undefined;
  private readonly controller = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The version of each matching file already fired (or present at start), per path. */
  private readonly seen = new Map<string, string>();
  /** Files seen while still open for writing, and the timers that look at them again. */
  private readonly writing = new Set<string>();
  private readonly writingTimers = new Map<string, NodeJS.Timeout>();
  /** When the watchers last stopped (reload, invalid save): files touched since are rescanned. */
  private pausedAt: number | undefined;
  /** Fire times of the schedule trigger waiting in the queue and of the one running. */
  private scheduleWaiting: number | undefined;
  private scheduleRunning: number | undefined;

  constructor(
    private loaded: LoadedPipeline,
    private readonly deps: ServiceDeps,
  ) {}

  get file(): string {
    return this.loaded.file;
  }

  get pipeline(): LoadedPipeline {
    return this.loaded;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  get busy(): boolean {
    return this.current !== undefined || this.pending.size > 0;
  }

  /** Starts the triggers; on the first start also catch-up and files already present. */
  /**
   * `since`: this serve took over from another one (standing by since then): files touched
   * since and not handled by that serve fire, as after a pause, whatever `existing` says.
   */
  async start(first: boolean, since?: number): Promise<void> {
    if (since !== undefined) this.pausedAt = since;
    const p = this.loaded.pipeline;
    for (const s of p.schedule) {
      const expr = s.value;
      // The scheduled time of each fire (what a partitioned pipeline's partition is computed from).
      let expected: number | undefined;
      const cron = new Cron(expr, { mode: '5-or-6-parts' }, () => {
        const now = Date.now();
        const at = expected !== undefined && Math.abs(now - expected) < 5000 ? expected : now;
        expected = cron.nextRun(new Date(at))?.getTime();
        this.scheduleWaiting ??= at;
        const parts = this.partitions;
        const partition = parts?.kind === 'time' ? latestFinished(parts, at) : undefined;
        this.enqueue({ kind: 'schedule', expr, at, ...(partition ? { partition } : {}) });
      });
      expected = cron.nextRun()?.getTime();
      this.crons.push(cron);
      this.deps.log(`schedule '${expr}': next run ${zoned(cron.nextRun())}`);
    }
    // `catchup: all`: every missing partition since `start`, oldest first, at the first start.
    if (first && p.catchup === 'all' && this.partitions) this.enqueue({ kind: 'backfill' });
    if (p.schedule.length > 0) {
      if (first) this.catchUp();
      this.markHandled();
      this.heartbeat = setInterval(() => this.markHandled(), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    if (first && p.triggers.length > 0) forgetGoneFiles(this.file, this.loaded.dir);
    for (const t of p.triggers) {
      // `{partition}` in the pattern stands for any name; the name then says which partition.
      const glob = watchGlob(t.files);
      const w = watchFiles({
        dir: this.loaded.dir,
        glob,
        stableMs: this.deps.stableMs,
        onFile: (file) => this.fileSeen(file, t.files),
        onError: (m) => this.deps.log(`watching ${t.files}: ${m}`),
      });
      this.watchers.push(w);
      await w.ready;
      const { fired: found, handled } = this.rescan(
        t.files,
        first ? t.existing === 'process' : false,
      );
      const skipped =
        (handled ? `; ${handled} already handled by an earlier serve` : '') +
        (since !== undefined && found ? `; ${found} arrived while the other serve stopped` : '');
      this.deps.log(
        first
          ? `watching ${t.files} (files present at start: ${t.existing}${skipped})`
          : `watching ${t.files}${found ? ` (${found} file(s) arrived while reloading)` : ''}`,
      );
    }
    this.pausedAt = undefined;
  }

  /** A watcher saw a file: it fires unless this very version fired already (watcher and rescan). */
  private fileSeen(file: string, pattern: string): void {
    if (this.writing.has(file)) return; // its writer is being waited for
    const v = fileVersion(this.loaded.dir, file);
    if (!v || this.seen.get(file) === v.version) return;
    if (this.stillWritten(file, pattern)) return;
    this.seen.set(file, v.version);
    const parts = this.partitions;
    if (!parts || !hasPlaceholder(pattern))
      return this.enqueue({ kind: 'file', file, version: v.version });
    const named = partitionOfFile(pattern, file, parts, Date.now());
    // A name that gives no partition is one line in the log, not a run.
    if ('reason' in named) return this.deps.log(`${named.reason}; not run`);
    this.enqueue({ kind: 'file', file, partition: named.key, version: v.version });
  }

  /**
   * A file still open for writing (its writer paused longer than the stable time) is looked at
   * again until its writer closes it: a run never starts on half a file.
   */
  private stillWritten(file: string, pattern: string): boolean {
    const pid = writerOf(path.join(this.loaded.dir, file));
    if (pid === undefined) return false;
    this.deps.log(`file ${file} is still being written (open by pid ${pid}); waiting for it`);
    const poll = (): void => {
      if (this.stopped) return;
      if (writerOf(path.join(this.loaded.dir, file)) !== undefined) {
        this.writingTimers.set(file, setTimeout(poll, this.deps.stableMs).unref());
        return;
      }
      this.writing.delete(file);
      this.writingTimers.delete(file);
      this.fileSeen(file, pattern);
    };
    this.writing.add(file);
    this.writingTimers.set(file, setTimeout(poll, this.deps.stableMs).unref());
    return true;
  }

  /** The pipeline's partitions when a task is partitioned (undefined otherwise). */
  private get partitions(): Partitions | undefined {
    try {
      return partitionsOf(this.loaded);
    } catch {
      return undefined;
    }
  }

  /**
   * The files matching now: at the first start they are remembered (and, with `existing:
   * process`, fired unless an earlier serve handled this very version); after a pause, those new
   * or changed since it fire. A file still being written is looked at again once it has been
   * still for the stable time. Returns how many fired, and how many were handled before.
   */
  private rescan(pattern: string, fireAll: boolean): { fired: number; handled: number } {
    const since = this.pausedAt;
    // At a start, files whose run finished under an earlier serve are known, not new.
    const handled =
      fireAll || since !== undefined ? handledFiles(this.file) : new Map<string, string>();
    let fired = 0;
    let skipped = 0;
    for (const file of scanFiles(this.loaded.dir, watchGlob(pattern))) {
      const v = fileVersion(this.loaded.dir, file);
      if (!v) continue;
      if (handled.get(file) === v.version) {
        this.seen.set(file, v.version);
        skipped++;
      }
      const known = this.seen.get(file);
      const fresh =
        (fireAll && known === undefined) ||
        (known !== undefined
          ? known !== v.version
          : since !== undefined && v.touchedMs >= since - TOUCH_SLACK_MS);
      if (!fresh) {
        this.seen.set(file, v.version);
        continue;
      }
      if (Date.now() - v.touchedMs < this.deps.stableMs)
        setTimeout(() => this.fileSeen(file, pattern), this.deps.stableMs).unref();
      else this.fileSeen(file, pattern);
      fired++;
    }
    return { fired, handled: skipped };
  }

  private catchUp(): void {
    const p = this.loaded.pipeline;
    const seen = lastSeen(this.file);
    // `all` without partitioned tasks catches up like `latest` (there is one thing to run).
    const latest = p.catchup === 'latest' || (p.catchup === 'all' && !this.partitions);
    if (!latest || seen === undefined) return;
    for (const s of p.schedule) {
      const [missed] = nextFireTimes(s.value, 1, new Date(seen));
      if (missed && missed.getTime() <= Date.now()) {
        this.scheduleWaiting ??= missed.getTime();
        this.enqueue({ kind: 'catchup', expr: s.value, missed });
        return;
      }
    }
  }

  /**
   * Schedules are handled up to now, or up to just before the earliest fire whose run has not
   * finished: a serve killed mid-run catches that fire up when it starts again.
   */
  private markHandled(): void {
    if (this.loaded.pipeline.schedule.length === 0) return;
    const open = [this.scheduleWaiting, this.scheduleRunning].filter(
      (t): t is number => t !== undefined,
    );
    markSeen(this.file, open.length > 0 ? Math.min(...open) - 1 : Date.now());
  }

  /** Stops the triggers (an invalid save): the running run and the queue go on. */
  async pause(): Promise<void> {
    await this.stopTriggers();
  }

  /** New triggers from an edited file; a run in progress goes on with the old definition. */
  async reload(loaded: LoadedPipeline): Promise<void> {
    await this.stopTriggers();
    this.loaded = loaded;
    if (!this.stopped) await this.start(false);
  }

  enqueue(t: Trigger): void {
    if (this.stopped) return;
    const key = triggerKey(t);
    if (this.pending.has(key)) {
      this.deps.log(`${describeTrigger(t)} fired; already waiting, coalesced`);
      return;
    }
    this.pending.set(key, t);
    this.deps.log(
      `${describeTrigger(t)} fired${this.current ? '; queued behind the running run' : ''}`,
    );
    this.pump();
  }

  private pump(): void {
    if (this.stopped || this.current || this.retry) return;
    const next = this.pending.entries().next();
    if (next.done) return;
    const [key, trigger] = next.value;
    this.pending.delete(key);
    // Moved away or deleted while it waited (a clean-up, a second copy): nothing to run on.
    if (trigger.kind === 'file' && !fileVersion(this.loaded.dir, trigger.file)) {
      this.deps.log(`file ${trigger.file} is gone; not run`);
      return this.pump();
    }
    const scheduled = trigger.kind !== 'file';
    if (scheduled) {
      this.scheduleRunning = this.scheduleWaiting;
      this.scheduleWaiting = undefined;
    }
    this.current = this.deps
      .run(this.loaded, trigger, this.controller.signal)
      .then(
        (outcome) => {
          if (outcome === 'busy') this.waitAndRetry(key, trigger);
          else if (outcome === 'done' && trigger.kind === 'file' && trigger.version)
            markFileHandled(this.file, trigger.file, trigger.version);
          // Cancelled by stop(): not handled, so the next start catches it up.
          else if (scheduled && !this.stopped) this.scheduleRunning = undefined;
        },
        (e: unknown) => {
          if (scheduled) this.scheduleRunning = undefined;
          this.deps.log(`run failed to start: ${e instanceof Error ? e.message : String(e)}`);
        },
      )
      .finally(() => {
        this.current = undefined;
        if (scheduled) this.markHandled();
        this.pump();
      });
  }

  /** Another run holds the lock: keep the trigger first in line and try again later. */
  private waitAndRetry(key: string, trigger: Trigger): void {
    if (trigger.kind !== 'file') {
      const open = [this.scheduleWaiting, this.scheduleRunning].filter(
        (t): t is number => t !== undefined,
      );
      this.scheduleWaiting = open.length > 0 ? Math.min(...open) : undefined;
      this.scheduleRunning = undefined;
    }
    if (this.stopped) return;
    const rest = [...this.pending];
    this.pending.clear();
    this.pending.set(key, trigger);
    for (const [k, t] of rest) if (!this.pending.has(k)) this.pending.set(k, t);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.pump();
    }, this.deps.busyRetryMs);
  }

  private async stopTriggers(): Promise<void> {
    this.pausedAt ??= Date.now();
    for (const c of this.crons) c.stop();
    this.crons = [];
    clearInterval(this.heartbeat);
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers = [];
  }

  /**
   * The pipeline file was deleted (a branch switch, a clean-up): no more triggers, the queue is
   * dropped, and the running run goes on to its end, as after an edit. Resolves when it has.
   */
  async retire(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const t of this.writingTimers.values()) clearTimeout(t);
    await this.stopTriggers();
    if (this.pending.size > 0)
      this.deps.log(`not starting ${[...this.pending.values()].map(describeTrigger).join(', ')}`);
    this.pending.clear();
    await this.current;
    this.markHandled();
  }

  /** Stops triggers, cancels the running run (its tasks are killed) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const t of this.writingTimers.values()) clearTimeout(t);
    await this.stopTriggers();
    if (this.pending.size > 0)
      this.deps.log(
        `stopping: not starting ${[...this.pending.values()].map(describeTrigger).join(', ')}`,
      );
    this.pending.clear();
    this.controller.abort();
    await this.current;
    this.markHandled();
  }
}
