/**
 * `tributary serve`: every pipeline under the given paths, reloaded when its file changes; an
 * invalid pipeline is reported and its triggers paused until it is fixed (a run in progress goes
 * on). One line of log per decision.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { formatDuration } from '../../core/durations';
import { countRun } from '../../core/run/state';
import { LineIndex } from '../../core/text/lines';
import { formatFinding } from '../render/findings';
import { defaultWorkers, runPipeline } from '../engine';
import { disposeExecutors, executorsFor } from '../executors/forPipeline';
import { loadPipeline, type LoadedPipeline } from '../load';
import { stopNotifyCommands } from '../notify/command';
import { mailSettings } from '../notify/mail';
import { flushDigest, notifyRun } from '../notify/notify';
import type { LateReport } from '../run/options';
import type { RunResult } from '../run/result';
import { LockHeldError, liveRunId, type RunLock } from '../records/lock';
import { statePaths } from '../records/paths';
import { fileSystemErrorLine, UserError } from '../userError';
import { discoverPipelines, IGNORED_DIRS, isPipelineFile } from './discover';
import { PipelineService, type RunOutcome } from './pipelineService';
import { describeTrigger, type Trigger } from './triggers';
import { partitionedForTrigger } from './partitionRun';
import { acquireServeLock, serveLockFile } from './serveLock';

export interface ServeOptions {
  log: (line: string) => void;
  /** Tasks at once in each run (`--workers`; default: the number of CPUs). */
  workers?: number;
  stableMs?: number;
  busyRetryMs?: number;
  /** Waits before trying a mail again that failed for a transient reason (server down, 4xx). */
  mailRetryMs?: number[];
}

/** A relay that is down for a reboot or a deploy at midnight: 1, 5 and 15 minutes. */
const MAIL_RETRY_MS = [60_000, 300_000, 900_000];

const DIGEST_CHECK_MS = 60_000;
/** How often a pipeline served by another serve is looked at again (to take over when it stops). */
const STANDBY_CHECK_MS = 5_000;

function partitionsNote(keys: string[] | undefined): string {
  if (!keys || keys.length === 0) return '';
  return keys.length === 1
    ? `, partition ${keys[0]}`
    : `, partitions ${keys[0]} … ${keys.at(-1)} (${keys.length})`;
}

/** Why a trigger waits: the run that holds the folder's lock, as serve's own log says it. */
function waitLine(e: LockHeldError): string {
  const h = e.held;
  if (!h) return `waiting: ${e.message}; trying again every few seconds`;
  const who = `${path.relative(process.cwd(), h.file) || h.file} run ${h.run} (pid ${h.pid} on host ${h.host}, since ${h.started}${h.command === 'serve' ? ', by tributary serve' : ''})`;
  return `waiting: the folder's lock is held by ${who}; starts when it is released`;
}

export class Server {
  private readonly services = new Map<string, PipelineService>();
  /** The serve lock of each pipeline served here. */
  private readonly locks = new Map<string, RunLock>();
  /** Pipelines another serve holds: what was last said about each (said once). */
  private readonly standby = new Map<string, string>();
  /** When each of them began to stand by: files touched since fire at the takeover. */
  private readonly standbySince = new Map<string, number>();
  private standbyTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Aborted when serve stops: mails waiting to be tried again give up (recorded as failed). */
  private readonly stopMail = new AbortController();
  /** The lock holder each pipeline last said it waits for. */
  private readonly waitingFor = new Map<string, string>();
  /** Notifications still being sent (or waiting to be tried again). */
  private readonly notifying = new Set<Promise<void>>();
  /** With a digest: the last of each pipeline's notifications, the next one goes after it. */
  private readonly digestChain = new Map<string, Promise<void>>();
  /** Services of deleted pipeline files whose last run is still going. */
  private readonly retiring = new Set<PipelineService>();
  private watcher: FSWatcher | undefined;
  private digestTimer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Aborted by `killNow()` (a second signal): running tasks are KILLed without a grace period. */
  private readonly killer = new AbortController();

