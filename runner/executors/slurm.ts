/**
 * Runs each attempt as a Slurm batch job: `sbatch` submits a small script, one poller asks
 * `squeue` about every live job at once, the job's output file is tailed into the task's log,
 * and a cancel or a timeout is an `scancel` followed by waiting for the job's final state.
 * Slurm's own time limit is only a safety net: its granularity is minutes.
 * A job's state is only ever decided from Slurm's answer: when `squeue` fails (slurmctld
 * restarting) the poller backs off and waits, and a job `squeue` no longer lists is confirmed
 * with `scontrol`/`sacct`, so a job that may still run is never reported failed (and retried).
 * Each job's comment names the pipeline, the run and the runner: a watchdog cancels the jobs
 * of a runner that dies, and the next run cancels what a dead runner left before it submits.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDuration } from '../../core/durations';
import { ownerState, self } from './procInfo';
import { UserError } from '../userError';
import type { Attempt, AttemptResult, Executor, RunningAttempt } from './types';
import { Watchdog } from './watchdog';

const FINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'PREEMPTED',
]);

interface Job {
  id: string;
  attempt: Attempt;
  out: string;
  read: number;
  stopping?: 'cancelled' | 'timed_out';
  timer?: NodeJS.Timeout;
  resolve: (r: AttemptResult) => void;
  /** Polls in a row that did not list the job. */
  missing: number;
  /** Whether the last `scancel` of a stopping job was accepted (else the poller repeats it). */
  cancelSent?: boolean;
  /** When it was submitted, and why Slurm keeps it PENDING (the last reason told to the user). */
  submitted: number;
  pending?: string;
  told?: string;
  /** Told in its output that Slurm does not answer (until it answers again). */
  unanswered?: boolean;
}

/**
 * A second cancel (force) stops waiting for Slurm to confirm the job ended after this long: the
 * task is recorded cancelled, the job stays with the watchdog, which repeats `scancel` after the
 * run until Slurm takes it (slurmctld down must not hold the runner forever).
 */
const GIVE_UP_MS = 5_000;

/** A job PENDING this long is said to wait, with Slurm's reason, in its output (and log). */
const PENDING_NOTICE_MS = 5_000;

/** Slurm's pending reasons a user most often meets, in words (others are shown as Slurm says). */
const REASONS: Record<string, string> = {
  Resources: 'waiting for free resources',
  Priority: 'jobs ahead of it in the queue',
  PartitionDown: 'its partition is down',
  PartitionInactive: 'its partition is inactive',
  ReqNodeNotAvail: 'a node it needs is not available',
  NodeDown: 'a node it needs is down',
  JobHeldAdmin: 'held by an administrator (scontrol release)',
  JobHeldUser: 'held (scontrol release)',
  BeginTime: 'its start time has not come',
  Dependency: 'waiting for a job it depends on',
  DependencyNeverSatisfied: 'a job it depends on failed',
};

/** The most a poll waits while Slurm does not answer. */
const MAX_BACKOFF_MS = 10_000;

/**
 * squeue is asked about the jobs every `pollMs` while the youngest is young, then every tenth of
 * its age, up to this: a shared slurmctld is not asked twice a second for hours (Slurm's advice
 * for scripts), and an end is still seen within a tenth of a job's run time. Output is tailed
 * every `pollMs` all along; a job being cancelled is asked about every `pollMs`.
 */
const MAX_QUIET_MS = 30_000;

/**
 * Slurm's own commands (sbatch, scancel, squeue…) run without the run's TRIBUTARY_RUN_ID: a
 * cancel ends every local process carrying it (escapees.ts), and must not end an sbatch on its
 * way (its job would run on, unknown) or the scancel itself. The job gets it from its script.
 */
function clientEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TRIBUTARY_RUN_ID: _, ...rest } = env;
  // sbatch reads SBATCH_* (a task's `env:` asks for memory, a partition, GPUs… that way), but
  // these would break what the executor relies on: one job, its id at once, all output in the
  // file it tails.
  for (const k of NOT_FOR_SBATCH) delete rest[k];
  return rest;
}

const NOT_FOR_SBATCH = ['SBATCH_WAIT', 'SBATCH_ARRAY_INX', 'SBATCH_ERROR'];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: clientEnv(env), encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(clientError(cmd, err, stderr)));
        else resolve(stdout);
      },
    );
  });
}

