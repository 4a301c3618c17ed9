/** `--partition`, `--from`, `--to`: which partitions a command is about, checked before anything runs. */
import { expandLoaded, keysFor, partitionsOf } from '../run/partitioned';
import type { LoadedPipeline } from '../load';
import { UserError } from '../userError';

export interface PartitionFlags {
  partition?: string[];
  from?: string;
  to?: string;
}

export function collectPartition(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The pipeline expanded for the named partitions (unchanged when it has no partitioned task).
 * Nothing named: the latest finished partition, or with `all` every partition so far.
 */
export function withPartitions(
  loaded: LoadedPipeline,
  flags: PartitionFlags,
  opts: { all?: boolean; now?: number } = {},
): LoadedPipeline {
  const parts = partitionsOf(loaded);
  const named =
    (flags.partition?.length ?? 0) > 0 || flags.from !== undefined || flags.to !== undefined;
  if (!parts) {
    if (named)
      throw new UserError(
        `${loaded.file}: no task mentions \${partition}: --partition, --from and --to do not apply`,
      );
    return loaded;
  }
  const keys = keysFor(
    parts,
    {
      ...(flags.partition ? { partitions: flags.partition } : {}),
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      ...(opts.all ? { all: true } : {}),
    },
    opts.now ?? Date.now(),
  );
  return expandLoaded(loaded, parts, keys);
}
