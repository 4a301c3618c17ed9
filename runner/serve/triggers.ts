/** What starts a run under `serve`, and how it is named in the log and coalesced in the queue. */
export type Trigger =
  /**
   * `at`: the fire's scheduled time; `partition`: the one finished by then (a partitioned
   * pipeline), so that fires of two days waiting together stay two runs.
   */
  | { kind: 'schedule'; expr: string; at?: number; partition?: string }
  | { kind: 'catchup'; expr: string; missed: Date }
  /** `catchup: all` of a partitioned pipeline: every missing partition since `start`. */
  | { kind: 'backfill' }
  /**
   * `partition`: the one the file's name gives under a `{partition}` pattern; `version`: the
   * file's when it fired (remembered as handled once its run finishes).
   */
  | { kind: 'file'; file: string; partition?: string; version?: string };

/** Triggers with the same key that wait together are one run: schedules coalesce, files do not. */
export function triggerKey(t: Trigger): string {
  if (t.kind === 'file') return `file:${t.file}`;
  if (t.kind === 'backfill') return 'backfill';
  return t.kind === 'schedule' && t.partition !== undefined
    ? `schedule:${t.partition}`
    : 'schedule';
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
