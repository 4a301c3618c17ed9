/** Expanding a partitioned pipeline into task instances and their edges, with the values of `${partition…}`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePipeline } from '../parse/parse';
import { expandPartitions, splitInstanceId } from '../partitions/expand';
import { type Partitions, resolvePartitions } from '../partitions/partitions';

const TEXT = `pipeline: weather
partitions:
  daily:
    start: "2024-01-01"
    timezone: Europe/Paris
tasks:
  setup:
    run: ./make-venv.sh
  extract:
    needs: [setup]
    run: python extract.py --day "\${partition}"
    outputs: ["data/raw/\${partition}.csv"]
  validate:
    run: python validate.py data/raw/\${partition}.csv
    inputs: ["data/raw/\${partition}.csv"]
    outputs: ["data/valid/\${partition}.csv"]
  train:
    needs: [validate]
    inputs: [data/valid/]
    run: python train.py data/valid/ models/model.json
    outputs: [models/model.json]
  deploy:
    needs: [train]
    run: ./deploy.sh models/model.json
`;

function setup(keys: string[]) {
  const p = parsePipeline(TEXT).pipeline;
  const parts = resolvePartitions(p.partitions!) as Partitions;
  const x = expandPartitions(p, parts, keys);
  const ids = x.instances.map((i) => i.id);
  const ups = (id: string): string[] =>
    x.upstream[x.index.get(id)!]!.map((i) => x.instances[i]!.id).sort();
  return { x, ids, ups };
}

test('instances: plain tasks once, partitioned tasks per key, oldest key first', () => {
  const { ids } = setup(['2024-03-30', '2024-03-31']);
  assert.deepEqual(ids, [
    'setup',
    'train',
    'deploy',
    'extract@2024-03-30',
    'validate@2024-03-30',
    'extract@2024-03-31',
    'validate@2024-03-31',
  ]);
});

test('edges: per key between partitioned tasks, fan-out from and fan-in to unpartitioned ones', () => {
  const { x, ups } = setup(['2024-03-30', '2024-03-31']);
  // Partitioned downstream of unpartitioned: that one task.
  assert.deepEqual(ups('extract@2024-03-31'), ['setup']);
  // Partitioned downstream of partitioned (a data edge through the templated path): the same partition only.
  assert.deepEqual(ups('validate@2024-03-31'), ['extract@2024-03-31']);
  // Unpartitioned downstream of partitioned: every partition of the run.
  assert.deepEqual(ups('train'), ['validate@2024-03-30', 'validate@2024-03-31']);
  assert.deepEqual(ups('deploy'), ['train']);
  assert.deepEqual(ups('setup'), []);
  assert.equal(x.edgeCount, 2 + 2 + 2 + 1);
  const down = x.downstream[x.index.get('setup')!]!.map((i) => x.instances[i]!.id);
  assert.deepEqual(down, ['extract@2024-03-30', 'extract@2024-03-31']);
});

test('values: the key and its [start, end) in the zone, shared by the instances of a key', () => {
  const { x } = setup(['2024-03-31']);
  const e = x.instances[x.index.get('extract@2024-03-31')!]!;
  assert.deepEqual(e.values, {
    partition: '2024-03-31',
    'partition.start': '2024-03-31T00:00:00+01:00',
    'partition.end': '2024-04-01T00:00:00+02:00',
  });
  assert.equal(e.partition, '2024-03-31');
  assert.equal(x.instances[x.index.get('validate@2024-03-31')!]!.values, e.values);
  assert.equal(x.instances[x.index.get('train')!]!.values, undefined);
  assert.deepEqual(splitInstanceId('extract@2024-03-31'), {
    task: 'extract',
    partition: '2024-03-31',
  });
  assert.deepEqual(splitInstanceId('train'), { task: 'train' });
});

test('no keys: only the unpartitioned tasks, with their own edges', () => {
  const { ids, ups } = setup([]);
  assert.deepEqual(ids, ['setup', 'train', 'deploy']);
  assert.deepEqual(ups('train'), []);
  assert.deepEqual(ups('deploy'), ['train']);
});

test('values partitions: the key only', () => {
  const p = parsePipeline(
    'pipeline: r\npartitions: {values: [eu, us]}\ntasks:\n  a:\n    run: echo ${partition}\n  b:\n    needs: [a]\n    run: echo all\n',
  ).pipeline;
  const x = expandPartitions(p, resolvePartitions(p.partitions!) as Partitions, ['eu', 'us']);
  assert.deepEqual(
    x.instances.map((i) => [i.id, i.values]),
    [
      ['b', undefined],
      ['a@eu', { partition: 'eu' }],
      ['a@us', { partition: 'us' }],
    ],
  );
  assert.deepEqual(
    x.upstream[0]!.map((i) => x.instances[i]!.id),
    ['a@eu', 'a@us'],
  );
});
