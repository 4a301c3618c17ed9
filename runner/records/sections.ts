/**
 * Small JSON files under `.tributary/` that keep one section per pipeline file of the folder
 * (as state.json does): read tolerant of a missing or corrupt file, written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import { withFileLock } from './fileLock';
import { statePaths } from './paths';

function fileOf(pipelineFile: string, name: string): string {
  return path.join(statePaths(pipelineFile).root, name);
}

function readAll(file: string): Record<string, unknown> {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** This pipeline file's section of `.tributary/<name>`, unchecked: the caller validates it. */
export function readSection(pipelineFile: string, name: string): unknown {
  return readAll(fileOf(pipelineFile, name))[statePaths(pipelineFile).key];
}

/** Replaces this pipeline file's section; other processes' sections written meanwhile are kept. */
export function writeSection(pipelineFile: string, name: string, value: unknown): void {
  const file = fileOf(pipelineFile, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  withFileLock(file, () => {
    const all = readAll(file);
    all[statePaths(pipelineFile).key] = value;
    writeFileAtomic(file, JSON.stringify(all, null, 2));
  });
}
