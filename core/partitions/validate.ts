/** `undefined-partition` and `invalid-partitions` for the `${partition…}` a task mentions, on the exact `${…}`. */
import type { Finding, Pipeline, Span } from '../model';
import { hasPlaceholder } from './files';
import { PARTITION_FIELDS } from './refs';

const EXAMPLE = 'partitions: {daily: {start: "2024-01-01"}}';

/** `parseFindings`: a section that is there but unreadable was reported by the parser already. */
export function checkPartitionRefs(p: Pipeline, parseFindings: readonly Finding[] = []): Finding[] {
  const out: Finding[] = [];
  // Findings survive the runner's parse cache, `fields` does not.
  const declared =
    p.partitions !== undefined ||
    p.fields.partitions !== undefined ||
    parseFindings.some((f) => f.code === 'invalid-partitions');
  for (const t of p.tasks) {
    for (const ref of t.partitionRefs ?? []) {
      const range: Span = { start: t.keyRange.start + ref.start, end: t.keyRange.start + ref.end };
      const written = ref.field === '' ? '${partition}' : `\${partition.${ref.field}}`;
      const push = (code: Finding['code'], message: string): void =>
        void out.push({ code, severity: 'error', message, range });
      if (!(PARTITION_FIELDS as readonly string[]).includes(ref.field))
        push(
          'undefined-partition',
          `unknown reference '${written}': use \${partition}, \${partition.start} or \${partition.end}`,
        );
      else if (!declared)
        push(
          'undefined-partition',
          `${written} in a pipeline without partitions: declare them, e.g. ${EXAMPLE}`,
        );
      else if (p.partitions?.kind === 'values' && ref.field !== '')
        push(
          'invalid-partitions',
          `${written} has no value: partitions listed as values: are not periods (use \${partition})`,
        );
    }
  }
  if (!declared)
    for (const trigger of p.triggers)
      if (hasPlaceholder(trigger.files))
        out.push({
          code: 'undefined-partition',
          severity: 'error',
          message: `{partition} in on.files names a partition, but the pipeline has no partitions: section`,
          range: trigger.filesRange ?? trigger.range,
        });
  return out;
}
