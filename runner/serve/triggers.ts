/** What starts a run under `serve`, and how it is named in the log and coalesced in the queue. */
export type Trigger =
  | { kind: 'schedule'; expr: string }
  | { kind: 'catchup'; expr: string; missed: Date }
  | { kind: 'file'; file: string };

/** Triggers with the same key that wait together are one run: schedules coalesce, files do not. */
export function triggerKey(t: Trigger): string {
  return t.kind === 'file' ? `file:${t.file}` : 'schedule';
}

export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'schedule':
      return `schedule '${t.expr}'`;
    case 'catchup':
      return `catch-up of schedule '${t.expr}' missed at ${t.missed.toISOString()}`;
    case 'file':
      return `file ${t.file}`;
  }
}
