/** `undefined-param` and unknown `${task.X}`-style references, on the exact `${...}` text. */
import { type Document, visit } from 'yaml';
import { findReferences } from '../interpolate';
import type { Finding, Pipeline } from '../model';
import { closest } from '../text/similar';

const KNOWN_FIELD: Record<string, string> = { task: 'name', run: 'id', trigger: 'file' };

/** A `${ns.name}` found in a scalar, with its range in the text. */
export interface FoundReference {
  ns: string;
  name: string;
  range: { start: number; end: number };
}

/** Every `${...}` in the document's scalar values (not keys): depends on the text alone. */
export function collectReferences(doc: Document.Parsed, text: string): FoundReference[] {
  const out: FoundReference[] = [];
  if (!text.includes('${')) return out;
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
      const start = node.range[0];
      const source = text.slice(start, node.range[1]);
      for (const ref of findReferences(source))
        out.push({
          ns: ref.ns,
          name: ref.name,
          range: { start: start + ref.start, end: start + ref.end },
        });
    },
  });
  return out;
}

/** The findings of references against the pipeline's params. */
/** `declared`: every param written under `params:`, also those whose value is reported as bad. */
export function judgeReferences(
  refs: FoundReference[],
  params: Record<string, string>,
  declared: Record<string, unknown> = params,
): Finding[] {
  const out: Finding[] = [];
  for (const ref of refs) {
    const range = ref.range;
    if (ref.ns === 'params' && !Object.hasOwn(declared, ref.name)) {
      const [near] = closest(ref.name, Object.keys(params), 1);
      const hint = near ? ` (did you mean '${near}'?)` : '';
      out.push({
        code: 'undefined-param',
        severity: 'error',
        message: `undefined param '${ref.name}': declare it under params${hint}`,
        range,
        data: { kind: 'undefined-param', name: ref.name, ...(near ? { suggestion: near } : {}) },
      });
    }
    const field = KNOWN_FIELD[ref.ns];
    if (field && ref.name !== field) {
      out.push({
        code: 'schema',
        severity: 'error',
        message: `unknown reference '\${${ref.ns}.${ref.name}}': did you mean '\${${ref.ns}.${field}}'?`,
        range,
      });
    }
  }
  return out;
}

export function checkReferences(doc: Document.Parsed, text: string, p: Pipeline): Finding[] {
  return judgeReferences(collectReferences(doc, text), p.params, p.paramRanges);
}
