/** Reading what a run left behind: its events, and the process table. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEventLog, type RunEvent } from '../../core/run/events';

export function runLogs(dir: string): RunEvent[][] {
  const runs = path.join(dir, '.tributary', 'runs');
  if (!fs.existsSync(runs)) return [];
  return fs
    .readdirSync(runs)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => parseEventLog(fs.readFileSync(path.join(runs, f), 'utf8')));
}

export function lastRun(dir: string): RunEvent[] {
  return runLogs(dir).at(-1) ?? [];
}

/** Tasks that started in a run, in order. */
export function started(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.event === 'task_started' ? [e.task] : []));
}

export function finished(events: RunEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events)
    if (e.event === 'task_finished' || e.event === 'task_skipped') out[e.task] = e.status;
  return out;
}

/** PIDs of live (non-zombie) processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'))
    .map((l) => l.trim().split(/\s+/))
    .filter(([, stat]) => stat !== undefined && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

export async function waitFor(
  cond: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
