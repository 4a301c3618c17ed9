/** Completion and hover of `${partition…}` and of the `partitions:` section's keys. */
import { type CompletionItem, CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import type { Pipeline } from '../core/model';
import {
  exampleKey,
  latestFinished,
  type Partitions,
  period,
  resolvePartitions,
} from '../core/partitions/partitions';
import { localTime } from './localTime';

const REFS = {
  partition: 'The partition key',
  'partition.start': 'Start of the partition period (included), ISO 8601',
  'partition.end': 'End of the partition period (excluded), ISO 8601',
} as const;
type Ref = keyof typeof REFS;

/** The pipeline's partitions when its section is valid. */
function partitionsOf(p: Pipeline): Partitions | undefined {
  if (!p.partitions) return undefined;
  const r = resolvePartitions(p.partitions);
  return typeof r === 'string' ? undefined : r;
}

/** A key to show in docs: the latest finished one, or the grain's example. */
function sampleKey(p: Pipeline, parts: Partitions | undefined, now: number): string | undefined {
  if (!parts) return undefined;
  if (parts.kind === 'values') return parts.values[0];
  return (
    latestFinished(parts, now) ??
    (p.partitions?.kind === 'time' ? exampleKey(parts.grain) : undefined)
  );
}

/** What `${ref}` stands for in this pipeline, e.g. "`2024-01-31` → `2024-01-31T00:00:00Z`". */
export function partitionRefDoc(p: Pipeline, ref: string, now: number = Date.now()): string {
  if (!(ref in REFS))
    return `\`\${${ref}}\` is not a partition value (use \`partition\`, \`partition.start\` or \`partition.end\`)`;
  const doc = REFS[ref as Ref];
  if (!p.partitions) return `${doc} — this pipeline has no \`partitions:\` section`;
  const parts = partitionsOf(p);
  const key = sampleKey(p, parts, now);
  if (!parts || key === undefined) return doc;
  const lines = [`**\${${ref}}** — ${doc}`, ''];
  if (parts.kind === 'values') {
    lines.push(
      ref === 'partition'
        ? `one of ${parts.values.map((v) => `\`${v}\``).join(', ')}`
        : '`values:` partitions have no period',
    );
    return lines.join('\n');
  }
  const per = period(parts, key);
  if (typeof per === 'string') return doc;
  lines.push(
    `${parts.grain} in ${parts.zone}; for \`${key}\`: ` +
      (ref === 'partition'
        ? `\`${key}\` (period \`${per.start}\` → \`${per.end}\`)`
        : `\`${ref === 'partition.start' ? per.start : per.end}\``),
    '',
    // The values above are what commands get (in the pipeline's zone); the user reads their own.
    ref === 'partition'
      ? `your local time: ${localTime(per.start)} → ${localTime(per.end)}`
      : `your local time: ${localTime(ref === 'partition.start' ? per.start : per.end)}`,
  );
  return lines.join('\n');
}

/** Completion after `${` or `${partition.`: the partition values with what they are now. */
export function partitionCompletions(p: Pipeline, afterDot: boolean): CompletionItem[] {
  const refs = Object.keys(REFS) as Ref[];
  return refs
    .filter((r) => (afterDot ? r !== 'partition' : true))
    .map((r) => ({
      label: afterDot ? r.slice('partition.'.length) : r,
      kind: CompletionItemKind.Variable,
      detail: REFS[r],
      documentation: { kind: MarkupKind.Markdown, value: partitionRefDoc(p, r) },
    }));
}

/** Keys already written beside the cursor's line (same indentation, same block), from the text. */
export function siblingKeys(text: string, offset: number): Set<string> {
  const lines = text.split('\n');
  const at = text.slice(0, offset).split('\n').length - 1;
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0].length ?? 0;
  const keys = new Set<string>();
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0 && i < lines.length; i += step) {
      const line = lines[i] ?? '';
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const ind = /^\s*/.exec(line)?.[0].length ?? 0;
      if (ind < indent) break;
      const m = /^\s*([\w-]+)\s*:/.exec(line);
      if (ind === indent && m?.[1]) keys.add(m[1]);
    }
  }
  return keys;
}
