/**
 * A postgres target's `where` as one parameterised condition: each `${…}` becomes a query
 * parameter ($1, $2…) by SQL context, so a value is never parsed as SQL, and a `;` (a second
 * statement) is refused.
 */
import { findTemplateParts, type Reference } from '../interpolate';

export interface WhereQuery {
  /** The condition with `$1`-style placeholders. */
  text: string;
  /** The placeholders' values, in order. */
  values: string[];
  /** Why the condition cannot be used (one line); text and values are then empty. */
  error?: string;
}

const IDENT_CHAR = /[A-Za-z0-9_$]/;

export function whereQuery(
  where: string,
  valueOf: (ref: Reference) => string | undefined,
): WhereQuery {
  const parts = new Map(findTemplateParts(where).map((p) => [p.start, p]));
  const values: string[] = [];
  const out: string[] = [];
  let i = 0;
  const fail = (error: string): WhereQuery => ({ text: '', values: [], error });
  const param = (ref: Reference): string => {
    values.push(valueOf(ref) ?? '');
    return `$${values.length}`;
  };

  while (i < where.length) {
    const part = parts.get(i);
    if (part) {
      out.push(part.ref ? param(part.ref) : part.literal);
      i = part.end;
      continue;
    }
    const c = where[i] as string;
    const next = where[i + 1];
    if (c === ';') return fail('where is one condition: it may not hold ; (a second statement)');
    if (c === '$' && next !== undefined && /[0-9]/.test(next))
      return fail(
        'where may not use $1-style parameters: write ${params.X} and it is passed as one',
      );
    if (c === '$' && (next === '$' || (next !== undefined && /[A-Za-z_]/.test(next)))) {
      // Dollar quoting: copied as it is; a ${…} inside it is refused.
      const tagEnd = where.indexOf('$', i + 1);
      const tag = tagEnd < 0 ? '' : where.slice(i, tagEnd + 1);
      if (tag && /^\$[A-Za-z_0-9]*\$$/.test(tag)) {
        const close = where.indexOf(tag, tagEnd + 1);
        const end = close < 0 ? where.length : close + tag.length;
        if ([...parts.keys()].some((s) => s > i && s < end))
          return fail(
            'a ${…} inside a $$-quoted string cannot be passed as a value: use it outside',
          );
        out.push(where.slice(i, end));
        i = end;
        continue;
      }
    }
    if (c === '-' && next === '-') {
      const eol = where.indexOf('\n', i);
      i = eol < 0 ? where.length : eol; // a comment: dropped, with any ${…} in it
      continue;
    }
    if (c === '/' && next === '*') {
      const close = where.indexOf('*/', i + 2);
      i = close < 0 ? where.length : close + 2;
      out.push(' ');
      continue;
    }
    if (c === '"') {
      // A quoted identifier: a value goes in as identifier text, its quotes doubled.
      let j = i + 1;
      let ident = '"';
      while (j < where.length) {
        const p = parts.get(j);
        if (p) {
          ident += p.ref ? (valueOf(p.ref) ?? '').replace(/"/g, '""') : p.literal;
          j = p.end;
        } else if (where[j] === '"' && where[j + 1] === '"') {
          ident += '""';
          j += 2;
        } else if (where[j] === '"') break;
        else ident += where[j++];
      }
      out.push(`${ident}"`);
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const escaped =
        (where[i - 1] === 'E' || where[i - 1] === 'e') && !IDENT_CHAR.test(where[i - 2] ?? ' ');
      // A string literal: '${x}' is the parameter itself; other text around it is concatenated.
      const pieces: string[] = [];
      let lit = '';
      let j = i + 1;
      while (j < where.length) {
        const p = parts.get(j);
        if (p) {
          if (escaped && p.ref)
            return fail("a ${…} inside an E'…' string cannot be passed as a value");
          if (p.ref) {
            if (lit) pieces.push(`'${lit}'`);
            lit = '';
            pieces.push(param(p.ref));
          } else lit += p.literal.replace(/'/g, "''");
          j = p.end;
        } else if (where[j] === "'" && where[j + 1] === "'") {
          lit += "''";
          j += 2;
        } else if (escaped && where[j] === '\\') {
          lit += where.slice(j, j + 2);
          j += 2;
        } else if (where[j] === "'") break;
        else lit += where[j++];
      }
      i = j + 1;
      const refs = pieces.filter((p) => p.startsWith('$'));
      if (refs.length === 0) out.push(`'${lit}'`);
      else if (pieces.length === 1 && !lit) out.push(pieces[0] as string);
      else {
        if (lit) pieces.push(`'${lit}'`);
        out.push(`(${pieces.map((p) => (p.startsWith('$') ? `${p}::text` : p)).join(' || ')})`);
      }
      continue;
    }
    out.push(c);
    i++;
  }
  return { text: out.join(''), values };
}