  constructor(
    private readonly paths: string[],
    private readonly o: ServeOptions,
  ) {}

  private log(file: string, message: string): void {
    this.o.log(
      `${new Date().toISOString()} ${path.relative(process.cwd(), file) || file}: ${message}`,
    );
  }

  /** Loads every pipeline found and starts watching for new and edited ones. */
  async start(): Promise<number> {
    const { files, missing } = discoverPipelines(this.paths);
    if (missing.length === this.paths.length)
      throw new UserError(`no such file or folder: ${missing.join(', ')}`);
    for (const m of missing) this.o.log(`${new Date().toISOString()} ${m}: no such file or folder`);
    for (const f of files) await this.load(f, true);
    this.watcher = watch(
      this.paths.map((p) => path.resolve(p)),
      {
        ignoreInitial: true,
        ignored: (p, stats) =>
          IGNORED_DIRS.some((d) => p.includes(`${path.sep}${d.split('/')[1]}`)) ||
          (!!stats?.isFile() && !isPipelineFile(p)),
        awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
      },
    );
    const later = (fn: () => Promise<void>): void => {
      this.chain = this.chain.then(fn, fn);
    };
    this.watcher.on('add', (f) => isPipelineFile(f) && later(() => this.load(f, false)));
    this.watcher.on('change', (f) => isPipelineFile(f) && later(() => this.load(f, false)));
    this.watcher.on('unlink', (f) => isPipelineFile(f) && later(() => this.unload(f)));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    this.digestTimer = setInterval(() => void this.flushDigests(), DIGEST_CHECK_MS);
    this.standbyTimer = setInterval(() => {
      // Loaded again only once its holder is gone (no log line every few seconds meanwhile).
      for (const f of this.standby.keys())
        if (liveRunId(serveLockFile(f)) === undefined) later(() => this.load(f, true));
    }, STANDBY_CHECK_MS);
    this.o.log(
      `${new Date().toISOString()} serving ${this.services.size} pipeline(s); stop with Ctrl+C or SIGTERM`,
    );
    return this.services.size;
  }

