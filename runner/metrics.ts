/**
 * Task metrics: each attempt gets $TRIBUTARY_METRICS, a file path where the task may write a JSON
 * object (as DVC's metrics files or MLflow's log_metric); its top-level numbers, strings and
 * booleans are recorded with the task's success and shown on its node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Metrics } from '../core/run/events';

const MAX_KEYS = 20;

/** `.tributary/metrics/<run>/`: made before tasks start, removed after if nothing was written. */
export function metricsDir(root: string, runId: string): string {
  return path.join(root, 'metrics', runId);
}

export function metricsFile(root: string, runId: string, task: string, attempt: number): string {
  return path.join(metricsDir(root, runId), `${task}.${attempt}.json`);
}

/** The metrics a task wrote, or a reason they were not read; undefined when it wrote none. */
export function readMetrics(file: string): { metrics?: Metrics; problem?: string } {
  // Most tasks write none: a stat, not a failed read's exception, per task.
  if (!fs.statSync(file, { throwIfNoEntry: false })) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: `$TRIBUTARY_METRICS (${file}) is not JSON` };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { problem: `$TRIBUTARY_METRICS must hold a JSON object, e.g. {"accuracy": 0.93}` };
  const metrics: Metrics = {};
  for (const [k, v] of Object.entries(data)) {
    if (Object.keys(metrics).length >= MAX_KEYS) break;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
      metrics[k] = typeof v === 'string' ? v.slice(0, 200) : v;
  }
  return { metrics };
}
