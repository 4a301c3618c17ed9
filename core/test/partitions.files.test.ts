/** `on: files` patterns with `{partition}`: the watched glob and the partition a file names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionOfFile, watchGlob } from '../partitions/files';
import { type Partitions, resolvePartitions } from '../partitions/partitions';

const NOW = Date.parse('2024-03-01T00:00:00Z');
const daily = resolvePartitions({
  kind: 'time',
  grain: 'daily',
  start: '2024-01-01',
  timezone: 'UTC',
}) as Partitions;

test('the glob to watch', () => {
  assert.equal(watchGlob('incoming/{partition}.csv'), 'incoming/*.csv');
  assert.equal(watchGlob('in/{partition}/{partition}.csv'), 'in/*/*.csv');
});

test('the part of the file name at {partition} names the partition', () => {
  assert.deepEqual(
    partitionOfFile('incoming/{partition}.csv', 'incoming/2024-01-31.csv', daily, NOW),
    {
      key: '2024-01-31',
    },
  );
  assert.deepEqual(
    partitionOfFile(
      'incoming/weather-{partition}-*.csv',
      'incoming/weather-2024-02-29-v2.csv',
      daily,
      NOW,
    ),
    {
      key: '2024-02-29',
    },
  );
  assert.deepEqual(
    partitionOfFile('in/{partition}/{partition}.csv', 'in/2024-01-02/2024-01-02.csv', daily, NOW),
    {
      key: '2024-01-02',
    },
  );
});

test('a file that names no partition, or a bad one, is one line', () => {
  const reason = (file: string, p = daily): string => {
    const r = partitionOfFile('incoming/{partition}.csv', file, p, NOW);
    assert.ok('reason' in r, file);
    return r.reason;
  };
  assert.equal(
    reason('incoming/notes.txt'),
    "'incoming/notes.txt' does not name a partition as incoming/{partition}.csv does",
  );
  assert.match(reason('incoming/2024-01-31T13.csv'), /does not name a partition/);
  assert.match(reason('other/2024-01-31.csv'), /does not name a partition/);
  assert.equal(
    reason('incoming/2023-12-31.csv'),
    "'incoming/2023-12-31.csv': partition '2023-12-31' is before the start 2024-01-01",
  );
  assert.match(reason('incoming/2024-03-01.csv'), /has not finished yet/);
  assert.match(reason('incoming/2024-02-30.csv'), /2024-02 has 29 days/);
});

test('values and other grains', () => {
  const regions = resolvePartitions({
    kind: 'values',
    values: ['eu', 'eu-west', 'us'],
  }) as Partitions;
  assert.deepEqual(partitionOfFile('drops/{partition}.json', 'drops/eu-west.json', regions, NOW), {
    key: 'eu-west',
  });
  assert.deepEqual(partitionOfFile('drops/{partition}.json', 'drops/eu.json', regions, NOW), {
    key: 'eu',
  });
  assert.ok('reason' in partitionOfFile('drops/{partition}.json', 'drops/apac.json', regions, NOW));
  const monthly = resolvePartitions({
    kind: 'time',
    grain: 'monthly',
    start: '2023-01',
    timezone: 'UTC',
  }) as Partitions;
  assert.deepEqual(partitionOfFile('m/{partition}.csv', 'm/2024-01.csv', monthly, NOW), {
    key: '2024-01',
  });
  assert.ok('reason' in partitionOfFile('m/{partition}.csv', 'm/2024-01-31.csv', monthly, NOW));
  const weekly = resolvePartitions({
    kind: 'time',
    grain: 'weekly',
    start: '2024-01-01',
    timezone: 'UTC',
  }) as Partitions;
  assert.deepEqual(partitionOfFile('w/{partition}.csv', 'w/2024-W05.csv', weekly, NOW), {
    key: '2024-W05',
  });
});
