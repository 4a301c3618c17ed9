/**
 * The run's memory: every event goes to its JSONL record (written as it happens), to state.json
 * (saved every second and at the end) and to the live RunState the caller watches.
 */
import * as fs from 'node:fs';
import type { EventBody, RunEvent } from '../../core/run/events';
import { initialRunState, reduceRun, type RunState } from '../../core/run/state';
import { splitInstanceId } from '../../core/partitions/expand';
import { EventLog } from '../records/eventLog';
import { REASONS } from '../userError';
import type { StatePaths } from '../records/paths';
import { StateStore } from '../state/store';

export class RunRecorder {
  readonly state: RunState = initialRunState();
  readonly store: StateStore;
  private readonly log: EventLog;
  private readonly saver: NodeJS.Timeout;
  private closed = false;
  /**
   * Why the record could not be written (a full or read-only disk), once it could not: nothing
   * more is recorded (state.json included, so it never claims what the record lacks).
   */
  writeError: string | undefined;
  private onUnwritable: (() => void) | undefined;
  private lastMs = -1;
  private lastTs = '';

  constructor(
    readonly runId: string,
    readonly file: string,
    paths: StatePaths,
    private readonly onEvent?: (e: RunEvent, state: RunState) => void,
  ) {
    // Replays the records state.json has not seen yet (a crash, a deleted state.json).
    this.store = new StateStore(paths).load();
    this.log = new EventLog(file);
    this.saver = setInterval(() => this.save(), 1000);
    this.saver.unref();
  }

  /** Now as ISO text: one Date per millisecond, not per event (10,000 skips share a few). */
  private now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTs = new Date(ms).toISOString();
    }
    return this.lastTs;
  }

  private stamp(body: EventBody): RunEvent {
    // Key order as in the contract: ts, event, run, then the event's own fields.
    const { event, ...rest } = body;
    // The engine names instances `task@KEY`; the record says `task` and `partition` apart.
    if ('task' in rest && rest.task.includes('@')) {
      const { task: id, ...fields } = rest;
      const { task, partition } = splitInstanceId(id);
      const ts = this.now();
      return { ts, event, run: this.runId, task, partition, ...fields } as RunEvent;
    }
    return { ts: this.now(), event, run: this.runId, ...rest } as RunEvent;
  }

  emit(body: EventBody): void {
    const e = this.stamp(body);
    if (this.writeError === undefined) {
      let bytes: number | undefined;
      try {
        bytes = this.log.append(e);
      } catch (err) {
        this.unwritable(err);
      }
      if (this.writeError === undefined) this.store.record(e, bytes);
    }
    // The run goes on being shown as it is (and, stopped, as it ends) even when unrecorded.
    reduceRun(this.state, e);
    this.onEvent?.(e, this.state);
  }

  /** Writes the events of `fn` in one system call (thousands of skips decided at once). */
  batch(fn: () => void): void {
    try {
      this.log.batch(fn);
    } catch (err) {
      this.unwritable(err);
    }
  }

  /** `fn` is called once, when the record can no longer be written (the run is to stop). */
  whenUnwritable(fn: () => void): void {
    this.onUnwritable = fn;
    if (this.writeError !== undefined) fn();
  }

  private unwritable(err: unknown): void {
    if (this.writeError !== undefined) return;
    const code = (err as NodeJS.ErrnoException).code;
    this.writeError = `${this.file}: ${REASONS[code ?? ''] ?? (err instanceof Error ? err.message : String(err))}${code ? ` (${code})` : ''}`;
    this.onUnwritable?.();
  }

  /** state.json, unless the record stopped: it is only a summary of the records, replayed later. */
  private save(): void {
    if (this.writeError !== undefined) return;
    try {
      this.store.save();
    } catch {
      // A full disk: the records still hold everything, and the next run replays them.
    }
  }

  /** Flushes the record and state.json; called before the lock is released. Never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.saver);
    try {
      this.log.close();
    } catch (err) {
      this.unwritable(err);
    }
    this.save();
  }

  /**
   * An event after the run's end (the lock may belong to the next run by now): appended to this
   * run's own record only; state.json is the next run's to write.
   */
  late(body: EventBody): void {
    const e = this.stamp(body);
    try {
      fs.appendFileSync(this.file, JSON.stringify(e) + '\n');
    } catch {
      // The record's folder is gone: the caller still hears of it below.
    }
    this.onEvent?.(e, this.state);
  }
}
