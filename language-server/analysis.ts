/** One analysed document: text, line index, validation against the disk, cached per version. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineIndex } from '../core/text/lines';
import type { FileHost } from '../core/validate/targets';
import { IncrementalParser } from '../core/parse/incremental';
import { validateParsed, type Validation } from '../core/validate/validate';
import { ValidationCache } from '../core/validate/cache';
import { parsePipeline } from '../core/parse/parse';
import { buildGraph, type Graph } from '../core/graph/graph';
import { emptyPipeline } from '../core/model';
import { diskHost } from '../runner/api';

export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  validation: Validation;
  /** Folder of the file on disk, when it has one. */
  dir?: string;
  /** For completion while the text does not parse: the last validation that did. */
  lastGood?: Validation;
}

export function folderOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? path.dirname(fileURLToPath(uri)) : undefined;
  } catch {
    return undefined;
  }
}

function hostFor(dir: string | undefined): FileHost {
  return dir ? diskHost(dir) : { exists: () => true };
}

/** What a document keeps between versions: its parser (task blocks) and its validation cache (graph shape). */
export interface DocumentState {
  parser: IncrementalParser;
  cache: ValidationCache;
}

// In place: each version is read (diagnostics sent, requests answered) before the next is parsed,
// and only the latest analysis is used, so moved tasks need not be copied (IncrementalParser).
export const freshState = (): DocumentState => ({
  parser: new IncrementalParser({ inPlace: true }),
  cache: new ValidationCache(),
});

/**
 * The validation of a version; if a check throws on some text nobody foresaw, the full parse's
 * findings and one line saying so, so the document's diagnostics still follow its text.
 */
function validated(text: string, host: FileHost, state: DocumentState): Validation {
  try {
    return validateParsed(state.parser.parse(text), { host, cache: state.cache });
  } catch (e) {
    Object.assign(state, freshState()); // its caches may be half way through this version
    const parsed = parsePipeline(text);
    const message = `Tributary could not check this file completely: ${e instanceof Error ? e.message : String(e)}`;
    let graph: Graph;
    try {
      graph = buildGraph(parsed.pipeline);
    } catch {
      graph = buildGraph(emptyPipeline());
    }
    return {
      ...parsed,
      graph,
      findings: [
        ...parsed.findings,
        { code: 'schema', severity: 'warning', message, range: { start: 0, end: 0 } },
      ],
    };
  }
}

/** Analyses a document version, re-parsing only the task blocks that changed. */
export function analyze(
  uri: string,
  version: number,
  text: string,
  state = freshState(),
): Analysis {
  const dir = folderOf(uri);
  let lines: LineIndex | undefined;
  return {
    uri,
    version,
    text,
    // Made on first use: a version without diagnostics that no request reads never needs it.
    get lines(): LineIndex {
      return (lines ??= new LineIndex(text));
    },
    validation: validated(text, hostFor(dir), state),
    ...(dir ? { dir } : {}),
  };
}

/** The runner's last results for the pipeline file, if it has run (`.tributary/state.json`). */
export function lastResults(
  a: Analysis,
): Record<string, { status: string; finished?: string; durationMs?: number }> {
  if (!a.dir) return {};
  try {
    const state = JSON.parse(
      fs.readFileSync(path.join(a.dir, '.tributary', 'state.json'), 'utf8'),
    ) as {
      pipelines?: Record<
        string,
        { tasks?: Record<string, { status: string; finished?: string; durationMs?: number }> }
      >;
    };
    const file = path.basename(fileURLToPath(a.uri));
    return state.pipelines?.[file]?.tasks ?? {};
  } catch {
    return {};
  }
}
