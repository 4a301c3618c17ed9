/** `tributary lineage FILE PATH`: which task and run produced PATH, from what inputs, up to the sources. */
import * as path from 'node:path';
import type { RunEvent } from '../../core/run/events';
import { hdfsTargetId, isHdfsTarget } from '../../core/graph/hdfsTarget';
import { isSameOrInside, normalizePath } from '../../core/paths';
import { listRuns, readRun } from '../records/eventLog';
import { statePaths } from '../records/paths';
import type { LoadedPipeline } from '../load';
import { loadValid } from './common';

type Finished = Extract<RunEvent, { event: 'task_finished' }>;

export interface LineageNode {
  path: string;
  kind: 'produced' | 'source' | 'unknown';
  task?: string;
  /** The partition of the task instance that produced it. */
  partition?: string;
  run?: string;
  finished?: string;
  duration_ms?: number;
  signature?: string;
  inputs?: LineageNode[];
}

/** Successful task finishes, newest first, of this pipeline file. */
function successes(loaded: LoadedPipeline): Finished[] {
  const paths = statePaths(loaded.file);
  const key = path.basename(loaded.file);
  const out: Finished[] = [];
  for (const id of listRuns(paths.runs).reverse()) {
    const events = readRun(paths.runs, id);
    const first = events[0];
    if (!first || first.event !== 'run_started' || first.file !== key) continue;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.event === 'task_finished' && e.status === 'success' && e.outputs) out.push(e);
    }
  }
  return out;
}

function isSource(loaded: LoadedPipeline, p: string): boolean {
  return loaded.pipeline.sources.some(
    (s) =>
      (s.kind === 'path' && isSameOrInside(p, normalizePath(s.path))) ||
      (s.kind === 'hdfs' && isSameOrInside(p, hdfsTargetId(s.url))),
  );
}

export function lineageOf(loaded: LoadedPipeline, target: string): LineageNode {
  const all = successes(loaded);
  const walk = (
    p: string,
    before: string | undefined,
    depth: number,
    signature?: string,
  ): LineageNode => {
    const made = all.find(
      (e) =>
        (before === undefined || e.ts <= before) && e.outputs!.some((o) => isSameOrInside(p, o)),
    );
    const base = signature !== undefined ? { signature } : {};
    if (!made || depth > 64)
      return { path: p, kind: isSource(loaded, p) ? 'source' : 'unknown', ...base };
    const inputs = Object.entries(made.fingerprint?.inputs ?? {}).map(([i, sig]) =>
      walk(i, made.ts, depth + 1, sig),
    );
    return {
      path: p,
      kind: 'produced',
      task: made.task,
      ...(made.partition !== undefined ? { partition: made.partition } : {}),
      run: made.run,
      finished: made.ts,
      duration_ms: made.duration_ms,
      ...base,
      inputs,
    };
  };
  return walk(target, undefined, 0);
}

function render(n: LineageNode, indent: string, out: string[]): void {
  const what =
    n.kind === 'produced'
      ? `← ${n.task}${n.partition !== undefined ? ` partition ${n.partition}` : ''} (run ${n.run}, finished ${n.finished})`
      : n.kind === 'source'
        ? '[source]'
        : '[not produced by this pipeline]';
  out.push(`${indent}${n.path}  ${what}`);
  for (const i of n.inputs ?? []) render(i, indent + '    ', out);
}

export function lineageCommand(file: string, target: string, flags: { json?: boolean }): number {
  const loaded = loadValid(file);
  // PATH as typed in the shell (relative to here) or as written in the pipeline (relative to its folder).
  const fromCwd = normalizePath(path.relative(loaded.dir, path.resolve(target)));
  const candidates = isHdfsTarget(target)
    ? [hdfsTargetId(target)]
    : [fromCwd, normalizePath(target)];
  const nodes = candidates.map((c) => lineageOf(loaded, c));
  const node =
    nodes.find((n) => n.kind === 'produced') ??
    nodes.find((n) => n.kind === 'source') ??
    (nodes[0] as LineageNode);
  if (flags.json) process.stdout.write(JSON.stringify(node, null, 2) + '\n');
  else {
    const out: string[] = [];
    render(node, '', out);
    process.stdout.write(out.join('\n') + '\n');
  }
  if (node.kind === 'unknown') {
    process.stderr.write(`tributary: no run of ${file} has produced ${node.path}\n`);
    return 1;
  }
  return 0;
}
