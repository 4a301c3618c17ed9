/** Where run state lives: `.tributary/` beside the pipeline file (the contract's layout). */
import * as path from 'node:path';

export interface StatePaths {
  root: string;
  runs: string;
  logs: string;
  state: string;
  lock: string;
  /** The pipeline file's name: state.json keeps one section per pipeline file of the folder. */
  key: string;
}

export function statePaths(pipelineFile: string): StatePaths {
  const root = path.join(path.dirname(path.resolve(pipelineFile)), '.tributary');
  return {
    root,
    runs: path.join(root, 'runs'),
    logs: path.join(root, 'logs'),
    state: path.join(root, 'state.json'),
    lock: path.join(root, 'lock'),
    key: path.basename(pipelineFile),
  };
}

/** Sortable, unique run ids: UTC time to the millisecond plus a random suffix. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
