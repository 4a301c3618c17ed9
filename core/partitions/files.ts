/** `on: files` patterns with `{partition}`: the glob to watch, and which partition a dropped file names. */
import picomatch from 'picomatch';
import { KEY_SHAPES } from './keys';
import { checkKey, type Partitions } from './partitions';

export const FILE_PLACEHOLDER = '{partition}';

export function hasPlaceholder(pattern: string): boolean {
  return pattern.includes(FILE_PLACEHOLDER);
}

/** The glob a watcher uses: `{partition}` stands for any name. */
export function watchGlob(pattern: string): string {
  return pattern.replaceAll(FILE_PLACEHOLDER, '*');
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a key can stand in a file name: the grain's key shape, or one of the values. */
function keyPattern(p: Partitions): RegExp {
  const source =
    p.kind === 'values'
      ? [...p.values]
          .sort((a, b) => b.length - a.length)
          .map(escapeRe)
          .join('|')
      : KEY_SHAPES[p.grain].pattern.source.replace(/^\^|\$$/g, '').replace(/\((?!\?)/g, '(?:');
  return new RegExp(source, 'g');
}

/**
 * The partition named by `file` (relative to the pipeline folder, `/` separators) under a
 * pattern such as `incoming/{partition}.csv`, or one line saying why it names none.
 */
export function partitionOfFile(
  pattern: string,
  file: string,
  p: Partitions,
  now: number,
): { key: string } | { reason: string } {
  const literal = pattern.replaceAll(FILE_PLACEHOLDER, '\\{partition\\}');
  const matches = picomatch(literal, { dot: true });
  const re = keyPattern(p);
  const found = new Set<string>();
  for (let from = 0; from < file.length; from++) {
    re.lastIndex = from;
    const m = re.exec(file);
    if (!m) break;
    from = m.index; // the next search starts one further: overlapping candidates are tried too
    const key = m[0];
    // The pattern may hold `{partition}` more than once (`{partition}/{partition}.csv`).
    const all = file.split(key).join(FILE_PLACEHOLDER);
    const one = file.slice(0, m.index) + FILE_PLACEHOLDER + file.slice(m.index + key.length);
    if (matches(one) || matches(all)) found.add(key);
  }
  if (found.size === 0) return { reason: `'${file}' does not name a partition as ${pattern} does` };
  if (found.size > 1)
    return { reason: `'${file}' names more than one partition (${[...found].join(', ')})` };
  const [key] = [...found] as [string];
  const bad = checkKey(p, key, now);
  return bad ? { reason: `'${file}': ${bad}` } : { key };
}
