/**
 * What `serve` remembers between starts, for `catchup: latest`: per pipeline file, the last moment
 * its schedules were known to be handled (`.tributary/serve.json`).
 */
import { readSection, writeSection } from '../records/sections';

const FILE = 'serve.json';

export function lastSeen(pipelineFile: string): number | undefined {
  const s = readSection(pipelineFile, FILE) as { seen?: unknown } | undefined;
  return typeof s?.seen === 'number' ? s.seen : undefined;
}

export function markSeen(pipelineFile: string, at: number): void {
  try {
    writeSection(pipelineFile, FILE, { seen: at });
  } catch {
    // A read-only folder loses catch-up, not the schedule.
  }
}
