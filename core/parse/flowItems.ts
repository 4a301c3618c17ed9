/**
 * Recognises the classic mistake `inputs: [data/${params.day}.csv]`: in a flow collection a
 * brace ends a plain item, so YAML fails. Each such item becomes one clear finding with a fix.
 * Read from the yaml package's tokens, so a list over several lines and a `{flow map}` value
 * (`env: {DAY: ${params.day}}`) are found too, and block scalars are never taken for flow.
 */
import { CST, Lexer } from 'yaml';
import type { Finding, Span } from '../model';

/** An open flow collection; `interp` marks the `{` of a `${` that YAML took for a flow map. */
interface Frame {
  kind: '[' | '{';
  interp: boolean;
  start: number;
  itemStart?: number;
  itemEnd: number;
  broken: boolean;
  /** Some item of it was reported. */
  reported: boolean;
}

// Markers the lexer puts between tokens; they are not in the text.
const MARKERS = new Set<string>([CST.DOCUMENT, CST.SCALAR, CST.FLOW_END]);

/** The findings, and the spans of the collections that hold them (their other errors follow from them). */
export function flowItemProblems(text: string): { findings: Finding[]; spans: Span[] } {
  const findings: Finding[] = [];
  const spans: Span[] = [];
  if (!text.includes('${')) return { findings, spans };
  const stack: Frame[] = [];
  let offset = 0;
  let prev: { text: string; end: number; plain: boolean } | undefined;
  let plainNext = false;
  const top = (): Frame | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (!stack[i]!.interp) return stack[i];
    return undefined;
  };
  const endItem = (f: Frame): void => {
    if (f.broken && f.itemStart !== undefined) {
      const item = text.slice(f.itemStart, f.itemEnd);
      if (!item.includes('\n')) {
        findings.push(finding(f.itemStart, item, f.kind));
        f.reported = true;
      }
    }
    f.itemStart = undefined;
    f.broken = false;
  };
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) {
      plainNext = token === CST.SCALAR;
      continue;
    }
    const start = offset;
    offset += token.length;
    const plain = plainNext;
    plainNext = false;
    const frame = top();
    const type = CST.tokenType(token);
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      // `$` glued to `{`: an interpolation that YAML reads as the start of a flow map.
      const interp =
        token === '{' &&
        frame !== undefined &&
        !!prev?.plain &&
        prev.end === start &&
        prev.text.endsWith('$');
      if (interp) frame.broken = true;
      else if (frame && frame.itemStart === undefined) frame.itemStart = start;
      stack.push({
        kind: token as '[' | '{',
        interp,
        start,
        itemEnd: offset,
        broken: false,
        reported: false,
      });
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      const closed = stack.pop();
      if (closed && !closed.interp) {
        endItem(closed);
        if (closed.reported) spans.push({ start: closed.start, end: offset });
      }
    } else if (frame && (type === 'comma' || (type === 'map-value-ind' && frame.kind === '{'))) {
      endItem(frame);
    } else if (type !== 'space' && type !== 'newline' && type !== 'comment' && frame) {
      if (frame.itemStart === undefined) frame.itemStart = start;
    }
    // The item (of the collection open now) reaches this token: a closed inner list included.
    const open = top();
    if (open && type !== 'space' && type !== 'newline' && type !== 'comment' && type !== 'comma')
      open.itemEnd = offset;
    if (type !== 'space') prev = { text: token, end: offset, plain };
  }
  // Collections left open at the end of the text: their items too.
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.interp) continue;
    endItem(f);
    if (f.reported) spans.push({ start: f.start, end: text.length });
  }
  return { findings: findings.sort((a, b) => a.range.start - b.range.start), spans };
}

function finding(start: number, item: string, kind: '[' | '{'): Finding {
  const quoted = JSON.stringify(item);
  const where = kind === '[' ? '[flow list]' : '{flow map}';
  const range = { start, end: start + item.length };
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: `'${item}' must be quoted: in a ${where} a brace ends a plain item, write ${quoted}`,
    range,
    data: { kind: 'quote-item', fix: { range, newText: quoted } },
  };
}

/** Just the findings (see `flowItemProblems`). */
export function unquotedFlowItems(text: string): Finding[] {
  return flowItemProblems(text).findings;
}
