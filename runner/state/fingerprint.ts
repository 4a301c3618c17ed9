/** Fingerprints: what a task's last success depended on (command, params, env, inputs, upstream runs). */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { Fingerprint } from '../../core/run/events';

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Size and modification time; for folders, of every file inside (recursively). */
export function pathSignature(abs: string): string {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    return 'missing';
  }
  if (!st.isDirectory()) return `${st.size}:${Math.floor(st.mtimeMs)}`;
  const h = createHash('sha1');
  let count = 0;
  const walk = (dir: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else {
        const s = fs.statSync(p, { throwIfNoEntry: false });
        if (s) h.update(`${rel}${e.name}\0${s.size}\0${Math.floor(s.mtimeMs)}\n`);
        count++;
      }
    }
  };
  walk(abs, '');
  return `dir:${count}:${h.digest('hex').slice(0, 16)}`;
}

export function globSignature(dir: string, pattern: string): string {
  const files = globSync(pattern, { cwd: dir, dot: true }).sort();
  return `glob:${files.length}:${hash(files.map((f) => `${f}\0${pathSignature(path.join(dir, f))}`).join('\n'))}`;
}

/** Names of the fingerprint fields that differ, as reasons a user can read. */
export function fingerprintChanges(before: Fingerprint, now: Fingerprint): string[] {
  const out: string[] = [];
  if (before.command !== now.command) out.push('command changed');
  const params = new Set([...Object.keys(before.params), ...Object.keys(now.params)]);
  const changedParams = [...params].filter((p) => before.params[p] !== now.params[p]);
  if (changedParams.length > 0) out.push(`param ${changedParams.join(', ')} changed`);
  if (before.env !== now.env) out.push('environment changed');
  if ((before.cwd ?? '.') !== (now.cwd ?? '.')) out.push('cwd changed');
  for (const [input, sig] of Object.entries(now.inputs)) {
    if (before.inputs[input] === undefined) out.push(`input ${input} added`);
    else if (before.inputs[input] !== sig) out.push(`input ${input} changed`);
  }
  for (const [task, stamp] of Object.entries(now.upstream)) {
    if (before.upstream[task] !== stamp) out.push(`upstream ${task} ran since`);
  }
  return out;
}
