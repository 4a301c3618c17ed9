/** `invalid-schedule`: cron expressions checked with croner (5 fields, or 6 with seconds). */
import { Cron } from 'croner';
import type { Finding, Pipeline } from '../model';

export function cronError(expr: string): string | undefined {
  // Said in the format's own terms: croner's count message speaks of its modes and of 7 parts.
  const fields = expr.trim().split(/\s+/).filter(Boolean).length;
  if (!expr.trim().startsWith('@') && fields !== 5 && fields !== 6)
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has ${fields}`;
  try {
    new Cron(expr, { paused: true, mode: '5-or-6-parts' }).stop();
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, '');
  }
}

/** The next `count` fire times of a valid expression (local time zone). */
export function nextFireTimes(expr: string, count: number, from?: Date): Date[] {
  try {
    const c = new Cron(expr, { paused: true, mode: '5-or-6-parts' });
    const runs = c.nextRuns(count, from);
    c.stop();
    return runs;
  } catch {
    return [];
  }
}

export function checkSchedules(p: Pipeline): Finding[] {
  const out: Finding[] = [];
  for (const s of p.schedule) {
    const err = cronError(s.value);
    if (err)
      out.push({
        code: 'invalid-schedule',
        severity: 'error',
        message: `'${s.value}' is not a valid cron expression: ${err}`,
        range: s.range,
      });
  }
  return out;
}
