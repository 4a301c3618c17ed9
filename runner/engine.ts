/** Runs a validated pipeline: plans, schedules, executes, records every event, honours cancel. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventBody, Fingerprint, Metrics, RunEvent, RunStatus } from '../core/run/events';
import type { Plan } from '../core/run/plan';
import { Scheduler } from '../core/run/scheduler';
import { reduceRun, initialRunState, type RunState } from '../core/run/state';
import { PipelineContext } from './context';
import { LocalExecutor } from './executors/local';
import type { Executor, RunningAttempt } from './executors/types';
import type { LoadedPipeline } from './load';
import { metricsDir, metricsFile, readMetrics } from './metrics';
import { notifyRun } from './notify/notify';
import { EventLog } from './records/eventLog';
import { RunLock } from './records/lock';
import { newRunId, statePaths } from './records/paths';
import { StateStore } from './state/store';
import { LocalTargetChecker, type TargetChecker } from './targets/check';
import { TargetCheckError } from './targets/postgres';
import { TaskOutput } from './taskOutput';
import type { TaskSpec } from './taskSpec';

export interface EngineOptions {
  targets: string[];
  force?: boolean;
  downstream?: boolean;
  workers?: number;
  params?: Record<string, string>;
  triggerFile?: string;
  executor?: Executor;
  /** Overrides every task's `executor` setting (`--executor`). */
  executorName?: 'local' | 'slurm';
  executors?: Partial<Record<'local' | 'slurm', Executor>>;
  targetChecker?: TargetChecker;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent, state: RunState) => void;
  onOutput?: (task: string, line: string, stream: 'stdout' | 'stderr') => void;
  warn?: (message: string) => void;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  state: RunState;
  plan: Plan;
  tails: Map<string, string[]>;
  logDir: string;
  /** Why the run failed before any task started (e.g. a database could not be reached). */
  message?: string;
}

