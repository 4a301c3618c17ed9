/** `.tributary/lock`: one run at a time; a lock left by a dead process is taken over with a warning. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../userError';

interface LockInfo {
  pid: number;
  run: string;
  file: string;
  started: string;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Another run holds the folder's lock (serve waits and tries again). */
export class LockHeldError extends UserError {}

export class RunLock {
  private constructor(private readonly file: string) {}

  static acquire(
    file: string,
    info: Omit<LockInfo, 'pid' | 'host' | 'started'>,
    warn: (msg: string) => void,
  ): RunLock {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const data = JSON.stringify({
      ...info,
      pid: process.pid,
      host: os.hostname(),
      started: new Date().toISOString(),
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        fs.writeSync(fd, data);
        fs.closeSync(fd);
        return new RunLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = readLock(file);
      if (held && held.host === os.hostname() && alive(held.pid)) {
        throw new LockHeldError(
          `${held.file} is already running (run ${held.run}, pid ${held.pid}, since ${held.started}); wait for it or stop it`,
          2,
        );
      }
      if (!held) {
        // Being written right now by another runner, or torn by a crash: give it a moment.
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (st && Date.now() - st.mtimeMs < 2000)
          throw new LockHeldError(`another run of this folder is starting (${file})`, 2);
      }
      warn(
        `taking over a stale lock${held ? ` of run ${held.run} (pid ${held.pid} is gone)` : ''}`,
      );
      fs.rmSync(file, { force: true });
    }
    throw new UserError(`could not take the lock ${file}`, 2);
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
