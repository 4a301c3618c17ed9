/**
 * One pipeline under `serve`: its cron schedules and file watchers, and a queue that runs one
 * trigger at a time. A trigger that fires during a run waits; the same schedule waiting twice is
 * one run, each file is its own run (its `${trigger.file}`), so nothing is lost or run twice.
 */
import { Cron } from 'croner';
import { nextFireTimes } from '../../core/validate/schedule';
import type { LoadedPipeline } from '../load';
import { watchFiles } from './fileWatch';
import { lastSeen, markSeen } from './memory';
import { describeTrigger, triggerKey, type Trigger } from './triggers';

export type RunOutcome = 'done' | 'busy';

export interface ServiceDeps {
  log(message: string): void;
  run(loaded: LoadedPipeline, trigger: Trigger, signal: AbortSignal): Promise<RunOutcome>;
  /** How long a file's size must stay the same before it fires. */
  stableMs: number;
  /** Wait before trying again when another run holds the lock. */
  busyRetryMs: number;
}

const HEARTBEAT_MS = 30_000;

export class PipelineService {
  private crons: Cron[] = [];
  private watchers: { close(): Promise<void> }[] = [];
  private readonly pending = new Map<string, Trigger>();
  private current: Promise<void> | undefined;
  private readonly controller = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

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

  get busy(): boolean {
    return this.current !== undefined || this.pending.size > 0;
  }

  /** Starts the triggers; on the first start also catch-up and files already present. */
  async start(first: boolean): Promise<void> {
    const p = this.loaded.pipeline;
    for (const s of p.schedule) {
      const expr = s.value;
      const cron = new Cron(expr, { mode: '5-or-6-parts' }, () => {
        markSeen(this.file, Date.now());
        this.enqueue({ kind: 'schedule', expr });
      });
      this.crons.push(cron);
      this.deps.log(`schedule '${expr}': next run ${cron.nextRun()?.toLocaleString() ?? 'never'}`);
    }
    if (p.schedule.length > 0) {
      if (first) this.catchUp();
      markSeen(this.file, Date.now());
      this.heartbeat = setInterval(() => markSeen(this.file, Date.now()), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    for (const t of p.triggers) {
      const w = watchFiles({
        dir: this.loaded.dir,
        glob: t.files,
        initial: first && t.existing === 'process',
        stableMs: this.deps.stableMs,
        onFile: (file) => this.enqueue({ kind: 'file', file }),
        onError: (m) => this.deps.log(`watching ${t.files}: ${m}`),
      });
      this.watchers.push(w);
      await w.ready;
      this.deps.log(`watching ${t.files} (files present at start: ${t.existing})`);
    }
  }

  private catchUp(): void {
    const p = this.loaded.pipeline;
    const seen = lastSeen(this.file);
    if (p.catchup !== 'latest' || seen === undefined) return;
    for (const s of p.schedule) {
      const [missed] = nextFireTimes(s.value, 1, new Date(seen));
      if (missed && missed.getTime() <= Date.now()) {
        this.enqueue({ kind: 'catchup', expr: s.value, missed });
        return;
      }
    }
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
    this.current = this.deps
      .run(this.loaded, trigger, this.controller.signal)
      .then(
        (outcome) => {
          if (outcome === 'busy') this.waitAndRetry(key, trigger);
        },
        (e: unknown) =>
          this.deps.log(`run failed to start: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        this.current = undefined;
        this.pump();
      });
  }

  /** Another run holds the lock: keep the trigger first in line and try again later. */
  private waitAndRetry(key: string, trigger: Trigger): void {
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
    for (const c of this.crons) c.stop();
    this.crons = [];
    clearInterval(this.heartbeat);
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers = [];
  }

  /** Stops triggers, cancels the running run (its tasks are killed) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.stopTriggers();
    if (this.loaded.pipeline.schedule.length > 0) markSeen(this.file, Date.now());
    if (this.pending.size > 0)
      this.deps.log(
        `stopping: not starting ${[...this.pending.values()].map(describeTrigger).join(', ')}`,
      );
    this.pending.clear();
    this.controller.abort();
    await this.current;
  }
}