  private async load(file: string, first: boolean): Promise<void> {
    const abs = path.resolve(file);
    let loaded: LoadedPipeline;
    try {
      loaded = loadPipeline(abs);
    } catch (e) {
      this.log(abs, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const errors = loaded.findings.filter((f) => f.severity === 'error');
    const existing = this.services.get(abs);
    if (errors.length > 0) {
      const first = formatFinding(
        path.relative(process.cwd(), abs),
        new LineIndex(loaded.text),
        errors[0]!,
      );
      // A run in progress and queued triggers go on with the last valid definition.
      const goesOn = existing?.busy ? '; the running or queued runs go on' : '';
      this.log(
        abs,
        `invalid, skipped until fixed: ${first}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}${goesOn}`,
      );
      await existing?.pause();
      return;
    }
    const standingBySince = this.standbySince.get(abs);
    if (!existing && (this.stopping || !this.lockFor(abs))) return;
    const p = loaded.pipeline;
    this.log(
      abs,
      `${existing ? 'reloaded' : 'loaded'} ${p.name ?? ''} (${p.tasks.length} tasks, ${p.schedule.length} schedule(s), ${p.triggers.length} file trigger(s))`,
    );
    // Said at start, not first at the night's failure whose mail was the point.
    const mail = p.notify.email ? mailSettings() : undefined;
    if (typeof mail === 'string') this.log(abs, `warning: notify.email cannot be sent: ${mail}`);
    if (existing) return existing.reload(loaded);
    const service = new PipelineService(loaded, {
      log: (m) => this.log(abs, m),
      run: (l, t, signal) => this.runOnce(l, t, signal),
      stableMs: this.o.stableMs ?? 1000,
      busyRetryMs: this.o.busyRetryMs ?? 5000,
    });
    this.services.set(abs, service);
    // Taking over from another serve: what arrived while it was ending is not lost.
    await service.start(first, existing ? undefined : standingBySince);
  }

  /**
   * Takes this pipeline's serve lock; false (said once) while another serve holds it: this one
   * stands by and looks again every few seconds, so each trigger runs once, not once per serve.
   */
  private lockFor(abs: string): boolean {
    if (this.locks.has(abs)) return true; // back while its old run still goes: still ours
    // Standing by, the takeover is said once below.
    let got: ReturnType<typeof acquireServeLock>;
    try {
      got = acquireServeLock(abs, (m) => this.standby.has(abs) || this.log(abs, m));
    } catch (e) {
      // Its .tributary/ cannot be written (a file in the way, a read-only folder): the other
      // pipelines are still served; an edit of this one tries again.
      const line = fileSystemErrorLine(e) ?? (e instanceof Error ? e.message : String(e));
      this.log(abs, `cannot serve: ${line}`);
      return false;
    }
    if ('heldBy' in got) {
      const said = got.elsewhere
        ? `served by ${got.heldBy}; standing by (a serve on another host cannot be seen to stop: if it is gone for good, delete ${serveLockFile(abs)})`
        : `served by ${got.heldBy}; standing by (this serve takes over when that one stops)`;
      if (this.standby.get(abs) !== said) this.log(abs, said);
      this.standby.set(abs, said);
      if (!this.standbySince.has(abs)) this.standbySince.set(abs, Date.now());
      return false;
    }
    this.standbySince.delete(abs);
    if (this.standby.delete(abs)) this.log(abs, 'the other serve stopped: serving it here');
    this.locks.set(abs, got);
    return true;
  }

  private releaseLock(abs: string): void {
    this.locks.get(abs)?.release();
    this.locks.delete(abs);
  }

  private async unload(file: string): Promise<void> {
    const abs = path.resolve(file);
    this.standby.delete(abs);
    this.standbySince.delete(abs);
    const s = this.services.get(abs);
    if (!s) return;
    this.services.delete(abs);
    // Not awaited: the queue of loads goes on while the run finishes (it may take hours).
    this.log(
      abs,
      `deleted; no longer served${s.running ? ' (the running run goes on to its end)' : ''}`,
    );
    this.retiring.add(s);
    void s.retire().then(() => {
      this.retiring.delete(s);
      if (!this.services.has(abs)) this.releaseLock(abs);
    });
  }

  private async runOnce(
    loaded: LoadedPipeline,
    t: Trigger,
    signal: AbortSignal,
  ): Promise<RunOutcome> {
    // A partitioned pipeline runs the partitions the trigger names (serve/partitionRun.ts).
    const view = partitionedForTrigger(loaded, t, Date.now());
    if ('skip' in view) {
      this.log(loaded.file, `${describeTrigger(t)}: ${view.skip}`);
      return 'done';
    }
    loaded = view.loaded;
    const executors = await executorsFor(loaded, undefined, (m) =>
      this.log(loaded.file, `warning: ${m}`),
    );
    try {
      const notified = loaded;
      // Notifications go out behind the queue (notifyLater), not inside the run.
      const quiet = { ...loaded, pipeline: { ...loaded.pipeline, notify: {} } };
      const r = await runPipeline(quiet, {
        targets: [],
        workers: this.o.workers ?? defaultWorkers(),
        executors,
        signal,
        killSignal: this.killer.signal,
        command: 'serve',
        ...(t.kind === 'file' ? { triggerFile: t.file } : {}),
        startedBy: describeTrigger(t),
        warn: (m) => this.log(loaded.file, `warning: ${m}`),
        onEvent: (e) => {
          if (e.event === 'run_started') {
            this.waitingFor.delete(loaded.file);
            this.log(
              loaded.file,
              `run ${e.run} started (${describeTrigger(t)}): ${e.tasks.length} task(s)${partitionsNote(e.partitions)}`,
            );
          }
          if (e.event === 'notify_error')
            this.log(loaded.file, `notification failed: ${e.message}`);
        },
        onFinished: (result, report) => {
          this.notifyLater(notified, result, report, describeTrigger(t));
          return Promise.resolve();
        },
      });
      const c = countRun(r.state);
      const failed = r.state.order.flatMap((n) => {
        const s = r.state.tasks[n]?.state;
        if (s?.status !== 'failed' && s?.status !== 'timed_out') return [];
        return [s.message ? `${n} (${s.message})` : `${n} (exit ${s.exitCode})`];
      });
      // Failed tasks that printed nothing (and cannot retry) leave no log: then none is named.
      const logDir = path.join(statePaths(loaded.file).logs, r.runId);
      const logs = fs.existsSync(logDir)
        ? ` (logs in ${path.relative(process.cwd(), logDir)})`
        : '';
      this.log(
        loaded.file,
        `run ${r.runId} ${r.status} in ${formatDuration(r.state.durationMs ?? 0)}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} complete` +
          (failed.length ? `; failed: ${failed.join(', ')}${logs}` : '') +
          (r.message ? `; ${r.message}` : ''),
      );
      return r.status === 'cancelled' ? 'cancelled' : 'done';
    } catch (e) {
      if (e instanceof LockHeldError) {
        // Said once per holder: a three-hour run of another pipeline of the folder is one line.
        const key = e.held ? `${e.held.host}:${e.held.pid}:${e.held.run}` : e.message;
        if (this.waitingFor.get(loaded.file) !== key) this.log(loaded.file, waitLine(e));
        this.waitingFor.set(loaded.file, key);
        return 'busy';
      }
      throw e;
    } finally {
      await disposeExecutors(executors);
    }
  }

  /**
   * A run's notifications, in the background: a mail server that hangs (10 s to give up on a
   * greeting, more mid-message), a mail waiting to be tried again, or a slow notify.command must
   * not hold the runs queued behind it. With a digest, one pipeline's mails go out one at a time
   * (they share the digest's state); otherwise each on its own.
   */
  private notifyLater(
    loaded: LoadedPipeline,
    result: RunResult,
    report: LateReport,
    startedBy: string,
  ): void {
    const ordered = !!loaded.pipeline.notify.email?.digestMs;
    const before = (ordered && this.digestChain.get(loaded.file)) || Promise.resolve();
    const sent = before
      // A turn later: the run's outcome line is logged before any notification failure.
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() =>
        notifyRun(
          loaded,
          result,
          report,
          {
            delaysMs: this.o.mailRetryMs ?? MAIL_RETRY_MS,
            onRetry: (m, inMs) =>
              this.log(
                loaded.file,
                `notification failed: ${m}; trying again in ${formatDuration(inMs)}`,
              ),
            signal: this.stopMail.signal,
          },
          startedBy,
        ),
      )
      .catch((e: unknown) => {
        this.log(loaded.file, `notification failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    this.notifying.add(sent);
    if (ordered) this.digestChain.set(loaded.file, sent);
    void sent.then(() => {
      this.notifying.delete(sent);
      if (this.digestChain.get(loaded.file) === sent) this.digestChain.delete(loaded.file);
    });
  }

  private async flushDigests(): Promise<void> {
    for (const s of this.services.values()) {
      const err = await flushDigest(s.pipeline);
      if (err) this.log(s.file, `digest mail failed: ${err}`);
    }
  }

  /** A second signal while stopping: running tasks are KILLed at once; records still close. */
  killNow(): void {
    this.killer.abort();
    stopNotifyCommands();
  }

  /** Stops every trigger and cancels running runs (their tasks are killed), then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopMail.abort();
    clearInterval(this.digestTimer);
    clearInterval(this.standbyTimer);
    await this.watcher?.close();
    await this.chain;
    await Promise.all([...this.services.values(), ...this.retiring].map((s) => s.stop()));
    this.services.clear();
    // No run is left: a standing-by serve may take over while the last mails go out.
    for (const f of [...this.locks.keys()]) this.releaseLock(f);
    // The last runs' mails are still sent (each gives up on its own), unless told to hurry.
    const hurry = new Promise<void>((resolve) => {
      if (this.killer.signal.aborted) resolve();
      this.killer.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (this.notifying.size > 0)
      this.o.log(`${new Date().toISOString()} sending the last notifications`);
    await Promise.race([Promise.all(this.notifying), hurry]);
  }
}
