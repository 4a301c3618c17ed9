/** Which partitions a `serve` trigger runs: a fire the latest finished at its time, a file the one it names. */
import { allKeys, latestFinished, type Partitions } from '../../core/partitions/partitions';
import type { LoadedPipeline } from '../load';
import { expandLoaded, partitionsOf } from '../run/partitioned';
import type { Trigger } from './triggers';

/** The pipeline expanded for the trigger's partitions, or why nothing runs (one log line). */
export function partitionedForTrigger(
  loaded: LoadedPipeline,
  t: Trigger,
  now: number,
): { loaded: LoadedPipeline } | { skip: string } {
  const parts = partitionsOf(loaded);
  if (!parts) return { loaded };
  const keys = keysOf(parts, t, now);
  if (keys.length === 0) return { skip: 'no partition has finished yet: nothing to run' };
  return { loaded: expandLoaded(loaded, parts, keys) };
}

function keysOf(parts: Partitions, t: Trigger, now: number): string[] {
  // `values:` partitions have no "latest": a fire runs every value.
  if (parts.kind === 'values')
    return t.kind === 'file' && t.partition ? [t.partition] : allKeys(parts, now);
  switch (t.kind) {
    case 'backfill':
      return allKeys(parts, now);
    case 'file':
      if (t.partition !== undefined) return [t.partition];
      return optional(latestFinished(parts, now));
    case 'schedule':
      // The scheduled time, not the moment the timer ran (a few ms either side of midnight).
      return t.partition !== undefined
        ? [t.partition]
        : optional(latestFinished(parts, t.at ?? now));
    case 'catchup':
      return optional(latestFinished(parts, t.missed.getTime()));
  }
}

const optional = (key: string | undefined): string[] => (key === undefined ? [] : [key]);
