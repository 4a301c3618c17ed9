/** The text of a notification mail: what failed, how, its last lines, and the timing table. */
import { formatDuration } from '../../core/durations';
import type { Mail } from './mail';
import type { RunSummary } from './summary';

/** What a digest keeps of a run it did not mail at once. */
export interface BriefRun {
  run: string;
  started: string;
  status: string;
  failed: string[];
  retried: string[];
}

export function briefOf(s: RunSummary): BriefRun {
  return { run: s.run, started: s.started, status: s.status, failed: s.failed, retried: s.retried };
}

function briefLine(b: BriefRun): string {
  return (
    `  ${b.started}  ${b.run}  ${b.status}` +
    `${b.failed.length ? `  failed: ${b.failed.join(', ')}` : ''}` +
    `${b.retried.length ? `  retried: ${b.retried.join(', ')}` : ''}`
  );
}

function headline(s: RunSummary): string {
  if (s.failed.length > 0) return `failed: ${s.failed.join(', ')}`;
  if (s.status === 'failed') return 'failed';
  if (s.retried.length > 0) return `${s.status} after retries of ${s.retried.join(', ')}`;
  return s.status;
}

function failures(s: RunSummary): string[] {
  const lines: string[] = [];
  for (const t of s.tasks.filter((x) => x.tail !== undefined)) {
    lines.push(
      `Task ${t.task} ${t.status.replace('_', ' ')}` +
        `${t.exit_code !== null ? ` with exit code ${t.exit_code}` : ''}` +
        ` after ${t.attempts} attempt${t.attempts === 1 ? '' : 's'}` +
        `${t.message && !/^exit code \d+$/.test(t.message) ? `: ${t.message}` : ''}`,
    );
  }
  return lines;
}

export function composeMail(
  s: RunSummary,
  to: string[],
  prefix: string | undefined,
  earlier: BriefRun[],
): Mail {
  const more = earlier.length > 0 ? ` (+${earlier.length} earlier)` : '';
  const subject = `${prefix ?? '[tributary]'} ${s.pipeline} ${headline(s)}${more}`;
  const lines = [
    `Pipeline ${s.pipeline} (${s.file})`,
    `Run ${s.run}: ${s.status}, started ${s.started}, took ${formatDuration(s.duration_ms)}`,
    ...(s.trigger
      ? [`Triggered by ${s.trigger}`]
      : s.started_by
        ? [`Started by ${s.started_by}`]
        : []),
    ...(s.message ? ['', s.message] : []),
    '',
    ...failures(s),
    '',
    s.text,
  ];
  if (earlier.length > 0)
    lines.push('', 'Earlier runs gathered by the digest:', ...earlier.map(briefLine));
  return { to, subject, text: lines.join('\n') + '\n' };
}

/** The mail that `serve` sends when a digest period ends with runs still unmailed. */
export function composeDigestMail(
  pipeline: string,
  to: string[],
  prefix: string | undefined,
  earlier: BriefRun[],
): Mail {
  const failed = earlier.filter((b) => b.status === 'failed').length;
  const lines = [
    `Pipeline ${pipeline}: ${earlier.length} run(s) since the last mail, ${failed} failed.`,
    '',
  ];
  lines.push(...earlier.map(briefLine));
  return {
    to,
    subject: `${prefix ?? '[tributary]'} ${pipeline} digest: ${earlier.length} run(s), ${failed} failed`,
    text: lines.join('\n') + '\n',
  };
}
