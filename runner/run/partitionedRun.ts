/** The shape of a partitioned run (its own module: runner/load.ts and run/partitioned.ts both use it). */
import type { Expansion } from '../../core/partitions/expand';
import type { Partitions } from '../../core/partitions/partitions';

export interface PartitionedRun {
  parts: Partitions;
  /** The run's partitions, oldest first. */
  keys: string[];
  expansion: Expansion;
  /** A topological order of the instances that finishes the oldest partition first. */
  order: number[];
}
