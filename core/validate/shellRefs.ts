/**
 * `unsafe-interpolation`: a `${…}` in a command where no value can be filled safely (contract
 * section 7); and a postgres `where` that cannot be one parameterised condition (a `;`…).
 */
import type { Finding, Pipeline, Target } from '../model';
import { shellCommand } from '../shell/shellCommand';
import { whereQuery } from '../sql/whereQuery';
import type { ValidationCache } from './cache';

export function checkShellRefs(p: Pipeline, cache?: ValidationCache): Finding[] {
  const out: Finding[] = [];
  const where = (t: Target, owner: string): void => {
    if (t.kind !== 'postgres' || t.where === undefined) return;
    const error = whereQuery(t.where, () => '').error;
    if (error)
      out.push({
        code: 'unsafe-interpolation',
        severity: 'error',
        message: `${owner}: ${error}`,
        range: t.range,
      });
  };
  for (const t of p.tasks) {
    for (const target of [...t.inputs, ...t.outputs]) where(target, `task '${t.name}'`);
    if (!t.run) continue;
    const range = t.fields.run?.value ?? t.keyRange;
    let problems: { message: string }[];
    try {
      problems = cache ? cache.shellProblems(t.run) : shellCommand(t.run).problems;
    } catch (e) {
      // A command the shell reader cannot follow (e.g. nested thousands of levels deep) is
      // refused, not run unchecked: its ${…} places are unknown (contract §7).
      const deep = e instanceof RangeError;
      problems = [
        {
          message: deep
            ? 'the command is nested too deeply to check where its ${…} stand: simplify it (e.g. move it to a script)'
            : `the command could not be checked (${e instanceof Error ? e.message : String(e)})`,
        },
      ];
    }
    for (const problem of problems)
      out.push({
        code: 'unsafe-interpolation',
        severity: 'error',
        message: `task '${t.name}': ${problem.message}`,
        range,
      });
  }
  for (const s of p.sources) where(s, 'sources');
  return out;
}
