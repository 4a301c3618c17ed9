/**
 * Beside the parse cache: that an unchanged large file, with the same params, validated with no
 * findings, and which of its inputs no task produces (their disk checks are the only ones that
 * can change). A no-op re-run of 10,000 tasks then does not re-run every check (~20 % of it).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unproducedInputs } from '../core/validate/targets';
import { effectiveParams } from '../core/graph/resolve';
import type { Validation } from '../core/validate/validate';
import { writeFileAtomic } from './records/atomic';

/** Bump when what the file holds changes meaning. */
const VERSION = 1;

interface Entry {
  key: string;
  unproduced: [number, number][];
}

const cacheFile = (file: string): string =>
  path.join(
    path.dirname(path.resolve(file)),
    '.tributary',
    'cache',
    `${path.basename(file)}.valid.json`,
  );

/** Entries kept: the CLI and the extension's bundle (two builds) or two param sets do not evict each other. */
const KEEP = 4;

function readEntries(file: string): Entry[] {
  try {
    const doc = JSON.parse(fs.readFileSync(cacheFile(file), 'utf8')) as { entries?: unknown };
    return Array.isArray(doc.entries) ? (doc.entries as Entry[]) : [];
  } catch {
    return []; // No record yet, or a torn one: validate in full.
  }
}

/**
 * What the answer depends on: the text, the params, and this build (a newer version may check
 * more), named by the running bundle's size and time.
 */
function keyOf(text: string, params: Record<string, string>): string {
  let build: string;
  try {
    const st = fs.statSync(fileURLToPath(import.meta.url));
    build = `${st.size}:${st.mtimeMs}`;
  } catch {
    build = String(Math.random()); // unknown build: never reuse
  }
  const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha1')
    .update(`${VERSION}\0${build}\0${JSON.stringify(sorted)}\0`)
    .update(text)
    .digest('hex');
}

/** The unproduced inputs of a clean validation of this text and params, if one is recorded. */
export function knownClean(
  file: string,
  text: string,
  params: Record<string, string>,
): { unproduced: [number, number][] } | undefined {
  const key = keyOf(text, params);
  const e = readEntries(file).find((x) => x?.key === key);
  if (e && Array.isArray(e.unproduced)) return { unproduced: e.unproduced };
  return undefined;
}

/** Records a validation with no findings (anything else is validated in full every time). */
export function rememberClean(
  file: string,
  text: string,
  params: Record<string, string>,
  v: Validation,
): void {
  if (!v.syntaxOk || v.findings.length > 0) return;
  const p = v.pipeline;
  const entry: Entry = {
    key: keyOf(text, params),
    unproduced: unproducedInputs(p, v.graph, effectiveParams(p, params)),
  };
  const entries = [entry, ...readEntries(file).filter((x) => x?.key !== entry.key)];
  try {
    writeFileAtomic(cacheFile(file), JSON.stringify({ entries: entries.slice(0, KEEP) }));
  } catch {
    // A read-only folder only costs speed.
  }
}
