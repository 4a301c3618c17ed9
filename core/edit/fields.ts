/**
 * `setTaskField` for the fields edited item by item: `inputs`/`outputs` (object targets kept),
 * `needs` (only existing tasks added) and `env` (`KEY=value` strings). Undefined when the
 * generic write of a whole value applies (removing the key, a scalar or a flow value).
 */
import type { Pipeline, Task } from '../model';
import { afterTask } from './placement';
import { cycleRefusal } from './cycles';
import { envBlock, envEntries, setEnvMap } from './envMap';
import type { TaskField } from './intents';
import type { EditResult } from './sequences';
import { setList, stringItem, targetItems, wantedStrings } from './targetList';
import { insert, replace, trimEnd } from './text';

type Value = string | number | string[] | null;

const strings = (v: Value): string[] => (v === null ? [] : [v].flat().map(String));

export function setSpecialField(
  text: string,
  p: Pipeline,
  t: Task,
  field: TaskField,
  value: Value,
  eol: string,
  fi: number,
): EditResult | undefined {
  const f = t.fields[field];
  if (field === 'inputs' || field === 'outputs') {
    // Object targets and kept items (with their comments) stay.
    const targets = t[field];
    const hasObjects = targets.some((x) => stringItem(x) === undefined);
    if (!f || !(hasObjects || Array.isArray(value))) return undefined;
    return setList(text, f, targetItems(targets), wantedStrings(targets, strings(value)), eol, fi);
  }
  if (field === 'needs') {
    // Only existing tasks may be added; a dangling entry already written may stay.
    const wanted = strings(value);
    const had = new Set(t.needs.map((n) => n.value));
    const bad = wanted.find((w) => !had.has(w) && (w === t.name || !p.taskIndex.has(w)));
    if (bad !== undefined)
      return { error: bad === t.name ? 'a task cannot need itself' : `no task '${bad}'` };
    if (new Set(wanted).size !== wanted.length) return { error: 'a task is named twice' };
    const cycle = cycleRefusal(
      p,
      t.name,
      wanted.filter((w) => !had.has(w)),
    );
    if (cycle) return { error: cycle };
    return f && wanted.length > 0 ? setList(text, f, t.needs, wanted, eol, fi) : undefined;
  }
  if (field === 'env') {
    const entries = envEntries(strings(value));
    if (!Array.isArray(entries)) return entries;
    if (entries.length === 0) return undefined;
    const r = f ? setEnvMap(text, f, t.env, entries, eol) : undefined;
    if (r) return r;
    const block = envBlock(entries, fi + 2, eol);
    if (f) {
      const colon = text.indexOf(':', f.key.end);
      const end = Math.max(trimEnd(text, f.value.start, f.value.end), colon + 1);
      return { edits: [replace({ start: colon + 1, end }, block)] };
    }
    const at = afterTask(text, t);
    const lead = at === text.length && !text.endsWith('\n') ? eol : '';
    return { edits: [insert(at, `${lead}${' '.repeat(fi)}env:${block}${eol}`)] };
  }
  return undefined;
}
