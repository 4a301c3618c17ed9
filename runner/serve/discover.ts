/** The pipeline files under the paths given to `serve`: files as given, folders searched. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';

export const PIPELINE_GLOB = '**/*.pipeline.{yaml,yml}';
export const IGNORED_DIRS = ['**/node_modules/**', '**/.git/**', '**/.tributary/**'];

export function isPipelineFile(file: string): boolean {
  return /\.pipeline\.ya?ml$/.test(file);
}

export function discoverPipelines(paths: string[]): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) missing.push(p);
    else if (st.isFile()) files.add(abs);
    else
      for (const f of globSync(PIPELINE_GLOB, { cwd: abs, ignore: IGNORED_DIRS, absolute: true }))
        files.add(path.resolve(f));
  }
  return { files: [...files].sort(), missing };
}
