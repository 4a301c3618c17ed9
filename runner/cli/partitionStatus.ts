/** `tributary status` of a partitioned pipeline as a grid: tasks × recent partitions, ✓ ✗ ·. */
import { displayWidth, makeStyle } from '../render/style';
import type { InstanceState, PartitionedStatusRow, StatusRow } from '../status/partitionStates';

const MARK: Record<InstanceState, [string, number]> = {
  complete: ['✓', 32],
  failed: ['✗', 31],
  stale: ['·', 33],
  'never run': ['·', 90],
};

/** The grid: tasks × the most recent partitions that fit the terminal, ✓ complete ✗ failed · to run. */
export function renderGrid(
  rows: (StatusRow | PartitionedStatusRow)[],
  keys: readonly string[],
  width: number,
): string {
  const style = makeStyle(process.stdout);
  const nameWidth = Math.max(4, ...rows.map((r) => displayWidth(r.task)));
  const fit = Math.max(7, Math.min(keys.length, width - nameWidth - 4));
  const shown = keys.slice(-fit);
  const out = [
    `partitions ${shown[0] ?? ''} … ${shown.at(-1) ?? ''} (${shown.length === keys.length ? `all ${keys.length}` : `the last ${shown.length} of ${keys.length}`}, oldest left)   ✓ complete  ✗ failed  · to run`,
    '',
  ];
  for (const r of rows) {
    const name = r.task + ' '.repeat(nameWidth - displayWidth(r.task));
    if (!('partitioned' in r)) {
      const [m, c] = MARK[r.state];
      out.push(
        `${name}  ${style.paint(c, m)} ${r.state}${r.state === 'complete' ? '' : ` (${r.reason})`}`,
      );
      continue;
    }
    const cells = shown
      .map((k) => {
        const [m, c] = MARK[r.partitions[k] ?? 'never run'];
        return style.paint(c, m);
      })
      .join('');
    out.push(`${name}  ${cells}  ${r.reason}`);
  }
  return out.join('\n');
}
