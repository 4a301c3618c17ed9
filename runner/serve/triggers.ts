/** What starts a run under `serve`, and how it is named in the log and coalesced in the queue. */
export type Trigger =
  /** `at`: the fire's scheduled time (a partitioned pipeline runs the partition finished by then). */
  | { kind: 'schedule'; expr: string; at?: number }
  | { kind: 'catchup'; expr: string; missed: Date }
  /** `catchup: all` of a partitioned pipeline: every missing partition since `start`. */
  | { kind: 'backfill' }
  /** `partition`: the one the file's name gives under a `{partition}` pattern. */
  | { kind: 'file'; file: string; partition?: string };

/** Triggers with the same key that wait together are one run: schedules coalesce, files do not. */
export function triggerKey(t: Trigger): string {
  return t.kind === 'file' ? `file:${t.file}` : t.kind === 'backfill' ? 'backfill' : 'schedule';
}

export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'schedule':
      return `schedule '${t.expr}'`;
    case 'catchup':
      return `catch-up of schedule '${t.expr}' missed at ${t.missed.toISOString()}`;
    case 'backfill':
      return 'catch-up of every missing partition';
    case 'file':
      return `file ${t.file}${t.partition !== undefined ? ` (partition ${t.partition})` : ''}`;
  }
}
