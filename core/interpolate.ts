/** `${params.X}`-style interpolation. Anything else that looks like `${...}` belongs to the shell. */

/** `partition` only in commands (findTemplateParts with partitions): paths keep `${partition}` as written. */
export type RefNamespace = 'params' | 'env' | 'task' | 'run' | 'trigger' | 'partition';

export interface Reference {
  ns: RefNamespace;
  name: string;
  /** Offsets of the whole `${...}` inside the string. */
  start: number;
  end: number;
}

const REF = /\$?\$\{\s*(params|env|task|run|trigger)\.([A-Za-z0-9_.-]*)\s*\}/g;
/** The above plus `${partition}`, `${partition.start}`, `${partition.end}`. */
const REF_WITH_PARTITION =
  /\$?\$\{\s*(?:(params|env|task|run|trigger)\.([A-Za-z0-9_.-]*)|(partition)(?:\.([A-Za-z0-9_.-]*))?)\s*\}/g;

/** Every interpolation in `text`; `$${...}` is an escaped literal and is skipped. */
export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  if (!text.includes('${')) return out;
  for (const m of text.matchAll(REF)) {
    if (m[0].startsWith('$$')) continue;
    out.push({
      ns: m[1] as RefNamespace,
      name: m[2] ?? '',
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}

/** A `${...}` reference, or an escaped `$${...}` that stands for the literal text `${...}`. */
export type TemplatePart =
  | { start: number; end: number; ref: Reference; literal?: undefined }
  | { start: number; end: number; ref?: undefined; literal: string };

/** References and escapes in order of position (what a command rewriter needs). */
export function findTemplateParts(text: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  if (!text.includes('${')) return out;
  for (const m of text.matchAll(REF_WITH_PARTITION)) {
    const start = m.index;
    const end = start + m[0].length;
    const ns = (m[1] ?? m[3]) as RefNamespace;
    const name = (m[1] ? m[2] : m[4]) ?? '';
    if (m[0].startsWith('$$')) out.push({ start, end, literal: m[0].slice(1) });
    else out.push({ start, end, ref: { ns, name, start, end } });
  }
  return out;
}

/** How a reference is written, without `${}`: `params.day`, `partition`, `partition.start`. */
export function refLabel(ref: Pick<Reference, 'ns' | 'name'>): string {
  return ref.ns === 'partition' && ref.name === '' ? 'partition' : `${ref.ns}.${ref.name}`;
}

/** The value of one reference in a context, or undefined when it has none. */
export function lookupReference(ref: Reference, ctx: InterpolationContext): string | undefined {
  return lookup(ref, ctx);
}

export interface InterpolationContext {
  params: Record<string, string>;
  env?: Record<string, string | undefined>;
  task?: string;
  runId?: string;
  triggerFile?: string;
  /** `partition`, `partition.start`, `partition.end` of a partitioned task instance. */
  partition?: Readonly<Record<string, string>>;
}

export interface Interpolated {
  value: string;
  /** References that had no value, written as `ns.name`; they are left as written. */
  missing: string[];
}

function lookup(ref: Reference, ctx: InterpolationContext): string | undefined {
  switch (ref.ns) {
    case 'params':
      return Object.hasOwn(ctx.params, ref.name) ? ctx.params[ref.name] : undefined;
    case 'env': {
      // Only strings: `${env.constructor}` must not find Object's (an env may be layered by prototype).
      const v = ctx.env?.[ref.name];
      return typeof v === 'string' ? v : undefined;
    }
    case 'task':
      return ref.name === 'name' ? ctx.task : undefined;
    case 'run':
      return ref.name === 'id' ? ctx.runId : undefined;
    case 'trigger':
      return ref.name === 'file' ? ctx.triggerFile : undefined;
    case 'partition':
      return ctx.partition?.[refLabel(ref)];
  }
}

export function interpolate(text: string, ctx: InterpolationContext): Interpolated {
  if (!text.includes('${')) return { value: text, missing: [] };
  const missing: string[] = [];
  const value = text.replace(REF, (whole: string, ns: string, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    const found = lookup({ ns: ns as RefNamespace, name, start: 0, end: 0 }, ctx);
    if (found === undefined) {
      missing.push(`${ns}.${name}`);
      return whole;
    }
    return found;
  });
  return { value, missing };
}
