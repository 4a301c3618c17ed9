/**
 * What `serve` remembers between starts, for `catchup: latest`: per pipeline file, the last moment
 * its schedules were known to be handled (`.tributary/serve.json`, written atomically).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../records/atomic';
import { statePaths } from '../records/paths';

function fileOf(pipelineFile: string): string {
  return path.join(statePaths(pipelineFile).root, 'serve.json');
}

function readAll(pipelineFile: string): Record<string, { seen?: number }> {
  try {
    const v = JSON.parse(fs.readFileSync(fileOf(pipelineFile), 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, { seen?: number }>) : {};
  } catch {
    return {};
  }
}

export function lastSeen(pipelineFile: string): number | undefined {
  const seen = readAll(pipelineFile)[statePaths(pipelineFile).key]?.seen;
  return typeof seen === 'number' ? seen : undefined;
}

export function markSeen(pipelineFile: string, at: number): void {
  const all = readAll(pipelineFile);
  all[statePaths(pipelineFile).key] = { seen: at };
  try {
    writeFileAtomic(fileOf(pipelineFile), JSON.stringify(all));
  } catch {
    // A read-only folder loses catch-up, not the schedule.
  }
}
