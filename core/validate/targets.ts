/** `missing-input` and `duplicate-output`. */
import picomatch from 'picomatch';
import { outputIndex, producersOf, type Graph } from '../graph/graph';
import { resolveTarget, type ResolvedTarget } from '../graph/resolve';
import type { Finding, Pipeline } from '../model';
import { isSameOrInside } from '../paths';
import { withoutPartitionRefs } from '../partitions/refs';

/** How validation asks about the disk; paths are relative to the pipeline's folder. */
export interface FileHost {
  exists(path: string): boolean;
  /** True when at least one file matches the glob; absent → globs are not checked. */
  globMatches?(pattern: string): boolean;
}

export function checkDuplicateOutputs(g: Graph): Finding[] {
  const byId = new Map<string, { task: number; t: ResolvedTarget }[]>();
  g.nodes.forEach((n, task) => {
    for (const t of n.outputs) {
      if (t.dynamic) continue;
      const list = byId.get(t.id) ?? [];
      if (!list.some((x) => x.task === task)) list.push({ task, t });
      byId.set(t.id, list);
    }
  });
  const out: Finding[] = [];
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    for (const { task, t } of list) {
      const others = list.filter((x) => x.task !== task);
      out.push({
        code: 'duplicate-output',
        severity: 'error',
        message: `'${id}' is also an output of ${others.map((o) => `'${g.nodes[o.task]?.name}'`).join(', ')}: each output must have one producer`,
        range: t.target.range,
        related: others.map((o) => ({
          message: `also produced by '${g.nodes[o.task]?.name}'`,
          range: o.t.target.range,
        })),
      });
    }
  }
  return out;
}

/** Inputs ([task, input] indexes) that no task produces and no source covers: those to look for on disk. */
export function unproducedInputs(
  p: Pipeline,
  g: Graph,
  params: Record<string, string>,
): [number, number][] {
  const sources = p.sources.map((s) => resolveTarget(s, params));
  const outputs = outputIndex(g.nodes);
  const out: [number, number][] = [];
  g.nodes.forEach((n, i) => {
    n.inputs.forEach((input, j) => {
      if (input.dynamic || input.target.kind === 'other') return;
      if (input.id !== withoutPartitionRefs(input.id)) return; // checked per partition at run time
      if (producersOf(input, outputs).length > 0) return;
      if (sources.some((s) => covers(s, input))) return;
      if (input.target.kind === 'postgres') return; // checked against the database when the task runs
      if (input.target.kind === 'hdfs') return; // asked of the NameNode by `validate --remote`
      out.push([i, j]);
    });
  });
  return out;
}

/** `unproduced` may come from a previous version with the same graph shape (ValidationCache). */
export function checkMissingInputs(
  p: Pipeline,
  g: Graph,
  params: Record<string, string>,
  host: FileHost,
  unproduced = unproducedInputs(p, g, params),
): Finding[] {
  const out: Finding[] = [];
  for (const [i, j] of unproduced) {
    const n = g.nodes[i];
    const input = n?.inputs[j];
    if (!n || !input) continue;
    const onDisk = input.glob ? (host.globMatches?.(input.id) ?? true) : host.exists(input.id);
    if (onDisk) continue;
    out.push({
      code: 'missing-input',
      severity: 'error',
      message: `input '${input.id}' of '${n.name}' is not produced by any task, not listed in sources and not on disk`,
      range: input.target.range,
      data: { kind: 'missing-input', path: input.id, task: n.name },
    });
  }
  return out;
}

function covers(source: ResolvedTarget, input: ResolvedTarget): boolean {
  if (source.dynamic) return false;
  if (source.id === input.id || isSameOrInside(input.id, source.id)) return true;
  if (source.glob)
    return picomatch(source.id, { dot: true })(input.id) || (input.glob && input.id === source.id);
  return false;
}