function missingMessage(missing: string[]): string {
  return missing
    .map((m) =>
      m.startsWith('env.')
        ? `environment variable ${m.slice(4)} is not set`
        : `\${${m}} has no value in this run`,
    )
    .join('; ');
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

export async function runPipeline(loaded: LoadedPipeline, o: EngineOptions): Promise<RunResult> {
  const runId = newRunId();
  const paths = statePaths(loaded.file);
  const lock = RunLock.acquire(paths.lock, { run: runId, file: loaded.file }, o.warn ?? (() => {}));
  const store = new StateStore(paths);
  let log: EventLog | undefined;
  const saver = setInterval(() => store.save(), 1000);
  saver.unref();
  try {
    store.load();
    const run = new Run(loaded, o, runId, store, paths.logs);
    log = new EventLog(path.join(paths.runs, `${runId}.jsonl`));
    run.log = log;
    const result = await run.execute();
    await notifyRun(loaded, result, (body) => run.emit(body));
    return result;
  } finally {
    clearInterval(saver);
    log?.close();
    store.save();
    lock.release();
  }
}

class Run {
  log: EventLog | undefined;
  private readonly state = initialRunState();
  private readonly ctx: PipelineContext;
  private readonly running = new Map<number, RunningAttempt>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly attempts = new Map<number, number>();
  private readonly tails = new Map<string, string[]>();
  private readonly checker: TargetChecker;
  private failed = false;
  private cancelled = false;
  private readonly started = Date.now();
  private wake: () => void = () => {};

  constructor(
    private readonly loaded: LoadedPipeline,
    private readonly o: EngineOptions,
    private readonly runId: string,
    private readonly store: StateStore,
    private readonly logRoot: string,
  ) {
    this.checker = o.targetChecker ?? new LocalTargetChecker();
    this.ctx = new PipelineContext(loaded, store, this.checker, {
      ...(o.params ? { params: o.params } : {}),
      runId,
      ...(o.triggerFile !== undefined ? { triggerFile: o.triggerFile } : {}),
    });
  }

  private spec(i: number): TaskSpec {
    return this.ctx.spec(i);
  }

  emit(body: EventBody): void {
    // Key order as in the contract: ts, event, run, then the event's own fields.
    const { event, ...rest } = body;
    const e = { ts: new Date().toISOString(), event, run: this.runId, ...rest } as RunEvent;
    this.log?.append(e);
    this.store.record(e);
    reduceRun(this.state, e);
    this.o.onEvent?.(e, this.state);
  }

  private batch(fn: () => void): void {
    if (this.log) this.log.batch(fn);
    else fn();
  }

  async execute(): Promise<RunResult> {
    const g = this.loaded.graph;
    const order = this.ctx.order;
    const unreachable = await this.ctx.prepare().then(
      () => undefined,
      (e: unknown) => {
        if (e instanceof TargetCheckError) return e.message;
        throw e;
      },
    );
    if (unreachable !== undefined) return this.failBeforeStart(unreachable);
    const plan = this.ctx.plan(this.o.targets, !!this.o.force, !!this.o.downstream);
    const workers = this.o.workers ?? defaultWorkers();
    const params = { ...this.loaded.pipeline.params, ...this.o.params };
    this.emit({
      event: 'run_started',
      pipeline: this.loaded.pipeline.name ?? '',
      file: path.basename(this.loaded.file),
      tasks: plan.steps.map((s) => s.task),
      params,
      workers,
      ...(this.o.triggerFile !== undefined ? { trigger: this.o.triggerFile } : {}),
    });
    // Thousands of skips are decided at once: one write for all of them.
    this.batch(() => {
      for (const s of plan.steps)
        if (s.action === 'skip')
          this.emit({ event: 'task_skipped', task: s.task, status: 'complete', reason: s.reason });
    });

    const rank = new Map(order.map((t, i) => [t, i]));
    const scheduler = new Scheduler(g, plan.willRun, {
      workers,
      pools: this.loaded.pipeline.resources,
      usage: (t) => this.loaded.pipeline.tasks[t]?.resources ?? {},
      rank: (t) => rank.get(t) ?? 0,
    });
    this.batch(() => {
      for (const s of plan.steps)
        if (s.action === 'run' && this.isReadyAtStart(s.index, plan))
          this.emit({ event: 'task_queued', task: s.task });
    });

    // Tasks may write their metrics here ($TRIBUTARY_METRICS); an empty folder is removed after.
    const metrics = metricsDir(path.dirname(this.logRoot), this.runId);
    if (plan.willRun.size > 0) fs.mkdirSync(metrics, { recursive: true });
    const onAbort = (): void => this.cancel(scheduler);
    if (this.o.signal?.aborted) onAbort();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.loop(scheduler);
    } finally {
      this.o.signal?.removeEventListener('abort', onAbort);
    }
    try {
      fs.rmdirSync(metrics);
    } catch {
      // Not empty (metrics were written) or never made.
    }
    const status: RunStatus = this.cancelled ? 'cancelled' : this.failed ? 'failed' : 'success';
    this.emit({ event: 'run_finished', status, duration_ms: Date.now() - this.started });
    return {
      runId: this.runId,
      status,
      state: this.state,
      plan,
      tails: this.tails,
      logDir: path.join(this.logRoot, this.runId),
    };
  }

  /** A run that could not decide what to do (a database is down): recorded, and notified. */
  private failBeforeStart(message: string): RunResult {
    this.emit({
      event: 'run_started',
      pipeline: this.loaded.pipeline.name ?? '',
      file: path.basename(this.loaded.file),
      tasks: [],
      params: this.ctx.params,
      workers: 0,
    });
    this.emit({ event: 'run_finished', status: 'failed', duration_ms: 0, message });
    return {
      runId: this.runId,
      status: 'failed',
      state: this.state,
      plan: { steps: [], willRun: new Set() },
      tails: this.tails,
      logDir: path.join(this.logRoot, this.runId),
      message,
    };
  }

  /** Database outputs are asked again once their task has finished. */
  private async checkDbOutputs(spec: TaskSpec): Promise<string | undefined> {
    const db = spec.outputs.filter((o) => o.abs === undefined);
    if (db.length === 0) return undefined;
    try {
      await this.checker.prepare(db);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private isReadyAtStart(i: number, plan: Plan): boolean {
    const g = this.loaded.graph;
    return !(g.incoming[i] ?? []).some((id) => plan.willRun.has(g.edges[id]?.from as number));
  }

  private loop(scheduler: Scheduler): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        if (!this.cancelled) {
          for (let t = scheduler.take(); t !== undefined; t = scheduler.take())
            this.startAttempt(t, scheduler);
        }
        if (
          this.running.size === 0 &&
          this.retryTimers.size === 0 &&
          (this.cancelled || scheduler.readyCount === 0)
        )
          resolve();
      };
      this.wake();
    });
  }

  private cancel(scheduler: Scheduler): void {
    if (this.cancelled) return;
    this.cancelled = true;
    scheduler.drain();
    for (const [t, timer] of this.retryTimers) {
      clearTimeout(timer);
      this.emit({
        event: 'task_finished',
        task: this.spec(t).name,
        attempt: this.attempts.get(t) ?? 1,
        status: 'cancelled',
        exit_code: null,
        duration_ms: 0,
        message: 'cancelled while waiting to retry',
      });
    }
    this.retryTimers.clear();
    for (const a of this.running.values()) a.cancel();
    this.wake();
  }

  private executorFor(spec: TaskSpec): Executor {
    const name = this.o.executorName ?? spec.executor;
    const ex =
      this.o.executors?.[name] ??
      (name === 'local' ? (this.o.executor ?? new LocalExecutor()) : undefined);
    if (!ex) throw new Error(`the ${name} executor is not available`);
    return ex;
  }

  private startAttempt(t: number, scheduler: Scheduler): void {
    const spec = this.spec(t);
    const attempt = (this.attempts.get(t) ?? 0) + 1;
    this.attempts.set(t, attempt);
    const fingerprint = this.ctx.fingerprint(t);
    const executor = this.executorFor(spec);
    this.emit({
      event: 'task_started',
      task: spec.name,
      attempt,
      ...(executor.name !== 'local' ? { executor: executor.name } : {}),
    });
    const began = Date.now();
    const output = new TaskOutput(
      path.join(this.logRoot, this.runId, `${spec.name}.log`),
      (line, stream) => this.o.onOutput?.(spec.name, line, stream),
    );
    const env = {
      ...process.env,
      ...spec.env,
      TRIBUTARY_PIPELINE: this.loaded.pipeline.name ?? '',
      TRIBUTARY_TASK: spec.name,
      TRIBUTARY_RUN_ID: this.runId,
      TRIBUTARY_ATTEMPT: String(attempt),
      TRIBUTARY_METRICS: metricsFile(path.dirname(this.logRoot), this.runId, spec.name, attempt),
    };
    const running: RunningAttempt =
      spec.missing.length > 0
        ? {
            done: Promise.resolve({
              status: 'failed',
              exitCode: null,
              message: missingMessage(spec.missing),
            }),
            cancel: () => {},
          }
        : executor.start({
            task: spec.name,
            command: spec.command,
            cwd: spec.cwd,
            env,
            ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
            onOutput: (s, c) => output.write(s, c),
          });
    this.running.set(t, running);
    void running.done
      .then(async (r) => {
        output.end();
        this.tails.set(spec.name, output.tail);
        const dbError = r.status === 'success' ? await this.checkDbOutputs(spec) : undefined;
        if (dbError) return { status: 'failed', exitCode: r.exitCode, message: dbError };
        if (r.status !== 'success') return r;
        const read = readMetrics(env.TRIBUTARY_METRICS);
        if (read.problem) this.o.warn?.(`${spec.name}: ${read.problem}`);
        return read.metrics ? { ...r, metrics: read.metrics } : r;
      })
      .then((r) => {
        this.running.delete(t);
        this.finishAttempt(t, scheduler, r, began, fingerprint);
      });
  }

  private finishAttempt(
    t: number,
    scheduler: Scheduler,
    r: {
      status: string;
      exitCode: number | null;
      message?: string;
      job?: string;
      metrics?: Metrics;
    },
    began: number,
    fingerprint: Fingerprint,
  ): void {
    const spec = this.spec(t);
    const attempt = this.attempts.get(t) ?? 1;
    const duration = Date.now() - began;
    let status = r.status as 'success' | 'failed' | 'cancelled' | 'timed_out';
    let message = r.message;
    if (status === 'success') {
      const missing = spec.outputs.find((o) => !this.checker.exists(o));
      if (missing) {
        status = 'failed';
        message = `exited 0 but did not create its output ${missing.id}`;
      }
    }
    if (
      (status === 'failed' || status === 'timed_out') &&
      attempt <= spec.retries &&
      !this.cancelled
    ) {
      const delay = spec.retryDelayMs * 2 ** (attempt - 1);
      this.emit({
        event: 'task_retry',
        task: spec.name,
        attempt: attempt + 1,
        delay_ms: delay,
        reason: message ?? status,
      });
      scheduler.release(t);
      this.retryTimers.set(
        t,
        setTimeout(() => {
          this.retryTimers.delete(t);
          scheduler.requeue(t);
          this.wake();
        }, delay),
      );
      this.wake();
      return;
    }
    this.emit({
      event: 'task_finished',
      task: spec.name,
      attempt,
      status,
      exit_code: r.exitCode,
      duration_ms: duration,
      ...(message ? { message } : {}),
      ...(r.job ? { job: r.job } : {}),
      ...(status === 'success' && r.metrics ? { metrics: r.metrics } : {}),
      ...(status === 'success' ? { fingerprint, outputs: spec.outputs.map((o) => o.id) } : {}),
    });
    if (status === 'cancelled') {
      scheduler.release(t);
    } else {
      const next = scheduler.finish(t, status === 'success');
      if (status !== 'success') this.failed = true;
      for (const d of next.blocked)
        this.emit({
          event: 'task_skipped',
          task: this.spec(d).name,
          status: 'upstream_failed',
          reason: `upstream ${spec.name} ${status === 'timed_out' ? 'timed out' : 'failed'}`,
        });
      if (!this.cancelled)
        for (const d of next.ready) this.emit({ event: 'task_queued', task: this.spec(d).name });
    }
    this.wake();
  }
}
