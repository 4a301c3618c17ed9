/**
 * A short exclusive lock between processes for a read-modify-write of a small shared file (two
 * `serve`s of different pipelines of one folder update `.tributary/serve.json`): a `<file>.lock`
 * made with O_EXCL, waited for briefly, and taken over when older than a write could take (its
 * holder died between making and removing it).
 */
import * as fs from 'node:fs';

const STALE_MS = 5000;
const WAIT_MS = 10_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function tryMake(lock: string): boolean {
  try {
    fs.closeSync(fs.openSync(lock, 'wx'));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function isStale(lock: string): boolean {
  const st = fs.statSync(lock, { throwIfNoEntry: false });
  return st !== undefined && Date.now() - st.mtimeMs > STALE_MS;
}

/** Runs `fn` holding `<file>.lock`; after WAIT_MS of waiting it runs anyway (a lost update beats a hang). */
export function withFileLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const until = Date.now() + WAIT_MS;
  let held = tryMake(lock);
  while (!held && Date.now() < until) {
    if (isStale(lock)) fs.rmSync(lock, { force: true });
    else Atomics.wait(sleeper, 0, 0, 2);
    held = tryMake(lock);
  }
  try {
    return fn();
  } finally {
    if (held) fs.rmSync(lock, { force: true });
  }
}
