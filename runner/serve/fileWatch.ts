/**
 * One `on: files` trigger: chokidar watches the glob's base folder; a matching file fires once its
 * size has been stable for a moment (awaitWriteFinish), on creation and on change. `scanFiles`
 * lists what matches now, so a (re)start can find files that landed while nothing watched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';

export interface FileWatchOptions {
  /** The pipeline folder: the glob is relative to it. */
  dir: string;
  glob: string;
  stableMs: number;
  onFile: (relative: string) => void;
  onError: (message: string) => void;
}

export function watchFiles(o: FileWatchOptions): { ready: Promise<void>; close(): Promise<void> } {
  const scan = picomatch.scan(o.glob);
  const base = path.resolve(o.dir, scan.isGlob ? scan.base : path.dirname(o.glob));
  const matches = picomatch(o.glob, { dot: false });
  const rel = (abs: string): string => path.relative(o.dir, abs).split(path.sep).join('/');
  const watcher: FSWatcher = watch(base, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: o.stableMs, pollInterval: Math.min(100, o.stableMs) },
    ignored: (p, stats) =>
      p.split(path.sep).includes('.tributary') || (!!stats?.isFile() && !matches(rel(p))),
  });
  const fire = (abs: string): void => {
    if (matches(rel(abs))) o.onFile(rel(abs));
  };
  watcher.on('add', fire);
  watcher.on('change', fire);
  watcher.on('error', (e) => o.onError(e instanceof Error ? e.message : String(e)));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}

/** A file's version: a changed file has another one. */
export interface FileVersion {
  version: string;
  /** The latest of its modification and inode change (creation, rename into place) times. */
  touchedMs: number;
}

export function fileVersion(dir: string, relative: string): FileVersion | undefined {
  const st = fs.statSync(path.join(dir, relative), { throwIfNoEntry: false });
  if (!st?.isFile()) return undefined;
  return { version: `${st.mtimeMs}:${st.size}`, touchedMs: Math.max(st.mtimeMs, st.ctimeMs) };
}

/** The files matching the glob now, relative to `dir`. */
export function scanFiles(dir: string, glob: string): string[] {
  try {
    return globSync(glob, { cwd: dir, ignore: ['**/.tributary/**'], onlyFiles: true });
  } catch {
    return [];
  }
}
