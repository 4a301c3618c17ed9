/**
 * Running and scheduling: decides the plan, records skips, starts attempts as workers and pools
 * allow, retries with backoff, blocks the downstream of failures and honours cancel and kill.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fingerprint, RunStatus } from '../../core/run/events';
import type { Plan } from '../../core/run/plan';
import { Scheduler } from '../../core/run/scheduler';
import { PipelineContext } from '../context';
import type { LoadedPipeline } from '../load';
import { metricsDir } from '../metrics';
import { LocalTargetChecker, type TargetChecker } from '../targets/check';
import { TargetCheckError } from '../targets/postgres';
import type { TaskSpec } from '../taskSpec';
import {
  type AttemptContext,
  type AttemptOutcome,
  executorFor,
  type StartedAttempt,
  startAttempt,
} from './attempt';
import { HeapTrim } from './heapTrim';
import { defaultWorkers, type EngineOptions } from './options';
import type { RunRecorder } from './recorder';
import type { RunResult } from './result';

export class Run {
  private readonly ctx: PipelineContext;
  private readonly running = new Map<number, StartedAttempt>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly attempts = new Map<number, number>();
  private readonly tails = new Map<string, string[]>();
  private readonly checker: TargetChecker;
  private readonly attemptCtx: AttemptContext;
  private failed = false;
  private cancelled = false;
  private killed = false;
  private readonly started = Date.now();
  private wake: () => void = () => {};
  private trim = new HeapTrim(0, false);

  constructor(
    private readonly loaded: LoadedPipeline,
    private readonly o: EngineOptions,
    private readonly rec: RunRecorder,
    private readonly logRoot: string,
  ) {
    this.checker = o.targetChecker ?? new LocalTargetChecker();
    this.ctx = new PipelineContext(loaded, rec.store, this.checker, {
      ...(o.params ? { params: o.params } : {}),
      runId: rec.runId,
      ...(o.triggerFile !== undefined ? { triggerFile: o.triggerFile } : {}),
    });
    this.attemptCtx = {
      runId: rec.runId,
      pipelineName: loaded.pipeline.name ?? '',
      dir: loaded.dir,
      logRoot,
      checker: this.checker,
      o,
    };
  }

  private spec(i: number): TaskSpec {
    return this.ctx.spec(i);
  }

  private result(status: RunStatus, plan: Plan, message?: string): RunResult {
    return {
      runId: this.rec.runId,
      status,
      state: this.rec.state,
      plan,
      tails: this.tails,
      logDir: path.join(this.logRoot, this.rec.runId),
      ...(message !== undefined ? { message } : {}),
    };
  }

  async execute(): Promise<RunResult> {
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
    this.rec.emit({
      event: 'run_started',
      pipeline: this.loaded.pipeline.name ?? '',
      file: path.basename(this.loaded.file),
      tasks: plan.steps.map((s) => s.task),
      params: { ...this.loaded.pipeline.params, ...this.o.params },
      workers,
      ...(this.o.triggerFile !== undefined ? { trigger: this.o.triggerFile } : {}),
      ...(this.o.startedBy !== undefined ? { started_by: this.o.startedBy } : {}),
      ...(this.loaded.partitioned ? { partitions: this.loaded.partitioned.keys } : {}),
    });
    // Thousands of skips are decided at once: one write for all of them.
    this.rec.batch(() => {
      for (const s of plan.steps)
        if (s.action === 'skip')
          this.rec.emit({
            event: 'task_skipped',
            task: s.task,
            status: 'complete',
            reason: s.reason,
          });
    });

    if (plan.willRun.size > 0) this.rec.store.compact();
    this.trim = new HeapTrim(1000, plan.willRun.size >= 2000);
    this.trim.start();
    const rank = new Map(this.ctx.order.map((t, i) => [t, i]));
    const scheduler = new Scheduler(this.loaded.graph, plan.willRun, {
      workers,
      pools: this.loaded.pipeline.resources,
      usage: (t) => this.loaded.pipeline.tasks[t]?.resources ?? {},
      rank: (t) => rank.get(t) ?? 0,
    });
    this.rec.batch(() => {
      for (const s of plan.steps)
        if (s.action === 'run' && this.isReadyAtStart(s.index, plan))
          this.rec.emit({ event: 'task_queued', task: s.task });
    });

    // Tasks may write their metrics here ($TRIBUTARY_METRICS); an empty folder is removed after.
    const metrics = metricsDir(path.dirname(this.logRoot), this.rec.runId);
    try {
      if (plan.willRun.size > 0) fs.mkdirSync(metrics, { recursive: true });
    } catch {
      // A full disk: a task's metrics then cannot be written (and are not read); the run goes on.
    }
    // A record that cannot be written (a full or read-only disk) stops the run: what ran
    // unrecorded would be outputs without lineage, and a status no one could check.
    this.rec.whenUnwritable(() => this.cancel(scheduler));
    const onAbort = (): void => this.cancel(scheduler);
    const onKill = (): void => this.kill(scheduler);
    if (this.o.signal?.aborted) onAbort();
    if (this.o.killSignal?.aborted) onKill();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    this.o.killSignal?.addEventListener('abort', onKill, { once: true });
    try {
      await this.loop(scheduler);
    } finally {
      this.o.signal?.removeEventListener('abort', onAbort);
      this.o.killSignal?.removeEventListener('abort', onKill);
    }
    try {
      fs.rmdirSync(metrics);
    } catch {
      // Not empty (metrics were written) or never made.
    }
    const lost = this.rec.writeError;
    if (lost !== undefined) {
      const message = `the run was stopped: its record cannot be written (${lost})`;
      this.rec.emit({
        event: 'run_finished',
        status: 'failed',
        duration_ms: Date.now() - this.started,
        message,
      });
      return this.result('failed', plan, message);
    }
    const status: RunStatus = this.cancelled ? 'cancelled' : this.failed ? 'failed' : 'success';
    this.rec.emit({ event: 'run_finished', status, duration_ms: Date.now() - this.started });
    return this.result(status, plan);
  }

  /** A run that could not decide what to do (a database is down): recorded, and notified. */
  private failBeforeStart(message: string): RunResult {
    this.rec.emit({
      event: 'run_started',
      pipeline: this.loaded.pipeline.name ?? '',
      file: path.basename(this.loaded.file),
      tasks: [],
      params: this.ctx.params,
      workers: 0,
    });
    this.rec.emit({ event: 'run_finished', status: 'failed', duration_ms: 0, message });
    return this.result('failed', { steps: [], willRun: new Set() }, message);
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
            this.start(t, scheduler);
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
      this.rec.emit({
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
    for (const a of this.running.values()) a.cancel(this.killed);
    this.wake();
  }

  /** Cancel without the grace period: every running attempt is KILLed now. */
  private kill(scheduler: Scheduler): void {
    this.killed = true;
    if (!this.cancelled) this.cancel(scheduler);
    else for (const a of this.running.values()) a.cancel(true);
  }

  private start(t: number, scheduler: Scheduler): void {
    const spec = this.spec(t);
    const attempt = (this.attempts.get(t) ?? 0) + 1;
    this.attempts.set(t, attempt);
    const fingerprint = this.ctx.fingerprint(t);
    const executor = executorFor(spec, this.o);
    this.rec.emit({
      event: 'task_started',
      task: spec.name,
      attempt,
      ...(executor.name !== 'local' ? { executor: executor.name } : {}),
    });
    const started = startAttempt(spec, attempt, executor, this.attemptCtx);
    const began = Date.now();
    this.running.set(t, started);
    void started.outcome.then((r) => {
      this.running.delete(t);
      this.finish(t, scheduler, r, began, fingerprint, started.tail());
    });
  }

  private finish(
    t: number,
    scheduler: Scheduler,
    r: AttemptOutcome,
    began: number,
    fingerprint: Fingerprint,
    tail: string[],
  ): void {
    const spec = this.spec(t);
    const attempt = this.attempts.get(t) ?? 1;
    const duration = Date.now() - began;
    let status = r.status;
    let message = r.message;
    if (status === 'success') {
      const missing = spec.outputs.find((out) => !this.checker.exists(out));
      if (missing) {
        status = 'failed';
        message = `exited 0 but did not create its output ${missing.id}`;
      }
    }
    // Summaries show the last lines of failures only: 10,000 successes keep none.
    if (status === 'failed' || status === 'timed_out') this.tails.set(spec.name, tail);
    else this.tails.delete(spec.name);
    if (
      (status === 'failed' || status === 'timed_out') &&
      attempt <= spec.retries &&
      !this.cancelled
    ) {
      const delay = spec.retryDelayMs * 2 ** (attempt - 1);
      this.rec.emit({
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
    this.rec.emit({
      event: 'task_finished',
      task: spec.name,
      attempt,
      status,
      exit_code: r.exitCode,
      duration_ms: duration,
      ...(message ? { message } : {}),
      ...(r.job ? { job: r.job } : {}),
      ...(status === 'success' && r.metrics ? { metrics: r.metrics } : {}),
      ...(status === 'success' ? { fingerprint, outputs: spec.outputs.map((out) => out.id) } : {}),
    });
    this.trim.taskFinished();
    // Its spec is not needed again: 10,000 of them need not live to the end of the run.
    this.ctx.forget(t);
    if (status === 'cancelled') {
      scheduler.release(t);
    } else {
      const next = scheduler.finish(t, status === 'success');
      if (status !== 'success') this.failed = true;
      for (const d of next.blocked)
        this.rec.emit({
          event: 'task_skipped',
          task: this.ctx.name(d),
          status: 'upstream_failed',
          reason: `upstream ${spec.name} ${status === 'timed_out' ? 'timed out' : 'failed'}`,
        });
      if (!this.cancelled)
        for (const d of next.ready) this.rec.emit({ event: 'task_queued', task: this.ctx.name(d) });
    }
    this.wake();
  }
}
