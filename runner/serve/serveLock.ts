/**
 * One `serve` per pipeline file: `.tributary/serve-<file>.lock` names the serve that fires its
 * schedules and triggers. A second serve of the same folder (another terminal, another machine
 * of a shared folder) stands by instead of running every trigger a second time, and takes over
 * when the holder is gone. Same lock rules as the run lock (records/lock.ts).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { LockHeldError, readLock, RunLock } from '../records/lock';
import { statePaths } from '../records/paths';

export function serveLockFile(pipelineFile: string): string {
  const p = statePaths(pipelineFile);
  return path.join(p.root, `serve-${p.key}.lock`);
}

/** The lock, or one line naming the serve that holds it. */
export function acquireServeLock(
  pipelineFile: string,
  warn: (message: string) => void,
): RunLock | { heldBy: string; elsewhere: boolean } {
  const file = serveLockFile(pipelineFile);
  try {
    return RunLock.acquire(
      file,
      { run: 'serve', file: pipelineFile, command: 'serve' },
      // Only a lock whose serve died on this host (or a damaged one) is ever taken over.
      { warn: () => warn(`the serve that held ${file} is gone; serving it here`) },
    );
  } catch (e) {
    if (!(e instanceof LockHeldError)) throw e;
    const held = readLock(file);
    return {
      heldBy: held
        ? `tributary serve pid ${held.pid} on host ${held.host} since ${held.started}`
        : e.message,
      // Its pid means nothing here: whether it stopped cannot be told from this host.
      elsewhere: !!held && held.host !== os.hostname(),
    };
  }
}
