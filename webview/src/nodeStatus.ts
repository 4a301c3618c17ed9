/** What a node shows: its state and the run it comes from (its own module: the store and the partition strips both use it). */
import type { Metrics } from '../../core/run/events';

export type ViewStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'success'
  | 'failed'
  | 'complete'
  | 'upstream_failed'
  | 'cancelled'
  | 'timed_out'
  | 'stale'
  | 'will_run';

export interface NodeStatus {
  status: ViewStatus;
  reason?: string;
  durationMs?: number;
  attempt?: number;
  metrics?: Metrics;
  /** The run the state comes from (its log is the one "Show log" shows). */
  run?: string;
  /** A partitioned task: how many of its partitions failed (whichever partition is shown). */
  failedPartitions?: number;
  /**
   * What the state line says instead of the state's name: `not run` (still pending when its run
   * ended, cancelled or interrupted), `never run` (no run, plan or record speaks of it).
   */
  words?: string;
}
