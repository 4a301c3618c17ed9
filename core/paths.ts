/** POSIX path helpers for pipeline paths; pure so that the webview can use them too. */

/** Normalises `./a//b/../c/` to `a/c`; keeps a leading `/`; returns `.` for the folder itself. */
export function normalizePath(p: string): string {
  // Nearly every path is already normal: no `.`/`..`/empty segment can hide in one without `//`,
  // `./`, a trailing `/` or a trailing `.` (10,000 targets are resolved on every run).
  if (p !== '' && !p.includes('//') && !p.includes('./') && !p.endsWith('/') && !p.endsWith('.'))
    return p;
  return normalizeSegments(p);
}

/** The rule itself, segment by segment (exported so a test can hold the shortcut to it). */
export function normalizeSegments(p: string): string {
  const absolute = p.startsWith('/');
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** True when `inner` equals `outer` or lies inside it (both normalised). */
export function isSameOrInside(inner: string, outer: string): boolean {
  if (outer === '.') return !inner.startsWith('/') && !inner.startsWith('..');
  return inner === outer || inner.startsWith(outer + '/');
}

/** The chain of parent folders of a normalised path, nearest first (`a/b/c` → `a/b`, `a`). */
export function parentsOf(p: string): string[] {
  const out: string[] = [];
  let i = p.lastIndexOf('/');
  while (i > 0) {
    p = p.slice(0, i);
    out.push(p);
    i = p.lastIndexOf('/');
  }
  return out;
}

export function isGlob(p: string): boolean {
  return /[*?[\]{}!]/.test(p);
}

export function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return normalizePath(rel);
  return normalizePath(base + '/' + rel);
}
