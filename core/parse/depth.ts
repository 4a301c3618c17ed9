/**
 * Nesting far beyond what a pipeline needs is refused before the yaml package recurses into it:
 * its reader overflowed the stack at a depth that depends on the process, and a second parse
 * after such an overflow could abort V8 itself (`validate` died with "RegExpCompiler Allocation
 * failed"). Read iteratively: yaml's Lexer for flow collections, indentation for block ones.
 */
import { CST, Lexer } from 'yaml';

/** Levels of nesting allowed; a pipeline uses fewer than ten. */
export const MAX_DEPTH = 200;

/** Offset of the node that opens nesting deeper than MAX_DEPTH, or undefined. */
export function tooDeep(text: string): number | undefined {
  return flowTooDeep(text) ?? blockTooDeep(text);
}

function flowTooDeep(text: string): number | undefined {
  // Brackets counted regardless of context (in strings and commands they balance, `${…}`
  // included): only text whose count runs past the limit is lexed for the exact answer.
  let naive = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++naive > most) most = naive;
    } else if ((c === 93 || c === 125) && naive > 0) naive--;
  }
  if (most <= MAX_DEPTH) return undefined;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_DEPTH) return offset;
    } else if (token === ']' || token === '}') depth--;
    // Markers the lexer inserts are not in the text.
    if (token !== CST.DOCUMENT && token !== CST.SCALAR && token !== CST.FLOW_END)
      offset += token.length;
  }
  return undefined;
}

function blockTooDeep(text: string): number | undefined {
  const indents: number[] = [];
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    let i = at;
    while (i < end && (text[i] === ' ' || text[i] === '-')) i++;
    if (i < end && text[i] !== '#' && text[i] !== '\r') {
      const indent = i - at;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > MAX_DEPTH) return at;
    }
    if (nl === -1) break;
    at = nl + 1;
  }
  return undefined;
}
