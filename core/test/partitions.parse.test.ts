/** `partitions:` and `catchup: all` read into the model; which tasks are partitioned; the incremental parse agrees. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncrementalParser } from '../parse/incremental';
import { parsePipeline, type ParseResult } from '../parse/parse';
import { fromSnapshot, type ParseSnapshot, snapshotJson } from '../parse/snapshot';
import { isPartitioned, partitionedTasks } from '../partitions/refs';
import { validate, validateParsed } from '../validate/validate';

const DAILY = `pipeline: daily
partitions:
  daily:
    start: "2024-01-01"
    timezone: Europe/Paris
catchup: all
x-shared: &env
  DAY: \${partition}
tasks:
  extract:
    run: python steps/extract.py --day "\${partition}"
    outputs: ["data/raw/\${partition}.csv"]
  validate:
    run: |
      python steps/validate.py \\
        --from '\${partition.start}' --to '\${ partition.end }'
    inputs: ["data/raw/\${partition}.csv"]
  merged:
    env: *env
    run: ./load.sh
  train:
    # \${partition} in a comment does not count
    needs: [validate]
    run: python steps/train.py "$\${partition}"
`;

test('partitions: section and catchup: all in the model', () => {
  const r = parsePipeline(DAILY);
  assert.deepEqual(
    r.findings.map((f) => f.message),
    [],
  );
  assert.deepEqual(r.pipeline.partitions, {
    kind: 'time',
    grain: 'daily',
    start: '2024-01-01',
    timezone: 'Europe/Paris',
  });
  assert.equal(r.pipeline.catchup, 'all');
  const values = parsePipeline('pipeline: v\npartitions: {values: [eu, us]}\ntasks: {}\n');
  assert.deepEqual(values.pipeline.partitions, { kind: 'values', values: ['eu', 'us'] });
  assert.equal(parsePipeline('pipeline: n\ntasks: {}\n').pipeline.partitions, undefined);
});

test('a task that mentions ${partition…} anywhere is partitioned; comments and $${…} do not count', () => {
  const p = parsePipeline(DAILY).pipeline;
  assert.deepEqual(partitionedTasks(p), ['extract', 'validate', 'merged']);
  assert.equal(isPartitioned(p.taskIndex.get('train')!), false);
  // The exact ranges, relative to the task's key.
  const v = p.taskIndex.get('validate')!;
  assert.deepEqual(
    v.partitionRefs!.map((ref) => [
      ref.field,
      DAILY.slice(v.keyRange.start + ref.start, v.keyRange.start + ref.end),
    ]),
    [
      ['start', '${partition.start}'],
      ['end', '${ partition.end }'],
      ['', '${partition}'],
    ],
  );
  // Merged from an anchor: partitioned, though the text of the task does not show it.
  assert.equal(p.taskIndex.get('merged')!.partitionRefs, undefined);
});

function comparable(r: ParseResult): unknown {
  return JSON.parse(
    JSON.stringify({
      pipeline: { ...r.pipeline, taskIndex: [...r.pipeline.taskIndex.keys()] },
      findings: [...r.findings].sort(
        (a, b) => a.range.start - b.range.start || a.message.localeCompare(b.message),
      ),
    }),
  ) as unknown;
}

test('the incremental parse equals the full parse on partitioned pipelines and their edits', () => {
  const plain = DAILY.replace(/x-shared[\s\S]*?\n(?=tasks:)/, '').replace(
    / {2}merged:\n.*\n.*\n/,
    '',
  );
  const texts = [
    plain,
    plain.replace('"${partition}"', '"${partition}" --also ${partition.end}'),
    plain.replace('daily:', 'values: [a, b]\n  x-daily:'),
    plain.replace('2024-01-01', '2024-02-30'),
    plain.replace(/partitions:[\s\S]*?catchup: all\n/, ''),
  ];
  const parser = new IncrementalParser();
  for (const text of texts) {
    const mine = parser.parse(text);
    assert.deepEqual(comparable(mine), comparable(parsePipeline(text)), text);
  }
  assert.ok(parser.stats.blockParses > 0, 'the block path was taken');
  // And the validation of both is the same.
  const v1 = validateParsed(new IncrementalParser().parse(texts[4]!)).findings;
  assert.deepEqual(
    v1.map((f) => texts[4]!.slice(f.range.start, f.range.end)),
    ['${partition}', '${partition}', '${partition.start}', '${ partition.end }', '${partition}'],
  );
  assert.ok(v1.every((f) => f.code === 'undefined-partition'));
});

test('a cached parse (snapshot) keeps the partitions and the references', () => {
  const parsed = parsePipeline(DAILY);
  const restored = fromSnapshot(JSON.parse(snapshotJson(parsed)) as ParseSnapshot)!;
  assert.deepEqual(restored.pipeline.partitions, parsed.pipeline.partitions);
  assert.deepEqual(partitionedTasks(restored.pipeline), ['extract', 'validate', 'merged']);
  assert.deepEqual(validateParsed(restored).findings, []);
});

test('validation: no partitions section, unknown field, values with ${partition.start}', () => {
  const codes = (text: string): string[] =>
    validate(text).findings.map((f) => `${f.code}: ${f.message}`);
  assert.deepEqual(codes('pipeline: a\ntasks:\n  t:\n    run: echo ${partition}\n'), [
    'undefined-partition: ${partition} in a pipeline without partitions: declare them, e.g. partitions: {daily: {start: "2024-01-01"}}',
  ]);
  // A section that is present but broken reports itself, not every use.
  assert.deepEqual(
    codes('pipeline: a\npartitions: daily\ntasks:\n  t:\n    run: echo ${partition}\n').map(
      (c) => c.split(':')[0],
    ),
    ['invalid-partitions'],
  );
  assert.deepEqual(
    codes(
      'pipeline: a\npartitions: {values: [eu]}\ntasks:\n  t:\n    run: echo ${partition.end}\n',
    ).map((c) => c.split(':')[0]),
    ['invalid-partitions'],
  );
  assert.deepEqual(codes('pipeline: a\ncatchup: sometimes\ntasks: {}\n'), [
    'schema: catchup must be one of: none, latest, all',
  ]);
});
