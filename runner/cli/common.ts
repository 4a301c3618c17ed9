/** What every pipeline command does first: load, refuse an invalid pipeline, check task names and params. */
import { closest } from '../../core/text/similar';
import { LineIndex } from '../../core/text/lines';
import { loadPipeline, type LoadedPipeline } from '../load';
import { UserError } from '../userError';
import { formatFinding } from '../render/findings';

export function collectParam(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UserError(`--param expects KEY=VALUE, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export function loadValid(file: string, params: Record<string, string> = {}): LoadedPipeline {
  const loaded = loadPipeline(file, params);
  const errors = loaded.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const first = formatFinding(file, new LineIndex(loaded.text), errors[0]!);
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more; run: tributary validate ${file})` : '';
    throw new UserError(`invalid pipeline: ${first}${more}`);
  }
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(loaded.pipeline.params, name)) {
      const [near] = closest(name, Object.keys(loaded.pipeline.params), 1);
      throw new UserError(
        `--param ${name}: the pipeline has no param '${name}'${near ? ` (did you mean '${near}'?)` : ''}`,
      );
    }
  }
  return loaded;
}

/** Warnings (an unknown key `output:` → did you mean outputs) on stderr: the run goes on, but they are seen. */
export function printWarnings(file: string, loaded: LoadedPipeline): void {
  // No line index of a 10,000-task file for a clean one (a no-op re-run's ~1 %).
  if (!loaded.findings.some((f) => f.severity === 'warning')) return;
  const lines = new LineIndex(loaded.text);
  for (const f of loaded.findings)
    if (f.severity === 'warning')
      process.stderr.write(`tributary: ${formatFinding(file, lines, f)}\n`);
}

export function checkTaskNames(loaded: LoadedPipeline, names: string[]): void {
  for (const name of names) {
    if (loaded.pipeline.taskIndex.has(name)) continue;
    // `extract@2024-01-31` as the live output and history name an instance.
    const at = name.lastIndexOf('@');
    if (at > 0 && loaded.pipeline.taskIndex.has(name.slice(0, at)))
      throw new UserError(
        `unknown task '${name}': to run one partition of a task, write ${name.slice(0, at)} --partition ${name.slice(at + 1)}`,
      );
    const [near] = closest(name, loaded.pipeline.taskIndex.keys(), 1);
    throw new UserError(`unknown task '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
  }
}

/** A whole number ≥ 1 for `flag`, else a user error naming that flag. */
function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`${flag} expects a whole number ≥ 1, got '${value}'`);
  return n;
}

export function parseWorkers(value: string): number {
  return wholeNumber('--workers', value);
}

export function parseLimit(value: string): number {
  return wholeNumber('--limit', value);
}
