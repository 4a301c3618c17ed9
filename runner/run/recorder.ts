/**
 * The run's memory: every event goes to its JSONL record (written as it happens), to state.json
 * (saved every second and at the end) and to the live RunState the caller watches.
 */
import * as fs from 'node:fs';
import type { EventBody, RunEvent } from '../../core/run/events';
import { initialRunState, reduceRun, type RunState } from '../../core/run/state';
import { splitInstanceId } from '../../core/partitions/expand';
import { EventLog } from '../records/eventLog';
import type { StatePaths } from '../records/paths';
import { StateStore } from '../state/store';

export class RunRecorder {
  readonly state: RunState = initialRunState();
  readonly store: StateStore;
  private readonly log: EventLog;
  private readonly saver: NodeJS.Timeout;
  private closed = false;
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
    this.saver = setInterval(() => this.store.save(), 1000);
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
    this.store.record(e, this.log.append(e));
    reduceRun(this.state, e);
    this.onEvent?.(e, this.state);
  }

  /** Writes the events of `fn` in one system call (thousands of skips decided at once). */
  batch(fn: () => void): void {
    this.log.batch(fn);
  }

  /** Flushes the record and state.json; called before the lock is released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.saver);
    try {
      this.log.close();
    } finally {
      this.store.save();
    }
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
