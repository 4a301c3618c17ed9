/** Shared helpers for core tests: a disk host over a folder, and golden-file formatting. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { Finding } from '../model';
import { LineIndex } from '../text/lines';
import type { FileHost } from '../validate/targets';

export function folderHost(dir: string): FileHost {
  return {
    exists: (p) => fs.existsSync(path.resolve(dir, p)),
    globMatches: (pattern) => globSync(pattern, { cwd: dir }).length > 0,
  };
}

/** One line per finding: `L:C-L:C severity code message` (1-based). */
export function formatFindings(text: string, findings: Finding[]): string {
  const lines = new LineIndex(text);
  return findings
    .map((f) => {
      const s = lines.position(f.range.start);
      const e = lines.position(f.range.end);
      return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.severity} ${f.code} ${f.message}`;
    })
    .join('\n');
}

export const updateGolden = process.env.UPDATE_GOLDEN === '1';
