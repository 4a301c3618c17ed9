/**
 * What `serve` remembers between starts (`.tributary/serve.json`, one section per pipeline file):
 * the last moment its schedules were known to be handled (`catchup: latest`), and the version of
 * each trigger file whose run finished (so that `existing: process` after a restart runs only
 * the files not handled yet, as a Dagster sensor's run keys would).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSection, writeSection } from '../records/sections';

const FILE = 'serve.json';

interface Memory {
  seen?: number;
  /** Trigger file (relative to the pipeline folder) → its version when its run finished. */
  files?: Record<string, string>;
}

function read(pipelineFile: string): Memory {
  const s = readSection(pipelineFile, FILE) as Memory | undefined;
  return s && typeof s === 'object' ? s : {};
}

function write(pipelineFile: string, m: Memory): void {
  try {
    writeSection(pipelineFile, FILE, m);
  } catch {
    // A read-only folder loses catch-up and the handled files, not the triggers.
  }
}

export function lastSeen(pipelineFile: string): number | undefined {
  const s = read(pipelineFile);
  return typeof s.seen === 'number' ? s.seen : undefined;
}

export function markSeen(pipelineFile: string, at: number): void {
  write(pipelineFile, { ...read(pipelineFile), seen: at });
}

export function handledFiles(pipelineFile: string): Map<string, string> {
  const files = read(pipelineFile).files;
  const out = new Map<string, string>();
  if (files && typeof files === 'object')
    for (const [k, v] of Object.entries(files)) if (typeof v === 'string') out.set(k, v);
  return out;
}

export function markFileHandled(pipelineFile: string, file: string, version: string): void {
  const m = read(pipelineFile);
  write(pipelineFile, { ...m, files: { ...m.files, [file]: version } });
}

/** Forgets the files that are gone (called at start: the list does not grow forever). */
export function forgetGoneFiles(pipelineFile: string, dir: string): void {
  const m = read(pipelineFile);
  if (!m.files) return;
  const files = Object.fromEntries(
    Object.entries(m.files).filter(([k]) => fs.existsSync(path.join(dir, k))),
  );
  if (Object.keys(files).length !== Object.keys(m.files).length)
    write(pipelineFile, { ...m, files });
}
