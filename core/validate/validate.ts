/** The one validator: parse findings plus every semantic check, sorted by position. */
import { buildGraph, type Graph } from '../graph/graph';
import { effectiveParams } from '../graph/resolve';
import type { Finding, Pipeline } from '../model';
import { parsePipeline, type ParseResult } from '../parse/parse';
import { closest } from '../text/similar';
import { checkCycles } from './cycles';
import { checkSchedules } from './schedule';
import { checkShellRefs } from './shellRefs';
import { checkPartitionRefs } from '../partitions/validate';
import {
  checkDuplicateOutputs,
  checkMissingInputs,
  type FileHost,
  unproducedInputs,
} from './targets';
import { cyclicComponents } from '../graph/algorithms';
import type { ValidationCache } from './cache';

export interface Validation extends ParseResult {
  graph: Graph;
}

export interface ValidateOptions {
  host?: FileHost;
  params?: Record<string, string>;
  /** What the previous version of the same document left to reuse (the language server). */
  cache?: ValidationCache;
  /**
   * This very parse, with these params, was validated with no findings before (the runner's
   * cache): only the disk checks of its unproduced inputs (node, input) are redone.
   */
  knownClean?: { unproduced: [number, number][] };
}

const NO_DISK: FileHost = { exists: () => true };

export function validate(text: string, options: ValidateOptions = {}): Validation {
  return validateParsed(parsePipeline(text), options);
}

/** Validates an already parsed pipeline (for example one restored from the runner's parse cache). */
export function validateParsed(parsed: ParseResult, options: ValidateOptions = {}): Validation {
  const graph = options.cache
    ? options.cache.graph(parsed.pipeline, options.params)
    : buildGraph(parsed.pipeline, options.params);
  // In position order like every other result (the full parse lists yaml's errors first).
  if (!parsed.syntaxOk) return { ...parsed, findings: byPosition([...parsed.findings]), graph };
  const p = parsed.pipeline;
  const params = effectiveParams(p, options.params);
  if (options.knownClean) {
    const host = options.host ?? NO_DISK;
    const missing = checkMissingInputs(p, graph, params, host, options.knownClean.unproduced);
    return { ...parsed, findings: [...parsed.findings, ...missing], graph };
  }
  const findings: Finding[] = [
    ...parsed.findings,
    ...checkUnknownTasks(
      p,
      options.cache?.derived('suggestions', () => new Map<string, string[]>(), true),
    ),
    ...checkPools(p),
    ...checkCycles(
      graph,
      options.cache?.derived('cycles', () => cyclicComponents(graph)),
    ),
    ...checkDuplicateOutputs(graph),
    ...checkMissingInputs(
      p,
      graph,
      params,
      options.host ?? NO_DISK,
      options.cache?.derived('unproduced', () => unproducedInputs(p, graph, params), true),
    ),
    ...checkSchedules(p),
    ...checkShellRefs(p, options.cache),
    ...checkPartitionRefs(p, parsed.findings),
  ];
  byPosition(findings);
  options.cache?.settle(p.tasks.length);
  return { ...parsed, findings, graph };
}

/** Sorts findings by where they start, then end (stable: equal ranges keep their order). */
function byPosition(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}

/** `memo`: suggestions by unknown name, kept while the task names are the same (ValidationCache). */
function checkUnknownTasks(p: Pipeline, memo?: Map<string, string[]>): Finding[] {
  const out: Finding[] = [];
  for (const t of p.tasks) {
    for (const need of t.needs) {
      if (p.taskIndex.has(need.value)) continue;
      let suggestions = memo?.get(need.value);
      if (!suggestions) {
        suggestions = closest(need.value, p.taskIndex.keys());
        if (memo && memo.size < 10_000) memo.set(need.value, suggestions);
      }
      // Never the task itself: naming it would make a cycle.
      suggestions = suggestions.filter((s) => s !== t.name);
      const hint = suggestions.length > 0 ? ` (did you mean '${suggestions[0]}'?)` : '';
      out.push({
        code: 'unknown-task',
        severity: 'error',
        message: `'${t.name}' needs unknown task '${need.value}'${hint}`,
        range: need.range,
        data: { kind: 'unknown-task', name: need.value, task: t.name, suggestions },
      });
    }
  }
  return out;
}

function checkPools(p: Pipeline): Finding[] {
  const out: Finding[] = [];
  for (const t of p.tasks) {
    const whole = t.fields.resources?.value ?? t.keyRange;
    for (const [pool, amount] of Object.entries(t.resources)) {
      const capacity = p.resources[pool];
      // On the pool's own key (undeclared) or its amount (too much); the whole value if unknown.
      const at = t.poolRanges?.[pool];
      if (capacity === undefined) {
        out.push({
          code: 'schema',
          severity: 'error',
          message: `task '${t.name}' uses pool '${pool}', which is not declared under top-level resources`,
          range: at?.key ?? whole,
        });
      } else if (amount > capacity) {
        out.push({
          code: 'schema',
          severity: 'error',
          message: `task '${t.name}' asks for ${amount} of pool '${pool}', which holds ${capacity}`,
          range: at?.value ?? whole,
        });
      }
    }
  }
  return out;
}
