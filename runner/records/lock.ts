/**
 * `.tributary/lock`: one run of a folder's pipelines at a time. The lock file names its holder
 * (host, pid, run); a lock whose holder died on this host is taken over, atomically; a lock from
 * another host is never judged stale (its pid means nothing here) unless the user says so.
 *
 * Hand-written rather than proper-lockfile: that library locks with a `<file>.lock` folder and an
 * mtime heartbeat, cannot name the holder's run in the refusal, and would change the contract's
 * `.tributary/lock` file; what we need is three system calls (link, open O_EXCL, unlink).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isZombie, startTime } from '../executors/procInfo';
import { UserError } from '../userError';

export interface LockInfo {
  pid: number;
  run: string;
  file: string;
  started: string;
  host: string;
  /** The holder's start time (/proc), so that a reused pid is not taken for the holder. */
  pidStart?: string;
  /**
   * Which command holds the lock: SIGINT to a `serve` stops the whole server, not just this run.
   * Absent in locks written before it was added (and in hand-made ones): not known.
   */
  command?: 'run' | 'serve';
}

export interface LockOptions {
  warn: (msg: string) => void;
  /** Take a lock held on another host (`--break-lock`): for a host or run that is gone for good. */
  breakLock?: boolean;
}

/** A takeover marker older than this was left by a runner that died while taking over. */
const MARKER_STALE_MS = 10_000;

/** Is the holder alive? A live pid whose start time differs from the recorded one was reused. */
export function alive(held: LockInfo): boolean {
  const pid = held.pid;
  if (isZombie(pid)) return false;
  if (held.pidStart !== undefined) {
    const now = startTime(pid);
    if (now !== undefined) return now === held.pidStart;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether pid is verifiably the holder: 'alive' only when its start time was recorded and still
 * matches, 'dead' when it is gone, 'unknown' where the start time cannot be read (no /proc, e.g.
 * macOS) and a live pid may be a reused one. Meaningful on the holder's host only.
 */
export function holderState(held: LockInfo): 'alive' | 'dead' | 'unknown' {
  if (isZombie(held.pid)) return 'dead';
  const now = startTime(held.pid);
  if (now !== undefined && held.pidStart !== undefined)
    return now === held.pidStart ? 'alive' : 'dead';
  return alive(held) ? 'unknown' : 'dead';
}

/** The run that holds a lock and is alive (or on another host, which cannot be judged), if any. */
export function liveRunId(file: string): string | undefined {
  const held = readLock(file);
  if (!held) return undefined;
  return held.host !== os.hostname() || holderState(held) !== 'dead' ? held.run : undefined;
}

export function readLock(file: string): LockInfo | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof v === 'object' && v !== null && typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

function same(a: LockInfo | undefined, b: LockInfo | undefined): boolean {
  return !!a && !!b && a.run === b.run && a.pid === b.pid && a.host === b.host;
}

/** Another run holds the folder's lock (serve waits and tries again). */
export class LockHeldError extends UserError {
  constructor(
    message: string,
    exitCode = 2,
    /** The holder, when the lock names a live one (serve says it once, not at every retry). */
    readonly held?: LockInfo,
  ) {
    super(message, exitCode);
  }
}

/** Creates `file` with `data` only if it does not exist; the content is complete when it appears. */
function createExclusive(file: string, data: string): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The holder as far as the lock says: a hand-made or foreign lock may lack any field but pid. */
function heldBy(held: Partial<LockInfo>): string {
  const parts = [
    held.run !== undefined ? `run ${held.run}` : undefined,
    `pid ${held.pid} on ${held.host !== undefined ? `host ${held.host}` : 'an unknown host'}`,
    held.started !== undefined ? `since ${held.started}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

/** How to get past a live holder: a run of `serve` is not stopped alone (a signal stops serve). */
function byServe(held: Partial<LockInfo>): string {
  return held.command === 'serve'
    ? ', started by tributary serve for a schedule or trigger; wait for it (stopping it means stopping that serve)'
    : '; wait for it or stop it';
}

/** What holds the lock: its pipeline file, or the lock itself when the lock does not say. */
function holder(held: Partial<LockInfo>, lockFile: string): string {
  return held.file !== undefined ? held.file : `a run holding ${lockFile}`;
}

/**
 * Replaces the lock `held` (judged stale) with ours. Racing runners first create a takeover
 * marker with O_EXCL: one of them wins; it checks the lock is still the stale one it judged,
 * then swaps it. The losers are refused as if the lock were held.
 */
export function takeOver(
  file: string,
  held: LockInfo | undefined,
  data: string,
  opts: LockOptions,
): boolean {
  const marker = `${file}.takeover`;
  let fd: number;
  try {
    fd = fs.openSync(marker, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = fs.statSync(marker, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > MARKER_STALE_MS) {
      fs.rmSync(marker, { force: true }); // its runner died mid-takeover
      return false;
    }
    throw new LockHeldError(
      `another run of this folder is taking over its stale lock (${file})`,
      2,
    );
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    const now = readLock(file);
    if (held ? !same(now, held) : now !== undefined) return false; // changed meanwhile: judge again
    opts.warn(
      held
        ? held.host !== os.hostname()
          ? `breaking the lock of ${heldBy(held)}`
          : `taking over a stale lock of ${held.run !== undefined ? `run ${held.run}` : file} (its pid ${held.pid} is gone)`
        : 'taking over a damaged lock',
    );
    fs.rmSync(file, { force: true });
    return createExclusive(file, data);
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

export class RunLock {
  private constructor(
    private readonly file: string,
    private readonly mine: LockInfo,
  ) {}

  static acquire(
    file: string,
    info: Pick<LockInfo, 'run' | 'file' | 'command'>,
    opts: LockOptions,
  ): RunLock {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const mine: LockInfo = {
      ...info,
      pid: process.pid,
      host: os.hostname(),
      started: new Date().toISOString(),
    };
    const start = startTime(process.pid);
    if (start !== undefined) mine.pidStart = start;
    const data = JSON.stringify(mine);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createExclusive(file, data)) return new RunLock(file, mine);
      const held = readLock(file);
      if (!held) {
        // Written with link(), a lock is never half-written: an unreadable one was damaged.
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (!st) continue; // released meanwhile: try again
        if (!opts.breakLock && Date.now() - st.mtimeMs < 2000)
          throw new LockHeldError(`another run of this folder is starting (${file})`, 2);
      } else if (held.host !== os.hostname()) {
        if (!opts.breakLock)
          throw new LockHeldError(
            `${holder(held, file)} is running on another host (${heldBy(held)}); if that run is gone for good, run again with --break-lock`,
            2,
            held,
          );
      } else if (alive(held)) {
        // On this host a live pid is certain: not even --break-lock takes a running run's lock.
        throw new LockHeldError(
          `${holder(held, file)} is already running (${heldBy(held)})${byServe(held)}`,
          2,
          held,
        );
      }
      if (takeOver(file, held, data, opts)) return new RunLock(file, mine);
    }
    throw new LockHeldError(`could not take the lock ${file}: other runs keep taking it`, 2);
  }

  /** Removes the lock only if it is still ours (a `--break-lock` elsewhere may have replaced it). */
  release(): void {
    if (same(readLock(this.file), this.mine)) fs.rmSync(this.file, { force: true });
  }
}
