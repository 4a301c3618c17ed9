/** A task's log of one run (`.tributary/logs/<run>/<task>.log`): never another run's, never outside that folder. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { statePaths } from '../runner/api';

/** Run ids are `<UTC stamp>-<hex>`; task names are letters, digits, `_ . -` (no `..`). */
const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z_-]*$/;
const TASK = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The log file of `task` in `run`, or null when either name could point outside the logs folder. */
export function logPath(file: string, run: string, task: string): string | null {
  if (!RUN_ID.test(run) || !TASK.test(task) || task.includes('..')) return null;
  const root = statePaths(file).logs;
  const p = path.resolve(root, run, `${task}.log`);
  return p.startsWith(root + path.sep) ? p : null;
}

export interface LogRef {
  run: string;
  attempt: number;
}

/** The last `count` lines of the task's log in that run, with a header naming run and attempt. */
export async function taskLog(
  file: string,
  task: string,
  ref: LogRef | undefined,
  count = 40,
): Promise<string[]> {
  if (!ref) return ['(no log: this task has not run yet)'];
  const p = logPath(file, ref.run, task);
  if (!p) return [`(refused: '${task}' is not a task name)`];
  const head = `(run ${ref.run}${ref.attempt > 1 ? ` · ${ref.attempt} attempts` : ''})`;
  let text: string;
  try {
    text = await fs.readFile(p, 'utf8');
  } catch {
    return [
      head,
      ref.attempt === 0
        ? '(the task did not start in this run)'
        : `(attempt ${ref.attempt} printed nothing)`,
    ];
  }
  const lines = text.replace(/\n$/, '').split('\n');
  return [head, ...lines.slice(-count)];
}