/** One line saying why a Slurm command failed (its last line of stderr, or in words). */
function clientError(cmd: string, err: Error, stderr: string): string {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT')
    return `${cmd} was not found: install the Slurm client tools, or run with --executor local`;
  if (/Could not establish a configuration source/.test(stderr))
    return `Slurm is not set up on this machine (${cmd} found no slurm.conf): set SLURM_CONF, or run with --executor local`;
  if ((err as { killed?: boolean }).killed) return `${cmd} did not answer within 30 s`;
  return stderr.trim().split('\n').pop() || err.message;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function batchScript(a: Attempt, shell: string): string {
  // The run's id, which sbatch's own environment leaves out (clientEnv).
  const id = a.env.TRIBUTARY_RUN_ID;
  const runId = id !== undefined ? `export TRIBUTARY_RUN_ID=${quote(id)}\n` : '';
  return `#!/bin/sh\n${runId}cd ${quote(a.cwd)} || exit 1\nexec ${quote(shell)} -c ${quote(a.command)}\n`;
}

export interface SlurmOptions {
  shell?: string;
  pollMs?: number;
  scratch?: string;
  /** The pipeline file: its jobs carry a key of it, so the next run finds what a dead one left. */
  pipeline?: string;
}

/** The comment every job of a pipeline carries: `tributary:<key>:<run>:<host>:<pid>:<start>`. */
function pipelineKey(file: string): string {
  return createHash('sha1').update(path.resolve(file)).digest('hex').slice(0, 12);
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private readonly jobs = new Map<string, Job>();
  private poller: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly watchdog = new Watchdog(0);

  constructor(private readonly o: SlurmOptions = {}) {}

  start(a: Attempt): RunningAttempt {
    this.watchdog.label ||= a.env.TRIBUTARY_RUN_ID ?? '';
    this.watchdog.prepare();
    let job: Job | undefined;
    let cancelled = false;
    let forced = false;
    const done = new Promise<AttemptResult>((resolve) => {
      void this.submit(a).then(
        (submitted) => {
          job = { ...submitted, attempt: a, read: 0, resolve, missing: 0, submitted: Date.now() };
          this.jobs.set(job.id, job);
          this.watchdog.addJob(job.id, a.log);
          if (a.timeoutMs) job.timer = setTimeout(() => this.stop(job!, 'timed_out'), a.timeoutMs);
          if (cancelled) this.stop(job, 'cancelled');
          if (forced) this.giveUpLater(job);
          this.ensurePolling();
        },
        (e: unknown) =>
          resolve({
            status: 'failed',
            exitCode: null,
            message: `sbatch failed: ${e instanceof Error ? e.message : String(e)}`,
          }),
      );
    });
    return {
      done,
      cancel: (force) => {
        cancelled = true;
        forced ||= !!force;
        if (job) this.stop(job, 'cancelled');
        if (job && force) this.giveUpLater(job);
      },
    };
  }

  private async submit(a: Attempt): Promise<{ id: string; out: string }> {
    const dir = this.o.scratch ?? path.join(a.cwd, '.tributary', 'slurm');
    fs.mkdirSync(dir, { recursive: true });
    const stem = `${a.task}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const script = path.join(dir, `${stem}.sh`);
    const out = path.join(dir, `${stem}.out`);
    fs.writeFileSync(script, batchScript(a, this.o.shell ?? '/bin/bash'), { mode: 0o755 });
    const args = [
      '--parsable',
      `--job-name=tributary:${a.task}`,
      ...(this.o.pipeline ? [`--comment=${this.comment(a)}`] : []),
      `--output=${out}`,
      `--chdir=${a.cwd}`,
      '--export=ALL',
    ];
    // A safety net only: Slurm counts whole minutes; our own timer cancels on time.
    if (a.timeoutMs) args.push(`--time=${Math.ceil(a.timeoutMs / 60_000) + 1}`);
    const stdout = await run('sbatch', [...args, script], a.env);
    const id = stdout.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new Error(`unexpected answer from sbatch: ${stdout.trim()}`);
    return { id, out };
  }

  private comment(a: Attempt): string {
    const o = self();
    const run = a.env.TRIBUTARY_RUN_ID ?? '';
    return `tributary:${pipelineKey(this.o.pipeline ?? '')}:${run}:${o.host}:${o.pid}:${o.start}`;
  }

  private stop(job: Job, why: 'cancelled' | 'timed_out'): void {
    if (job.stopping) return;
    job.stopping = why;
    clearTimeout(job.timer);
    this.sendCancel(job);
  }

  /** A forced cancel: if Slurm has not confirmed the job's end in GIVE_UP_MS, stop waiting. */
  private giveUpLater(job: Job): void {
    setTimeout(() => {
      if (!this.jobs.delete(job.id)) return;
      // Not removed from the watchdog: it repeats scancel once the run is over.
      clearTimeout(job.timer);
      this.tail(job);
      job.resolve({
        job: job.id,
        status: 'cancelled',
        exitCode: null,
        message: `cancelled (Slurm job ${job.id}: Slurm did not confirm its end in time; scancel ${job.id} is repeated after the run until Slurm takes it)`,
      });
    }, GIVE_UP_MS).unref();
  }

  /** An scancel that Slurm did not take (slurmctld down) is repeated by the next poll. */
  private sendCancel(job: Job): void {
    job.cancelSent = true;
    void run('scancel', [job.id], job.attempt.env).catch(() => {
      job.cancelSent = false;
    });
  }

  private ensurePolling(): void {
    if (this.poller) return;
    this.poller = setTimeout(() => {
      const ask = Date.now() >= this.asked + this.askEvery();
      const step = ask ? ((this.asked = Date.now()), this.poll()) : this.tailAll();
      void step.finally(() => {
        this.poller = undefined;
        if (this.jobs.size > 0) this.ensurePolling();
      });
    }, this.o.pollMs ?? 500);
  }

  /** When squeue was last asked. */
  private asked = 0;

  private askEvery(): number {
    const pollMs = this.o.pollMs ?? 500;
    // While Slurm does not answer, wait longer each time (up to MAX_BACKOFF_MS).
    if (this.failures > 0)
      return Math.min(pollMs * 2 ** this.failures, Math.max(pollMs, MAX_BACKOFF_MS));
    const jobs = [...this.jobs.values()];
    if (jobs.some((j) => j.stopping)) return pollMs;
    const youngest = Math.min(...jobs.map((j) => Date.now() - j.submitted));
    return Math.min(Math.max(pollMs, youngest / 10), MAX_QUIET_MS);
  }

  private async tailAll(): Promise<void> {
    for (const job of this.jobs.values()) this.tail(job);
  }

  private tail(job: Job): void {
    try {
      const fd = fs.openSync(job.out, 'r');
      try {
        const buf = Buffer.alloc(64 * 1024);
        for (;;) {
          const n = fs.readSync(fd, buf, 0, buf.length, job.read);
          if (n <= 0) break;
          job.read += n;
          job.attempt.onOutput('stdout', Buffer.from(buf.subarray(0, n)));
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // Not written yet (the job has not started).
    }
  }

  private async poll(): Promise<void> {
    if (this.jobs.size === 0) return;
    const jobs = [...this.jobs.values()];
    const env = jobs[0]!.attempt.env;
    let listed: string;
    try {
      listed = await run(
        'squeue',
        ['-h', '-t', 'all', '-j', jobs.map((j) => j.id).join(','), '-o', '%i|%T|%r'],
        env,
      );
    } catch (e) {
      // No answer is not "every job vanished": keep every job, ask again later.
      this.failures = Math.min(this.failures + 1, 10);
      for (const job of jobs) {
        if (!this.jobs.has(job.id)) continue;
        this.tail(job);
        if (job.unanswered) continue;
        job.unanswered = true;
        this.say(
          job,
          `Slurm does not answer (${e instanceof Error ? e.message : String(e)}): job ${job.id}'s state is unknown, asking again${job.stopping ? '; its cancel is not confirmed yet (stop the run again to stop waiting)' : ''}`,
        );
      }
      return;
    }
    this.failures = 0;
    const states = new Map(
      listed
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('|'))
        .map(([id, state, reason]) => [id ?? '', { state: state ?? '', reason: reason ?? '' }]),
    );
    for (const job of jobs) {
      if (!this.jobs.has(job.id)) continue; // given up meanwhile
      this.tail(job);
      if (job.unanswered) this.say(job, 'Slurm answers again');
      job.unanswered = false;
      if (job.stopping && !job.cancelSent) this.sendCancel(job);
      const s = states.get(job.id);
      if (!s) {
        if (++job.missing >= 3) await this.confirmGone(job);
        continue;
      }
      job.missing = 0;
      this.notePending(job, s.state, s.reason);
      if (FINAL.has(s.state)) await this.finish(job, s.state, s.reason);
    }
  }

  /**
   * A job Slurm keeps waiting is not silent: after PENDING_NOTICE_MS, and again when the reason
   * changes, a line in the task's output says why (a partition down waits until someone acts);
   * once it starts, a line says after how long.
   */
  private notePending(job: Job, state: string, reason: string): void {
    if (state === 'PENDING') {
      job.pending = reason;
      if (Date.now() - job.submitted < PENDING_NOTICE_MS || reason === job.told) return;
      job.told = reason;
      const words = REASONS[reason];
      this.say(
        job,
        `Slurm job ${job.id} is waiting in the queue (PENDING, ${reason}${words ? `: ${words}` : ''})`,
      );
    } else if (!FINAL.has(state)) {
      // Started (a final state keeps the reason: the result says why it never ran).
      if (job.told !== undefined)
        this.say(
          job,
          `Slurm job ${job.id} started after ${formatDuration(Date.now() - job.submitted)} in the queue`,
        );
      job.pending = undefined;
      job.told = undefined;
    }
  }

  private say(job: Job, line: string): void {
    job.attempt.onOutput('stderr', Buffer.from(`tributary: ${line}\n`));
  }

  /**
   * `squeue` no longer lists the job: `scontrol` and `sacct` decide. Only Slurm saying it does
   * not know the job (or a final state) ends it; an error means "ask again later".
   */
  private async confirmGone(job: Job): Promise<void> {
    const env = job.attempt.env;
    let info: string;
    try {
      info = await run('scontrol', ['show', 'job', '-o', job.id], env);
    } catch (e) {
      if (!/invalid job id/i.test(e instanceof Error ? e.message : String(e))) return;
      const acct = await run('sacct', ['-n', '-P', '-X', '-j', job.id, '-o', 'State'], env).catch(
        () => '',
      );
      const state = acct.trim().split(/\s+/)[0] ?? '';
      return this.finish(job, FINAL.has(state) ? state : 'VANISHED', '');
    }
    const state = /JobState=(\S+)/.exec(info)?.[1] ?? '';
    if (FINAL.has(state)) return this.finish(job, state, /Reason=(\S+)/.exec(info)?.[1] ?? '');
    job.missing = 0; // Still known and not final: squeue's answer was incomplete.
  }

  private async finish(job: Job, state: string, reason: string): Promise<void> {
    if (!this.jobs.delete(job.id)) return;
    this.watchdog.removeJob(job.id);
    clearTimeout(job.timer);
    this.tail(job);
    const info = await run('scontrol', ['show', 'job', '-o', job.id], job.attempt.env).catch(
      () => '',
    );
    const exit = /ExitCode=(\d+):(\d+)/.exec(info);
    const signal = exit ? Number(exit[2]) : 0;
    // A job that never ran (no node), or whose script was ended by a signal, has no exit code:
    // Slurm's `0:15` is not a success (as with local tasks, a signal's end records null).
    const ran = info === '' || !/(?:^|\s)NodeList=(?:\(null\))?(?:\s|$)/.test(info);
    const code = exit && ran && signal === 0 ? Number(exit[1]) : null;
    job.resolve(resultOf(job, state, reason, code, signal, ran));
  }

  /**
   * Cancels the jobs of this pipeline left by runners that are gone (on this machine: the pid is
   * gone or reused), and waits until Slurm reports them ended. Jobs of a runner on another
   * machine are left alone (it may be alive) with a warning. Returns one line per finding.
   */
  async stopOrphanJobs(): Promise<string[]> {
    if (!this.o.pipeline) return [];
    const prefix = `tributary:${pipelineKey(this.o.pipeline)}:`;
    let listed: string;
    try {
      listed = await run('squeue', ['-h', '--me', '-o', '%i|%k'], process.env);
    } catch (e) {
      const m = (e as Error).message;
      // Without Slurm's tools there is nothing to stop (and sbatch will say so once).
      return m.includes('was not found')
        ? []
        : [`could not ask Slurm for jobs a previous run left: ${m}`];
    }
    const byRun = new Map<string, { ids: string[]; host: string; pid: number; dead: boolean }>();
    for (const line of listed.split('\n')) {
      const [id, comment] = line.split('|');
      if (!id || !comment?.startsWith(prefix)) continue;
      const [run = '', host = '', pid = '', start = ''] = comment.slice(prefix.length).split(':');
      const state = ownerState({ host, pid: Number(pid), start });
      if (state === 'alive') continue;
      const r = byRun.get(run) ?? { ids: [], host, pid: Number(pid), dead: state === 'dead' };
      r.ids.push(id);
      byRun.set(run, r);
    }
    const out: string[] = [];
    const cancel: string[] = [];
    for (const [run, r] of byRun) {
      if (r.dead) {
        cancel.push(...r.ids);
        out.push(
          `cancelling Slurm job(s) ${r.ids.join(', ')} left running by run ${run} (its runner, pid ${r.pid}, is gone)`,
        );
      } else
        out.push(
          `Slurm job(s) ${r.ids.join(', ')} of run ${run} are still running, started from ${r.host} (pid ${r.pid}); not cancelled, as that runner may be alive: scancel them if it is not`,
        );
    }
    const left = cancel.length > 0 ? await this.cancelAndWait(cancel) : [];
    if (left.length > 0)
      throw new UserError(
        `Slurm job(s) ${left.join(', ')} of a dead run did not end within a minute of scancel; not submitting their tasks again while they may run`,
        1,
      );
    return out;
  }

  /** scancel, then poll until Slurm reports each job ended; returns those it could not confirm. */
  private async cancelAndWait(ids: string[]): Promise<string[]> {
    const until = Date.now() + 60_000;
    let left = ids;
    while (left.length > 0 && Date.now() < until) {
      await run('scancel', left, process.env).catch(() => '');
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 500));
      const listed = await run(
        'squeue',
        ['-h', '-t', 'all', '-j', left.join(','), '-o', '%i|%T'],
        process.env,
      ).catch(() => undefined);
      if (listed === undefined) continue; // no answer: still unknown
      const live = new Set(
        listed
          .split('\n')
          .map((l) => l.split('|'))
          .filter(([, st]) => st && !FINAL.has(st))
          .map(([id]) => id),
      );
      left = left.filter((id) => live.has(id));
    }
    return left;
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) this.stop(job, 'cancelled');
    while (this.jobs.size > 0) await new Promise((r) => setTimeout(r, 100));
    this.watchdog.close();
  }
}

