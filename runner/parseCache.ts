/**
 * Parsing large pipelines with the `yaml` package dominates a no-op run, so the parse of an
 * unchanged file is kept in `.tributary/cache/` keyed by a hash of the text.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IncrementalParser } from '../core/parse/incremental';
import { type ParseResult, parsePipeline } from '../core/parse/parse';
import { fromSnapshot, type ParseSnapshot, writeSnapshot } from '../core/parse/snapshot';
import { writeFileAtomicChunks } from './records/atomic';
import { favourMemory } from './run/heapTrim';

/** Below this size parsing is faster than reading a cache file. */
const MIN_BYTES = 64 * 1024;

/** Whether a file of this text is cached at all. */
export const cacheable = (text: string): boolean =>
  text.length >= MIN_BYTES && !process.env.TRIBUTARY_NO_CACHE;

/**
 * The parse of `text`, from the cache when the text is unchanged; `cached` says which. `ranges:
 * false`: a large file parsed now comes without source ranges too (`rangeless`), as a cached one
 * does — the runner's, which parses again for the ranges of any finding.
 */
export function parseCached(
  file: string,
  text: string,
  o: { ranges?: boolean } = {},
): ParseResult & { cached?: true; rangeless?: true } {
  if (!cacheable(text)) return parsePipeline(text);
  const key = createHash('sha1').update(text).digest('hex');
  const cacheFile = path.join(
    path.dirname(path.resolve(file)),
    '.tributary',
    'cache',
    `${path.basename(file)}.parse.json`,
  );
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as ParseSnapshot & {
      key: string;
    };
    if (cached.key === key) {
      const restored = fromSnapshot(cached);
      if (restored) return { ...restored, cached: true };
    }
  } catch {
    // No cache yet, or a torn one: parse.
  }
  // Parsing 10,000 blocks makes a large heap and much garbage: favour memory from here on.
  favourMemory();
  const parsed = parseLarge(text, o.ranges !== false);
  try {
    writeFileAtomicChunks(cacheFile, (write) => writeSnapshot(parsed, { key }, write));
  } catch {
    // A read-only folder only costs speed.
  }
  return parsed;
}

/**
 * A large file parsed one task block at a time (the language server's parser; equal to the full
 * parse, tested on every fixture): the YAML document of 10,000 tasks never exists at once, which
 * took ~40 MB off the peak RSS of a first run. A file with findings is parsed whole, so its
 * messages are exactly the full parse's.
 */
function parseLarge(text: string, ranges: boolean): ParseResult & { rangeless?: true } {
  if (process.env.TRIBUTARY_BLOCK_PARSE === '0') return parsePipeline(text);
  const r = new IncrementalParser({ once: true, ranges }).parse(text);
  if (!r.syntaxOk || r.findings.length > 0) return parsePipeline(text);
  // Without ranges, 10,000 tasks' ~150,000 range objects never exist (~8 MB of peak heap).
  return ranges ? r : { ...r, rangeless: true };
}
