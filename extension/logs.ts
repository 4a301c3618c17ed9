/** A task's log of one run (`.tributary/logs/<run>/<task>.log`): never another run's, never outside that folder. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TASK_NAME_PATTERN } from '../core/model';
import { type LogSection, splitAttempts, statePaths } from '../runner/api';

/**
 * Run ids are `<UTC stamp>-<hex>`; task names are what the pipeline format allows (letters of any
 * script, digits, `_ . -`; no `..`); a partition's instance is `task@KEY`, its key of the
 * characters partition values may hold (`_ . = + -`).
 */
const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z_-]*$/;
const PARTITION_KEY = /^[A-Za-z0-9_.=+-]+$/;

function isInstanceName(task: string): boolean {
  const at = task.indexOf('@');
  const name = at < 0 ? task : task.slice(0, at);
  return TASK_NAME_PATTERN.test(name) && (at < 0 || PARTITION_KEY.test(task.slice(at + 1)));
}

/** The log file of `task` in `run`, or null when either name could point outside the logs folder. */
export function logPath(file: string, run: string, task: string): string | null {
  if (!RUN_ID.test(run) || !isInstanceName(task) || task.includes('..')) return null;
  const root = statePaths(file).logs;
  const p = path.resolve(root, run, `${task}.log`);
  return p.startsWith(root + path.sep) ? p : null;
}

export interface LogRef {
  run: string;
  attempt: number;
}

/**
 * The attempts' sections of the task's log in `run`; null when the path is refused (also a link
 * out of the logs folder), [] when there is no log.
 */
export async function logSections(
  file: string,
  run: string,
  task: string,
): Promise<LogSection[] | null> {
  const p = logPath(file, run, task);
  if (!p) return null;
  let real: string;
  try {
    real = await fs.realpath(p);
  } catch {
    return [];
  }
  // A `.tributary` that came with a repository may hold links: read only a file really inside.
  const root = await fs.realpath(statePaths(file).logs).catch(() => null);
  if (!root || !real.startsWith(root + path.sep)) return null;
  try {
    return splitAttempts(await fs.readFile(real, 'utf8'));
  } catch {
    return [];
  }
}

/** What a log view says when logSections refused (a name that is no task, a link out of the logs). */
export function refusedLog(task: string): string {
  return `(refused: no log of '${task}' inside .tributary/logs)`;
}

/**
 * The last `count` lines of the task's log in that run, with a header naming run and attempt:
 * only the attempt the state comes from (a log from before attempt headers: its last lines).
 */
export async function taskLog(
  file: string,
  task: string,
  ref: LogRef | undefined,
  count = 40,
): Promise<string[]> {
  if (!ref) return ['(no log: this task has not run yet)'];
  const sections = await logSections(file, ref.run, task);
  if (!sections) return [refusedLog(task)];
  const head = `(run ${ref.run}${ref.attempt > 1 ? ` · ${ref.attempt} attempts` : ''})`;
  const headed = sections.some((s) => s.attempt > 0);
  const lines = headed
    ? (sections.find((s) => s.attempt === ref.attempt)?.lines ?? [])
    : sections.flatMap((s) => s.lines);
  if (lines.length === 0)
    return [
      head,
      ref.attempt === 0
        ? '(the task did not start in this run)'
        : `(attempt ${ref.attempt} printed nothing)`,
    ];
  return [head, ...lines.slice(-count)];
}