function resultOf(
  job: Job,
  state: string,
  reason: string,
  code: number | null,
  signal: number,
  ran: boolean,
): AttemptResult {
  const base = { job: job.id };
  // The timeout counts from submission: a job Slurm never started says so, and why it waited.
  const queued =
    !ran && job.pending !== undefined
      ? `, it never started: still PENDING in the queue (${job.pending})`
      : '';
  if (job.stopping === 'timed_out')
    return {
      ...base,
      status: 'timed_out',
      exitCode: code,
      message: `timed out after ${job.attempt.timeoutMs} ms (Slurm job ${job.id} cancelled${queued})`,
    };
  if (job.stopping === 'cancelled')
    return {
      ...base,
      status: 'cancelled',
      exitCode: code,
      message: `cancelled (Slurm job ${job.id}${queued})`,
    };
  if (state === 'COMPLETED') return { ...base, status: 'success', exitCode: 0 };
  if (state === 'TIMEOUT')
    return {
      ...base,
      status: 'timed_out',
      exitCode: code,
      message: `Slurm job ${job.id} hit its time limit`,
    };
  const why = [
    state === 'VANISHED'
      ? 'is no longer known to Slurm'
      : state === 'CANCELLED'
        ? 'was cancelled in Slurm, not by this run (scancel?)'
        : state,
    code !== null && code !== 0 ? `exit code ${code}` : '',
    signal ? `signal ${signal}` : '',
    reason && reason !== 'None' && reason !== 'NonZeroExitCode' ? reason : '',
  ].filter(Boolean);
  return {
    ...base,
    status: 'failed',
    exitCode: code,
    message: `Slurm job ${job.id} ${why.join(', ')}`,
  };
}
