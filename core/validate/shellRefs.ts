/** `unsafe-interpolation`: a `${…}` in a command where no value can be filled safely (contract section 7). */
import type { Finding, Pipeline } from '../model';
import { shellCommand } from '../shell/shellCommand';
import type { ValidationCache } from './cache';

export function checkShellRefs(p: Pipeline, cache?: ValidationCache): Finding[] {
  const out: Finding[] = [];
  for (const t of p.tasks) {
    if (!t.run) continue;
    const range = t.fields.run?.value ?? t.keyRange;
    for (const problem of cache ? cache.shellProblems(t.run) : shellCommand(t.run).problems)
      out.push({
        code: 'unsafe-interpolation',
        severity: 'error',
        message: `task '${t.name}': ${problem.message}`,
        range,
      });
  }
  return out;
}
