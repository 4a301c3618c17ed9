/** `undefined-param` and unknown `${task.X}`-style references, on the exact `${...}` text. */
import { type Document, visit } from 'yaml';
import { findReferences } from '../interpolate';
import type { Finding, Pipeline } from '../model';
import { closest } from '../text/similar';

const KNOWN_FIELD: Record<string, string> = { task: 'name', run: 'id', trigger: 'file' };

export function checkReferences(doc: Document.Parsed, text: string, p: Pipeline): Finding[] {
  const out: Finding[] = [];
  if (!text.includes('${')) return out;
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
      const start = node.range[0];
      const source = text.slice(start, node.range[1]);
      for (const ref of findReferences(source)) {
        const range = { start: start + ref.start, end: start + ref.end };
        if (ref.ns === 'params' && !Object.hasOwn(p.params, ref.name)) {
          const [near] = closest(ref.name, Object.keys(p.params), 1);
          const hint = near ? ` (did you mean '${near}'?)` : '';
          out.push({
            code: 'undefined-param',
            severity: 'error',
            message: `undefined param '${ref.name}': declare it under params${hint}`,
            range,
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
    },
  });
  return out;
}
