/** Reading a pipeline file from disk and validating it with the real file system. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { Graph } from '../core/graph/graph';
import type { Span, Task } from '../core/model';
import type { FileHost } from '../core/validate/targets';
import { type Validation, validateParsed } from '../core/validate/validate';
import { UserError } from './userError';
import { decodePipelineBytes } from './pipelineBytes';
import { cacheable, parseCached } from './parseCache';
import { knownClean, rememberClean } from './validCache';
import { parsePipeline } from '../core/parse/parse';
import { collectNow } from './run/heapTrim';
import type { PartitionedRun } from './run/partitionedRun';

export interface LoadedPipeline extends Validation {
  file: string;
  /** Absolute folder of the pipeline file: relative paths are relative to it. */
  dir: string;
  text: string;
  /** Set when the pipeline was expanded for a partitioned run (run/partitioned.ts): tasks are instances. */
  partitioned?: PartitionedRun;
}

export function readPipelineText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(`${file}: no such file`);
  }
  if (stat.isDirectory()) throw new UserError(`${file}: is a folder, not a pipeline file`);
  // 10,000 tasks are under 1 MB; a file of hundreds of MB (a data file named by mistake) would
  // take minutes and gigabytes to parse before failing, so it is refused at once.
  if (stat.size > MAX_PIPELINE_BYTES)
    throw new UserError(
      `${file}: ${Math.round(stat.size / 2 ** 20)} MB is too large for a pipeline file (at most ${MAX_PIPELINE_BYTES / 2 ** 20} MB)`,
    );
  let bytes: Buffer;
  try {
    bytes = stat.isFile() ? fs.readFileSync(file) : readBounded(file, file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  // UTF-8 or UTF-16 (by its byte order mark), the mark dropped; NUL bytes otherwise: binary.
  return decodePipelineBytes(file, bytes);
}

/** The largest pipeline file the runner reads. */
export const MAX_PIPELINE_BYTES = 16 * 2 ** 20;

/** A pipe (`<(…)`, /dev/stdin) or device has no size: read it up to the limit (/dev/zero never ends). */
function readBounded(file: string, name: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_PIPELINE_BYTES)
        throw new UserError(
          `${name}: more than ${MAX_PIPELINE_BYTES / 2 ** 20} MB is too large for a pipeline file`,
        );
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

export function diskHost(dir: string): FileHost {
  return {
    exists: (p) => fs.existsSync(path.resolve(dir, p)),
    globMatches: (pattern) => {
      try {
        return globSync(pattern, { cwd: dir, dot: true, onlyFiles: false }).length > 0;
      } catch {
        return true;
      }
    },
  };
}

export function loadPipeline(file: string, params: Record<string, string> = {}): LoadedPipeline {
  const text = readPipelineText(file);
  const dir = path.dirname(path.resolve(file));
  const parsed = parseCached(file, text, { ranges: false });
  const clean = parsed.cached ? knownClean(file, text, params) : undefined;
  // A large file just parsed leaves its blocks' YAML documents as garbage: collected before the
  // validation adds its own (run/heapTrim.ts; −3 MB of peak RSS at 10,000 tasks, ~20 ms).
  const fresh = !parsed.cached && cacheable(text);
  if (fresh) collectNow();
  let v = validateParsed(parsed, { host: diskHost(dir), params, knownClean: clean });
  // A cached parse (or a large file's first) has no source ranges: findings need them, so parse
  // the text for real.
  if ((parsed.cached || parsed.rangeless) && v.findings.length > 0)
    v = validateParsed(parsePipeline(text), { host: diskHost(dir), params });
  else if (!clean && cacheable(text)) rememberClean(file, text, params, v);
  // The YAML document (every node with its ranges, ~1.5 KB a task) is not needed once
  // validated: a run of 10,000 tasks would keep it alive to the end.
  const { doc: _doc, ...kept } = v;
  // Nor are the source ranges of a clean large file: what a cached parse gives (no ranges; a
  // rangeless first parse has none left but its graph's and empty records).
  if (!parsed.cached && v.findings.length === 0 && cacheable(text)) dropRanges(kept);
  if (cacheable(text)) compactGraph(kept.graph);
  // And the validation's, before planning piles its own onto it.
  if (fresh) collectNow();
  return { ...kept, file, dir, text };
}

const NOWHERE: Span = { start: 0, end: 0 };
const NO_FIELDS: Task['fields'] = Object.freeze({});
const NO_ENV: Task['env'] = Object.freeze({});
const NO_RESOURCES: Task['resources'] = Object.freeze({});

/**
 * Source ranges only place findings, and a clean file has none: ~15 range objects a task (its
 * key, value, each field, need and target, and the graph's edges) are ~0.8 KB a task, 8 MB of
 * live heap at 10,000 tasks for the whole run. Set in place as `fromSnapshot` does for a cached
 * parse (core/parse/snapshot.ts), so both loads give the same model. Empty records are shared
 * (frozen: nothing writes to a loaded model).
 */
function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

function dropRanges(v: Omit<Validation, 'doc'>): void {
  for (const t of v.pipeline.tasks) {
    t.keyRange = NOWHERE;
    t.range = NOWHERE;
    t.fields = NO_FIELDS;
    if (t.poolRanges) delete t.poolRanges;
    // Two empty records a task (~0.6 MB at 10,000) become one shared each.
    if (isEmpty(t.env)) t.env = NO_ENV;
    if (isEmpty(t.resources)) t.resources = NO_RESOURCES;
    for (const n of t.needs) n.range = NOWHERE;
    for (const x of t.inputs) x.range = NOWHERE;
    for (const x of t.outputs) x.range = NOWHERE;
    // Lists the parser grew by `push` hold room for 16 items: copies of their exact size, and
    // one shared empty list for the empty ones.
    t.needs = exact(t.needs);
    t.inputs = exact(t.inputs);
    t.outputs = exact(t.outputs);
  }
  for (const e of v.graph.edges) e.range = NOWHERE;
}

/**
 * The graph's lists of edge ids by task are grown by `push`, which makes room for 16: ~125
 * bytes a list more than its two or three ids, 2.5 MB at 10,000 tasks for the whole run. Empty
 * lists (no inputs, a first layer's incoming edges) become one shared frozen list.
 */
function compactGraph(g: Graph): void {
  g.incoming = g.incoming.map(exact);
  g.outgoing = g.outgoing.map(exact);
  for (const n of g.nodes) {
    n.inputs = exact(n.inputs);
    n.outputs = exact(n.outputs);
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** A list at its exact size; the shared frozen empty list when it is empty. */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? (NONE as unknown as T[]) : list.slice();
}
