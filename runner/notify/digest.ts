/**
 * The digest of `notify.email.digest`: at most one mail per period per pipeline file; runs in
 * between are kept in `.tributary/notify.json` and go out with the next mail (or when `serve`
 * flushes them once the period is over).
 */
import { readSection, writeSection } from '../records/sections';
import type { BriefRun } from './compose';

export interface DigestState {
  lastSent?: number;
  pending: BriefRun[];
}

const FILE = 'notify.json';
const KEEP = 100;

export function readDigest(pipelineFile: string): DigestState {
  const s = readSection(pipelineFile, FILE) as Partial<DigestState> | undefined;
  return {
    pending: Array.isArray(s?.pending) ? s.pending : [],
    ...(typeof s?.lastSent === 'number' ? { lastSent: s.lastSent } : {}),
  };
}

export function writeDigest(pipelineFile: string, state: DigestState): void {
  writeSection(pipelineFile, FILE, { ...state, pending: state.pending.slice(-KEEP) });
}
