/**
 * Where new text goes in a task list: after a task's last value and the comments indented
 * under it, before the blank lines and the comments that introduce whatever follows.
 */
import type { Task } from '../model';
import { columnOf, lineEndWithBreak, lineStart } from './text';

/** The offset (a line start, or the end of the text) just after task `t` and its own comments. */
export function afterTask(text: string, t: Task): number {
  let at = lineEndWithBreak(text, Math.max(t.range.end, t.keyRange.end));
  const keyColumn = columnOf(text, t.keyRange.start);
  // A comment indented deeper than the task's name is the task's own (`# more outputs here`).
  while (at < text.length) {
    const next = lineEndWithBreak(text, at);
    const line = text.slice(at, next);
    const body = line.trimStart();
    if (!body.startsWith('#') || line.length - body.length <= keyColumn) break;
    at = next;
  }
  return at;
}

/** True when most tasks are separated by a blank line: a new task then gets one too. */
export function blankLineBetweenTasks(text: string, tasks: readonly Task[]): boolean {
  let blank = 0;
  for (let i = 0; i + 1 < tasks.length; i++) {
    const gap = text.slice(
      afterTask(text, tasks[i]!),
      lineStart(text, tasks[i + 1]!.keyRange.start),
    );
    if (gap.split('\n').some((l, j, all) => j < all.length - 1 && l.trim() === '')) blank++;
  }
  return tasks.length > 1 && blank * 2 >= tasks.length - 1;
}
