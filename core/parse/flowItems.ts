/**
 * Recognises the classic mistake `inputs: [data/${params.day}.csv]`: in a flow sequence a
 * brace ends a plain item, so YAML fails. Each such item becomes one clear finding with a fix.
 */
import type { Finding } from '../model';

const FLOW = /\[([^\]\n]*\$\{[^\n]*)\]/g;

export function unquotedFlowItems(text: string): Finding[] {
  const out: Finding[] = [];
  if (!text.includes('${')) return out;
  for (const m of text.matchAll(FLOW)) {
    const body = m[1] ?? '';
    const bodyStart = m.index + 1;
    let itemStart = 0;
    for (let i = 0; i <= body.length; i++) {
      if (i < body.length && body[i] !== ',') continue;
      const rawItem = body.slice(itemStart, i);
      const lead = rawItem.length - rawItem.trimStart().length;
      const item = rawItem.trim();
      const start = bodyStart + itemStart + lead;
      itemStart = i + 1;
      if (!item.includes('${') || /^["']/.test(item)) continue;
      const quoted = JSON.stringify(item);
      out.push({
        code: 'yaml-syntax',
        severity: 'error',
        message: `'${item}' must be quoted: in a [flow list] a brace ends a plain item, write ${quoted}`,
        range: { start, end: start + item.length },
        data: {
          kind: 'quote-item',
          fix: { range: { start, end: start + item.length }, newText: quoted },
        },
      });
    }
  }
  return out;
}
