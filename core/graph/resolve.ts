/** Targets with params interpolated and paths normalised: what the graph and the runner compare. */
import { interpolate } from '../interpolate';
import type { Pipeline, Target, Task } from '../model';
import { isGlob, normalizePath } from '../paths';
import { hdfsTargetId } from './hdfsTarget';
import { withoutPartitionRefs } from '../partitions/refs';

export interface ResolvedTarget {
  target: Target;
  /** Identity used to match outputs with inputs: a normalised path, `postgres:<table>` or an HDFS URL. */
  id: string;
  glob: boolean;
  /** True when an interpolation could not be resolved before the run (env, run id, trigger). */
  dynamic: boolean;
}

export function resolveTarget(
  t: Target,
  params: Record<string, string>,
  task?: string,
): ResolvedTarget {
  if (t.kind === 'path') {
    // Most paths have no `${…}`: nothing to fill, nothing dynamic.
    if (!t.path.includes('${'))
      return { target: t, id: normalizePath(t.path), glob: isGlob(t.path), dynamic: false };
    const { value, missing } = interpolate(t.path, { params, ...(task ? { task } : {}) });
    return {
      target: t,
      id: normalizePath(value),
      glob: isGlob(value.replace(/\$\{[^}]*\}/g, '')),
      dynamic: missing.length > 0 || withoutPartitionRefs(value).includes('${'),
    };
  }
  if (t.kind === 'hdfs') {
    const { value, missing } = interpolate(t.url, { params, ...(task ? { task } : {}) });
    return {
      target: t,
      id: hdfsTargetId(value),
      glob: false,
      dynamic: missing.length > 0 || withoutPartitionRefs(value).includes('${'),
    };
  }
  if (t.kind === 'postgres') {
    const { value, missing } = interpolate(t.table, { params, ...(task ? { task } : {}) });
    return {
      target: t,
      id: `postgres:${value}${t.where ? ` where ${t.where}` : ''}`,
      glob: false,
      dynamic: missing.length > 0,
    };
  }
  return {
    target: t,
    id: `${t.type}:${JSON.stringify(t.spec ?? null)}`,
    glob: false,
    dynamic: true,
  };
}

export function resolveTaskTargets(
  task: Task,
  params: Record<string, string>,
): { inputs: ResolvedTarget[]; outputs: ResolvedTarget[] } {
  return {
    inputs: task.inputs.map((t) => resolveTarget(t, params, task.name)),
    outputs: task.outputs.map((t) => resolveTarget(t, params, task.name)),
  };
}

/** Params after `--param` overrides. */
export function effectiveParams(
  p: Pipeline,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return { ...p.params, ...overrides };
}
