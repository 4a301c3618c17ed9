/**
 * Runs each attempt as a Slurm batch job: `sbatch` submits a small script, one poller asks
 * `squeue` about every live job at once, the job's output file is tailed into the task's log,
 * and a cancel or a timeout is an `scancel` followed by waiting for the job's final state.
 * Slurm's own time limit is only a safety net: its granularity is minutes.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Attempt, AttemptResult, Executor, RunningAttempt } from './types';

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
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new Error(
            missing
              ? `${cmd} was not found: install the Slurm client tools, or run with --executor local`
              : (stderr.trim().split('\n').pop() ?? err.message),
          ),
        );
      } else resolve(stdout);
    });
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function batchScript(a: Attempt, shell: string): string {
  return `#!/bin/sh\ncd ${quote(a.cwd)} || exit 1\nexec ${quote(shell)} -c ${quote(a.command)}\n`;
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private readonly jobs = new Map<string, Job>();
  private poller: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly o: { shell?: string; pollMs?: number; scratch?: string } = {}) {}

  start(a: Attempt): RunningAttempt {
    let job: Job | undefined;
    let cancelled = false;
    const done = new Promise<AttemptResult>((resolve) => {
      void this.submit(a).then(
        (submitted) => {
          job = { ...submitted, attempt: a, read: 0, resolve, missing: 0 };
          this.jobs.set(job.id, job);
          if (a.timeoutMs) job.timer = setTimeout(() => this.stop(job!, 'timed_out'), a.timeoutMs);
          if (cancelled) this.stop(job, 'cancelled');
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
      cancel: () => {
        cancelled = true;
        if (job) this.stop(job, 'cancelled');
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

  private stop(job: Job, why: 'cancelled' | 'timed_out'): void {
    if (job.stopping) return;
    job.stopping = why;
    clearTimeout(job.timer);
    void run('scancel', [job.id], job.attempt.env).catch(() => {});
  }

  private ensurePolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll(), this.o.pollMs ?? 500);
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
    if (this.polling || this.jobs.size === 0) return;
    this.polling = true;
    try {
      const jobs = [...this.jobs.values()];
      const env = jobs[0]!.attempt.env;
      const listed = await run(
        'squeue',
        ['-h', '-t', 'all', '-j', jobs.map((j) => j.id).join(','), '-o', '%i|%T|%r'],
        env,
      ).catch(() => '');
      const states = new Map(
        listed
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('|'))
          .map(([id, state, reason]) => [id ?? '', { state: state ?? '', reason: reason ?? '' }]),
      );
      for (const job of jobs) {
        this.tail(job);
        const s = states.get(job.id);
        if (!s) {
          if (++job.missing >= 5) await this.finish(job, 'VANISHED', '');
          continue;
        }
        job.missing = 0;
        if (FINAL.has(s.state)) await this.finish(job, s.state, s.reason);
      }
    } finally {
      this.polling = false;
      if (this.jobs.size === 0 && this.poller) {
        clearInterval(this.poller);
        this.poller = undefined;
      }
    }
  }

  private async finish(job: Job, state: string, reason: string): Promise<void> {
    this.jobs.delete(job.id);
    clearTimeout(job.timer);
    this.tail(job);
    const info = await run('scontrol', ['show', 'job', '-o', job.id], job.attempt.env).catch(
      () => '',
    );
    const exit = /ExitCode=(\d+):(\d+)/.exec(info);
    const code = exit ? Number(exit[1]) : null;
    const signal = exit ? Number(exit[2]) : 0;
    job.resolve(resultOf(job, state, reason, code, signal));
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) this.stop(job, 'cancelled');
    while (this.jobs.size > 0) await new Promise((r) => setTimeout(r, 100));
  }
}

function resultOf(
  job: Job,
  state: string,
  reason: string,
  code: number | null,
  signal: number,
): AttemptResult {
  const base = { job: job.id };
  if (job.stopping === 'timed_out')
    return {
      ...base,
      status: 'timed_out',
      exitCode: code,
      message: `timed out after ${job.attempt.timeoutMs} ms (Slurm job ${job.id} cancelled)`,
    };
  if (job.stopping === 'cancelled')
    return {
      ...base,
      status: 'cancelled',
      exitCode: code,
      message: `cancelled (Slurm job ${job.id})`,
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
    state === 'VANISHED' ? 'is no longer known to Slurm' : state,
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
