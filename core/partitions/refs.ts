/** `${partition}`, `${partition.start}`, `${partition.end}`: where a task mentions them, and which tasks are partitioned. */
import { isScalar, type Node, visit } from 'yaml';
import type { PartitionRef, Pipeline, Target, Task } from '../model';

/** `$${…}` is an escaped literal (as for every other interpolation). */
const REF = /\$?\$\{\s*partition(?:\.([A-Za-z0-9_.-]*))?\s*\}/g;

/** The fields a `${partition.X}` may name ('' is `${partition}` itself). */
export const PARTITION_FIELDS = ['', 'start', 'end'] as const;

/** Each partition reference in `text`, with offsets inside it. */
export function findPartitionRefs(text: string): PartitionRef[] {
  const out: PartitionRef[] = [];
  if (!text.includes('partition')) return out;
  for (const m of text.matchAll(REF)) {
    if (m[0].startsWith('$$')) continue;
    out.push({ field: m[1] ?? '', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The references in the scalar values (not keys, not comments) of a task's node, relative to
 * `origin` (the start of the task's key).
 */
export function collectPartitionRefs(
  node: Node | null | undefined,
  text: string,
  origin: number,
): PartitionRef[] {
  const out: PartitionRef[] = [];
  const r = node?.range;
  // Only the node's own text is looked at: a whole-text check per task would be quadratic.
  if (!node || !r || !text.slice(r[0], r[1]).includes('partition')) return out;
  const scan = (n: unknown): void => {
    if (!isScalar(n) || typeof n.value !== 'string' || !n.range) return;
    const at = n.range[0];
    for (const ref of findPartitionRefs(text.slice(at, n.range[1])))
      out.push({ field: ref.field, start: at + ref.start - origin, end: at + ref.end - origin });
  };
  if (isScalar(node)) scan(node);
  else
    visit(node, {
      Scalar(key, n) {
        if (key !== 'key') scan(n);
      },
    });
  return out;
}

/** `text` with its partition references taken out (for "is anything else left to fill?"). */
export function withoutPartitionRefs(text: string): string {
  return text.includes('partition')
    ? text.replace(REF, (m) => (m.startsWith('$$') ? m : ''))
    : text;
}

const mentions = (s: string | undefined): boolean =>
  s !== undefined && s.includes('partition') && findPartitionRefs(s).length > 0;

function targetMentions(t: Target): boolean {
  switch (t.kind) {
    case 'path':
      return mentions(t.path);
    case 'postgres':
      return mentions(t.table) || mentions(t.dsn) || mentions(t.where);
    case 'hdfs':
      return mentions(t.url);
    case 'other':
      return mentions(JSON.stringify(t.spec ?? null));
  }
}

/** A task is partitioned when any of its values mentions `${partition…}` (merged-in values included). */
export function isPartitioned(t: Task): boolean {
  if (t.partitionRefs && t.partitionRefs.length > 0) return true;
  return (
    mentions(t.run) ||
    mentions(t.description) ||
    mentions(t.cwd) ||
    Object.values(t.env).some(mentions) ||
    t.inputs.some(targetMentions) ||
    t.outputs.some(targetMentions)
  );
}

/** The names of the partitioned tasks, in file order. */
export function partitionedTasks(p: Pipeline): string[] {
  return p.tasks.filter(isPartitioned).map((t) => t.name);
}
