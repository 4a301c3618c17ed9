/** Pure: the status filter's groups (what a person asks for: failed, running, …) and which tasks a filter shows. */
import type { GraphModel } from '../../../core/protocol/webview';
import type { ViewStatus } from '../nodeStatus';

export const GROUPS = [
  {
    id: 'failed',
    label: 'Failed',
    statuses: ['failed', 'timed_out', 'upstream_failed', 'cancelled'],
  },
  { id: 'running', label: 'Running or queued', statuses: ['running', 'retrying', 'queued'] },
  { id: 'will_run', label: 'Will run or stale', statuses: ['will_run', 'stale'] },
  { id: 'never', label: 'Never run', statuses: ['pending'] },
  { id: 'done', label: 'Succeeded or complete', statuses: ['success', 'complete'] },
] as const satisfies readonly { id: string; label: string; statuses: readonly ViewStatus[] }[];

export type GroupId = (typeof GROUPS)[number]['id'];

const GROUP_OF = new Map<string, GroupId>(
  GROUPS.flatMap((g) => g.statuses.map((s) => [s, g.id] as [string, GroupId])),
);

export function groupOf(status: string): GroupId {
  return GROUP_OF.get(status) ?? 'never';
}

/** Only known group ids, each once, in the groups' order (a saved state may be from an older version). */
export function cleanFilter(saved: unknown): GroupId[] {
  const wanted = new Set(Array.isArray(saved) ? saved : []);
  return GROUPS.map((g) => g.id).filter((id) => wanted.has(id));
}

export interface FilterResult {
  /** The tasks the filter shows (null: no filter, everything shows). */
  shown: Set<string> | null;
  /** How many tasks the filter shows, of how many. */
  count: number;
  total: number;
  /** Tasks per group, for the choices' labels. */
  perGroup: Record<GroupId, number>;
}

/** Before the graph arrives: nothing to count. */
export const NO_TASKS: FilterResult = {
  shown: null,
  count: 0,
  total: 0,
  perGroup: { failed: 0, running: 0, will_run: 0, never: 0, done: 0 },
};

/** Sources are not tasks: never counted, and dimmed while a filter is on. */
export function applyFilter(
  g: GraphModel,
  status: (task: string) => string,
  filter: readonly GroupId[],
): FilterResult {
  const on = new Set(filter);
  const perGroup = Object.fromEntries(GROUPS.map((x) => [x.id, 0])) as Record<GroupId, number>;
  const shown = new Set<string>();
  let total = 0;
  for (const n of g.nodes) {
    if (n.kind !== 'task') continue;
    total++;
    const group = groupOf(status(n.id));
    perGroup[group]++;
    if (on.has(group)) shown.add(n.id);
  }
  return { shown: on.size ? shown : null, count: on.size ? shown.size : total, total, perGroup };
}
