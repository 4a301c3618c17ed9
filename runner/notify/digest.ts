/**
 * The digest of `notify.email.digest`: at most one mail per period per pipeline file; runs in
 * between are kept in `.tributary/notify.json` and go out with the next mail (or when `serve`
 * flushes them once the period is over).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../records/atomic';
import { statePaths } from '../records/paths';
import type { BriefRun } from './compose';

export interface DigestState {
  lastSent?: number;
  pending: BriefRun[];
}

const KEEP = 100;

function fileOf(pipelineFile: string): string {
  return path.join(statePaths(pipelineFile).root, 'notify.json');
}

function readAll(pipelineFile: string): Record<string, DigestState> {
  try {
    const data = JSON.parse(fs.readFileSync(fileOf(pipelineFile), 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, DigestState>) : {};
  } catch {
    return {};
  }
}

export function readDigest(pipelineFile: string): DigestState {
  const s = readAll(pipelineFile)[statePaths(pipelineFile).key];
  return {
    pending: Array.isArray(s?.pending) ? s.pending : [],
    ...(s?.lastSent ? { lastSent: s.lastSent } : {}),
  };
}

export function writeDigest(pipelineFile: string, state: DigestState): void {
  const all = readAll(pipelineFile);
  all[statePaths(pipelineFile).key] = { ...state, pending: state.pending.slice(-KEEP) };
  writeFileAtomic(fileOf(pipelineFile), JSON.stringify(all, null, 2));
}
