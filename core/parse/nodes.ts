/** Small helpers over the `yaml` package's AST: spans, alias resolution, typed reads. */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Finding, FindingCode, Span } from '../model';
import { closest } from '../text/similar';

export type AnyNode = Node | null | undefined;

/** Collects findings while the parser walks the document. */
export class Reader {
  readonly findings: Finding[] = [];
  constructor(
    readonly doc: Document.Parsed,
    readonly text: string,
  ) {}

  report(code: FindingCode, severity: Finding['severity'], message: string, range: Span): void {
    this.findings.push({ code, severity, message, range });
  }

  schemaError(node: AnyNode, message: string, fallback?: Span): void {
    this.report('schema', 'error', message, this.visibleSpan(node, fallback));
  }

  /**
   * The node's span; for an absent value (`run:` with nothing after it, a bare `- `), which
   * has no text, the key or dash before it, so the finding is not an invisible empty range.
   */
  visibleSpan(node: AnyNode, fallback?: Span): Span {
    const span = spanOf(node, fallback);
    if (span.end > span.start) return span;
    const at = span.start;
    const lineStart = this.text.lastIndexOf('\n', at - 1) + 1;
    const before = this.text.slice(lineStart, at);
    const m = /([^\s:{}[\],#][^:{}[\],#]*?)\s*:\s*$/.exec(before) ?? /(-)\s*$/.exec(before);
    if (!m?.[1]) return span;
    const start = lineStart + m.index;
    return { start, end: start + m[1].length };
  }

  /** Follows aliases (bounded, so alias loops cannot hang the parser). */
  deref(node: AnyNode): AnyNode {
    let n = node;
    for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(this.doc) as AnyNode;
    return isAlias(n) ? undefined : n;
  }

  /**
   * The pairs of a mapping, with `<<: *anchor` merges expanded; unknown keys are
   * reported as warnings with a "did you mean" from `known`.
   */
  entries(node: AnyNode, known: Record<string, unknown> | undefined, where: string): Pair[] {
    const map = this.deref(node);
    if (!isMap(map)) {
      const empty = map == null || (isScalar(map) && map.value === null);
      if (!empty && known) this.schemaError(node, `${where} must be a mapping`);
      return [];
    }
    const own: Pair[] = [];
    const merged: Pair[] = [];
    const seen = new Set<unknown>([map]);
    const visit = (m: typeof map, into: Pair[], depth: number): void => {
      for (const pair of m.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as AnyNode;
        if (isScalar(key) && typeof key.value === 'symbol') {
          if (depth > 8) continue;
          const sources = this.deref(pair.value as AnyNode);
          const list = isSeq(sources)
            ? sources.items.map((i) => this.deref(i as AnyNode))
            : [sources];
          for (const s of list) {
            if (!isMap(s) || seen.has(s)) continue;
            seen.add(s);
            visit(s, merged, depth + 1);
          }
          continue;
        }
        into.push(pair);
      }
    };
    visit(map, own, 0);
    this.checkUnique(own);
    // Keys written in the map override keys merged in with `<<:` (the first merge wins among merges).
    const present = new Set(own.map(keyName));
    const out = [...own];
    for (const pair of merged) {
      const name = keyName(pair);
      if (present.has(name)) continue;
      present.add(name);
      out.push(pair);
    }
    if (known) {
      for (const pair of out) {
        const name = keyName(pair);
        // `x-` keys are extension keys (as in Compose files), e.g. a home for YAML anchors.
        if (name === undefined || Object.hasOwn(known, name) || name.startsWith('x-')) continue;
        const [suggestion] = closest(name, Object.keys(known), 1);
        const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
        this.findings.push({
          code: 'schema',
          severity: 'warning',
          message: `unknown key '${name}' in ${where}${hint}`,
          range: spanOf(pair.key as AnyNode),
          data: { kind: 'unknown-key', key: name, ...(suggestion ? { suggestion } : {}) },
        });
      }
    }
    return out;
  }

  /**
   * Duplicate keys, checked here in linear time: the yaml package's own `uniqueKeys`
   * check compares every pair and dominated parsing of large pipelines.
   */
  private checkUnique(pairs: Pair[]): void {
    if (pairs.length < 2) return;
    const seen = new Set<string>();
    for (const pair of pairs) {
      const name = keyName(pair);
      if (name === undefined) continue;
      if (seen.has(name))
        this.report(
          'yaml-syntax',
          'error',
          `duplicate key '${name}': map keys must be unique`,
          spanOf(pair.key as AnyNode),
        );
      seen.add(name);
    }
  }

  /** A scalar read as text: strings as they are, numbers and booleans in their source form. */
  string(node: AnyNode, what: string): string | undefined {
    const n = this.deref(node);
    if (isScalar(n)) {
      if (typeof n.value === 'string') return n.value;
      if (typeof n.value === 'number' || typeof n.value === 'boolean') {
        return n.source ?? String(n.value);
      }
      if (n.value === null) {
        this.schemaError(node, `${what} is empty`);
        return undefined;
      }
    }
    this.schemaError(node, `${what} must be a string`);
    return undefined;
  }

  /** A string or a list of strings, each with its range. */
  stringList(node: AnyNode, what: string): { value: string; range: Span }[] {
    const n = this.deref(node);
    if (isScalar(n) && n.value === null) return [];
    if (isScalar(n)) {
      const v = this.string(n, what);
      return v === undefined ? [] : [{ value: v, range: spanOf(n) }];
    }
    if (!isSeq(n)) {
      this.schemaError(node, `${what} must be a list of strings`);
      return [];
    }
    const out: { value: string; range: Span }[] = [];
    for (const item of n.items) {
      const v = this.string(item as AnyNode, `each item of ${what}`);
      if (v !== undefined) out.push({ value: v, range: spanOf(item as AnyNode) });
    }
    return out;
  }

  integer(node: AnyNode, what: string, min: number): number | undefined {
    const n = this.deref(node);
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= min) {
      return n.value;
    }
    this.schemaError(node, `${what} must be a whole number ≥ ${min}`);
    return undefined;
  }

  /** A mapping of names to scalar values (params, env). */
  stringMap(
    node: AnyNode,
    what: string,
  ): { values: Record<string, string>; keys: Record<string, { key: Span; value: Span }> } {
    const values: Record<string, string> = {};
    const keys: Record<string, { key: Span; value: Span }> = {};
    const n = this.deref(node);
    if (isScalar(n) && n.value === null) return { values, keys };
    if (!isMap(n)) {
      this.schemaError(node, `${what} must be a mapping of names to values`);
      return { values, keys };
    }
    for (const pair of this.entries(n, undefined, what)) {
      const name = keyName(pair);
      if (name === undefined) continue;
      const key = spanOf(pair.key as AnyNode);
      // Declared even when its value is bad: a reference to it is then not "undefined" too.
      keys[name] = { key, value: spanOf(pair.value as AnyNode, { start: key.end, end: key.end }) };
      const value = this.deref(pair.value as AnyNode);
      if (value == null || (isScalar(value) && value.value === null)) {
        // No value node to mark (`day:`): the key says which.
        this.report(
          'schema',
          'error',
          `${what}.${name} has no value: write one, or "" for an empty string`,
          key,
        );
        continue;
      }
      const v = this.string(pair.value as AnyNode, `${what}.${name}`);
      if (v !== undefined) values[name] = v;
    }
    return { values, keys };
  }

  oneOf<T extends string>(node: AnyNode, what: string, allowed: readonly T[]): T | undefined {
    const n = this.deref(node);
    const v = isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
    if (v !== undefined && (allowed as readonly string[]).includes(v)) return v as T;
    const near =
      v === undefined
        ? undefined
        : (allowed.find((a) => a.toLowerCase() === v.toLowerCase()) ?? closest(v, allowed, 1)[0]);
    const hint = near ? ` (did you mean '${near}'?)` : '';
    this.findings.push({
      code: 'schema',
      severity: 'error',
      message: `${what} must be one of: ${allowed.join(', ')}${hint}`,
      range: this.visibleSpan(node),
      ...(near ? { data: { kind: 'one-of', suggestion: near } } : {}),
    });
    return undefined;
  }
}

export function keyName(pair: Pair): string | undefined {
  const k = pair.key as AnyNode;
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number')) {
    return String(k.value);
  }
  return undefined;
}

/**
 * Where a node's last value ends: a block mapping or list ends at its last item's value, not
 * at the comments and blank lines that the YAML parser counts into it (they belong to
 * whatever follows). Trailing white space of a block scalar is left out too.
 */
export function lastValueEnd(node: AnyNode, text: string): number | undefined {
  let n = node;
  let floor = 0;
  // A loop, not recursion: a hostile document may nest thousands of levels.
  while (n && (isMap(n) || isSeq(n)) && !n.flow && n.items.length > 0) {
    const item = n.items[n.items.length - 1];
    if (isPair(item)) {
      floor = Math.max(floor, (item.key as AnyNode)?.range?.[1] ?? 0);
      n = item.value as AnyNode;
    } else n = item as AnyNode;
  }
  const r = n?.range;
  if (!r) return floor || undefined;
  let e = r[1];
  while (e > r[0] && /\s/.test(text[e - 1] ?? '')) e--;
  return Math.max(e, floor);
}

/** The node's text without trailing comments; a zero-width span at `fallback` when absent. */
export function spanOf(node: AnyNode, fallback?: Span): Span {
  const r = node?.range;
  if (r) return { start: r[0], end: Math.max(r[0], r[1]) };
  return fallback ?? { start: 0, end: 0 };
}
