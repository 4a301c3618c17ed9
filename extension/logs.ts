/** The last lines of a task's log from its most recent run (`.tributary/logs/<run>/<task>.log`). */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export async function lastLog(file: string, task: string, count = 40): Promise<string[]> {
  const logs = path.join(path.dirname(file), '.tributary', 'logs');
  try {
    const runs = (await fs.readdir(logs)).sort().reverse();
    for (const run of runs) {
      try {
        const text = await fs.readFile(path.join(logs, run, `${task}.log`), 'utf8');
        return [`(run ${run})`, ...text.split('\n').slice(-count)];
      } catch {
        // This run has no log for the task: look further back.
      }
    }
  } catch {}
  return ['(no log yet: the task has not run, or printed nothing)'];
}
