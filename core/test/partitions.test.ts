/** Partition keys, periods across DST, ISO weeks, leap years, month ends, ranges and key checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartitionsSpec } from '../model';
import {
  allKeys,
  checkKey,
  keyAt,
  keysBetween,
  latestFinished,
  type Partitions,
  partitionValues,
  period,
  resolvePartitions,
  selectKeys,
  specProblems,
  type TimePartitions,
} from '../partitions/partitions';
import { isoWeek, parseKey, weeksInYear } from '../partitions/keys';
import { canonicalZone } from '../partitions/zone';

function time(spec: Omit<Extract<PartitionsSpec, { kind: 'time' }>, 'kind'>): TimePartitions {
  const p = resolvePartitions({ kind: 'time', ...spec });
  assert.equal(typeof p, 'object', String(p));
  return p as TimePartitions;
}

const at = (iso: string): number => Date.parse(iso);
/** An instant after every period these tests name has finished. */
const LATER = Date.parse('2100-01-01T00:00:00Z');
const hours = (p: { start: string; end: string }): number =>
  (Date.parse(p.end) - Date.parse(p.start)) / 3_600_000;

test('daily in UTC: keys, [start, end) and the latest finished at a schedule fire', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', timezone: 'UTC' });
  assert.deepEqual(period(p, '2024-01-31'), {
    start: '2024-01-31T00:00:00+00:00',
    end: '2024-02-01T00:00:00+00:00',
  });
  // A fire at 00:00 on 2024-02-02 runs 2024-02-01 (the contract's example).
  assert.equal(latestFinished(p, at('2024-02-02T00:00:00Z')), '2024-02-01');
  assert.equal(latestFinished(p, at('2024-02-01T23:59:59.999Z')), '2024-01-31');
  assert.equal(latestFinished(p, at('2024-01-01T12:00:00Z')), undefined, 'nothing finished yet');
  assert.deepEqual(allKeys(p, at('2024-01-04T08:00:00Z')), [
    '2024-01-01',
    '2024-01-02',
    '2024-01-03',
  ]);
  assert.equal(keyAt(p, at('2024-01-31T23:59:59Z')), '2024-01-31');
});

test('daily across DST in Europe/Paris: 23- and 25-hour days, offsets in the ISO text', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', timezone: 'Europe/Paris' });
  const spring = period(p, '2024-03-31') as { start: string; end: string };
  assert.deepEqual(spring, {
    start: '2024-03-31T00:00:00+01:00',
    end: '2024-04-01T00:00:00+02:00',
  });
  assert.equal(hours(spring), 23);
  const autumn = period(p, '2024-10-27') as { start: string; end: string };
  assert.deepEqual(autumn, {
    start: '2024-10-27T00:00:00+02:00',
    end: '2024-10-28T00:00:00+01:00',
  });
  assert.equal(hours(autumn), 25);
  // 23:30 UTC on 30 March is already 31 March in Paris.
  assert.equal(keyAt(p, at('2024-03-30T23:30:00Z')), '2024-03-31');
  // A fire at local midnight (22:00 UTC in summer) runs the day that just ended.
  assert.equal(latestFinished(p, at('2024-07-14T22:00:00Z')), '2024-07-14');
  assert.equal(latestFinished(p, at('2024-07-14T21:59:59Z')), '2024-07-13');
});

test('hourly across DST in America/New_York: the skipped hour has no key, the repeated hour lasts two', () => {
  const p = time({ grain: 'hourly', start: '2024-03-10', timezone: 'America/New_York' });
  assert.deepEqual(keysBetween(p, '2024-03-10T00', '2024-03-10T04', at('2025-01-01T00:00:00Z')), [
    '2024-03-10T00',
    '2024-03-10T01',
    '2024-03-10T03',
    '2024-03-10T04',
  ]);
  assert.deepEqual(period(p, '2024-03-10T01'), {
    start: '2024-03-10T01:00:00-05:00',
    end: '2024-03-10T03:00:00-04:00',
  });
  assert.match(String(period(p, '2024-03-10T02')), /does not exist in America\/New_York/);
  assert.match(String(checkKey(p, '2024-03-10T02', at('2025-01-01T00:00:00Z'))), /skip/);
  const repeated = period(p, '2024-11-03T01') as { start: string; end: string };
  assert.deepEqual(repeated, {
    start: '2024-11-03T01:00:00-04:00',
    end: '2024-11-03T02:00:00-05:00',
  });
  assert.equal(hours(repeated), 2);
  // Both 01:30 EDT and 01:30 EST belong to the one key.
  assert.equal(keyAt(p, at('2024-11-03T05:30:00Z')), '2024-11-03T01');
  assert.equal(keyAt(p, at('2024-11-03T06:30:00Z')), '2024-11-03T01');
  // Just after the spring jump (03:00 EDT), the latest finished hour is 01, not the missing 02.
  assert.equal(latestFinished(p, at('2024-03-10T07:00:00Z')), '2024-03-10T01');
  // A whole DST day has 23 / 25 hourly keys.
  const day = (d: string): string[] =>
    keysBetween(p, `${d}T00`, `${d}T23`, at('2025-01-01T00:00:00Z')) as string[];
  assert.equal(day('2024-03-10').length, 23);
  assert.equal(day('2024-11-03').length, 24); // 25 hours, but the repeated hour is one key
  const nov3 = day('2024-11-03').map((k) => hours(period(p, k) as { start: string; end: string }));
  assert.equal(
    nov3.reduce((a, b) => a + b),
    25,
  );
});

test('daily across DST in America/New_York', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', timezone: 'America/New_York' });
  assert.deepEqual(period(p, '2024-03-10'), {
    start: '2024-03-10T00:00:00-05:00',
    end: '2024-03-11T00:00:00-04:00',
  });
  assert.equal(hours(period(p, '2024-11-03') as { start: string; end: string }), 25);
});

test('a day whose midnight is skipped starts at the jump (America/Sao_Paulo, 2018-11-04)', () => {
  const p = time({ grain: 'daily', start: '2018-01-01', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(period(p, '2018-11-04'), {
    start: '2018-11-04T01:00:00-02:00',
    end: '2018-11-05T00:00:00-02:00',
  });
  assert.deepEqual(period(p, '2018-11-03'), {
    start: '2018-11-03T00:00:00-03:00',
    end: '2018-11-04T01:00:00-02:00',
  });
});

test('weekly: ISO weeks, week 53, weeks across the new year', () => {
  assert.equal(weeksInYear(2020), 53);
  assert.equal(weeksInYear(2026), 53);
  assert.equal(weeksInYear(2024), 52);
  assert.deepEqual(isoWeek(2021, 1, 3), { year: 2020, week: 53 });
  assert.deepEqual(isoWeek(2024, 12, 30), { year: 2025, week: 1 });
  assert.deepEqual(isoWeek(2024, 1, 31), { year: 2024, week: 5 });
  const p = time({ grain: 'weekly', start: '2020-12-15', end: '2021-01-10', timezone: 'UTC' });
  assert.deepEqual(allKeys(p, LATER), ['2020-W51', '2020-W52', '2020-W53', '2021-W01']);
  assert.deepEqual(period(p, '2020-W53'), {
    start: '2020-12-28T00:00:00+00:00',
    end: '2021-01-04T00:00:00+00:00',
  });
  assert.match(String(parseKey('weekly', '2024-W53')), /2024 has ISO weeks 01 to 52/);
  assert.match(String(parseKey('weekly', '2024-W00')), /ISO weeks 01 to 52/);
  // The week of 2024-12-30 belongs to 2025.
  const q = time({ grain: 'weekly', start: '2024-01-01', timezone: 'UTC' });
  assert.equal(keyAt(q, at('2024-12-31T12:00:00Z')), '2025-W01');
  assert.equal(latestFinished(q, at('2024-02-05T00:00:00Z')), '2024-W05');
});

test('monthly: month ends, leap years, DST inside the month', () => {
  const p = time({ grain: 'monthly', start: '2023-11', timezone: 'Europe/Paris' });
  assert.deepEqual(period(p, '2024-02'), {
    start: '2024-02-01T00:00:00+01:00',
    end: '2024-03-01T00:00:00+01:00',
  });
  assert.equal(hours(period(p, '2024-02') as { start: string; end: string }), 29 * 24);
  assert.equal(hours(period(p, '2023-02') as { start: string; end: string }), 28 * 24);
  assert.deepEqual(period(p, '2024-03'), {
    start: '2024-03-01T00:00:00+01:00',
    end: '2024-04-01T00:00:00+02:00',
  });
  assert.deepEqual(period(p, '2024-12'), {
    start: '2024-12-01T00:00:00+01:00',
    end: '2025-01-01T00:00:00+01:00',
  });
  assert.deepEqual(keysBetween(p, '2023-11', '2024-02', at('2025-01-01T00:00:00Z')), [
    '2023-11',
    '2023-12',
    '2024-01',
    '2024-02',
  ]);
  assert.equal(latestFinished(p, at('2024-03-01T00:00:00+01:00')), '2024-02');
});

test('leap days and month ends as daily keys', () => {
  assert.equal(typeof parseKey('daily', '2024-02-29'), 'object');
  assert.match(String(parseKey('daily', '2023-02-29')), /2023-02 has 28 days/);
  assert.match(String(parseKey('daily', '2100-02-29')), /2100-02 has 28 days/);
  assert.equal(typeof parseKey('daily', '2000-02-29'), 'object');
  assert.match(String(parseKey('daily', '2024-04-31')), /30 days/);
  assert.match(String(parseKey('daily', '2024-13-01')), /no month 13/);
  assert.match(
    String(parseKey('daily', '2024-1-5')),
    /not a daily partition key \(like 2024-01-31\)/,
  );
  const p = time({ grain: 'daily', start: '2024-02-27', end: '2024-03-02', timezone: 'UTC' });
  assert.deepEqual(allKeys(p, LATER), [
    '2024-02-27',
    '2024-02-28',
    '2024-02-29',
    '2024-03-01',
    '2024-03-02',
  ]);
  const y = time({ grain: 'daily', start: '2023-12-30', end: '2024-01-02', timezone: 'UTC' });
  assert.deepEqual(allKeys(y, LATER), ['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02']);
});

test('keys outside start..end are rejected with one line; ranges include both ends', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', end: '2024-12-31', timezone: 'UTC' });
  const now = at('2030-01-01T00:00:00Z');
  assert.equal(checkKey(p, '2024-06-01', now), undefined);
  assert.equal(
    checkKey(p, '2023-12-31', now),
    "partition '2023-12-31' is before the start 2024-01-01",
  );
  assert.equal(
    checkKey(p, '2025-01-01', now),
    "partition '2025-01-01' is after the end 2024-12-31",
  );
  assert.match(String(checkKey(p, 'yesterday', now)), /not a daily partition key/);
  assert.equal((keysBetween(p, '2024-01-01', '2024-12-31', now) as string[]).length, 366);
  assert.deepEqual(keysBetween(p, '2024-03-05', '2024-03-05', now), ['2024-03-05']);
  assert.equal(
    keysBetween(p, '2024-03-05', '2024-03-01', now),
    '--to 2024-03-01 is before --from 2024-03-05',
  );
  // Without an end, a period that has not finished is not a partition yet.
  const open = time({ grain: 'daily', start: '2024-01-01', timezone: 'UTC' });
  assert.match(
    String(checkKey(open, '2024-02-02', at('2024-02-02T10:00:00Z'))),
    /has not finished yet \(the latest finished is 2024-02-01\)/,
  );
  // An end in the future caps nothing that has not been reached: end wins when given.
  assert.equal(latestFinished(p, now), '2024-12-31');
});

test('values partitions', () => {
  const p = resolvePartitions({ kind: 'values', values: ['eu', 'us', 'apac'] }) as Partitions;
  assert.deepEqual(allKeys(p, LATER), ['eu', 'us', 'apac']);
  assert.deepEqual(keysBetween(p, 'us', 'apac', 0), ['us', 'apac']);
  assert.match(String(checkKey(p, 'mars', 0)), /'mars' is not one of the partitions: eu, us, apac/);
  assert.deepEqual(partitionValues(p, 'eu'), { partition: 'eu' });
  assert.equal(latestFinished(p, 0), undefined);
});

test('interpolation values of a time key', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', timezone: 'Europe/Paris' });
  assert.deepEqual(partitionValues(p, '2024-03-31'), {
    partition: '2024-03-31',
    'partition.start': '2024-03-31T00:00:00+01:00',
    'partition.end': '2024-04-01T00:00:00+02:00',
  });
});

test('bounds: keys or dates; zones validated through Intl; end before start', () => {
  assert.equal(canonicalZone('utc'), 'UTC');
  assert.equal(canonicalZone('Europe/Pariss'), undefined);
  assert.equal(canonicalZone(''), undefined);
  const w = time({ grain: 'weekly', start: '2024-01-31', timezone: 'UTC' });
  assert.equal(allKeys(w, at('2024-02-13T00:00:00Z'))[0], '2024-W05');
  const h = time({ grain: 'hourly', start: '2024-01-31T22', end: '2024-02-01', timezone: 'UTC' });
  assert.deepEqual(allKeys(h, LATER), ['2024-01-31T22', '2024-01-31T23', '2024-02-01T00']);
  const problems = (spec: PartitionsSpec): string[] => specProblems(spec).map((x) => x.message);
  assert.deepEqual(
    problems({ kind: 'time', grain: 'daily', start: '2024-02-01', end: '2024-01-31' }),
    ['partitions.daily.end: 2024-01-31 is before the start 2024-02-01'],
  );
  assert.match(
    problems({ kind: 'time', grain: 'daily', start: '2024-01-01', timezone: 'Mars/Olympus' })[0]!,
    /unknown time zone 'Mars\/Olympus'/,
  );
  assert.match(
    problems({ kind: 'time', grain: 'monthly', start: 'January' })[0]!,
    /neither a monthly key/,
  );
  assert.equal(
    typeof resolvePartitions({ kind: 'time', grain: 'daily', start: '2024-02-30' }),
    'string',
  );
  // No timezone: the machine's (the zone given as the default).
  const local = resolvePartitions(
    { kind: 'time', grain: 'daily', start: '2024-01-01' },
    'Asia/Tokyo',
  ) as TimePartitions;
  assert.equal(local.zone, 'Asia/Tokyo');
});

test('3 years of daily keys are listed quickly enough to plan', () => {
  const p = time({
    grain: 'daily',
    start: '2022-01-01',
    end: '2024-12-31',
    timezone: 'Europe/Paris',
  });
  const keys = allKeys(p, LATER);
  assert.equal(keys.length, 365 + 365 + 366);
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual([...keys].sort(), keys, 'keys sort in time order');
});

test('periods tile time without gaps or overlaps, and every instant of a period has its key', () => {
  const zones = [
    'UTC',
    'Europe/Paris',
    'America/New_York',
    'America/Sao_Paulo',
    'Australia/Lord_Howe', // DST moves the clocks by 30 minutes
    'Asia/Kathmandu', // +05:45
    'Pacific/Chatham', // +12:45 / +13:45
  ];
  const cases: [Extract<PartitionsSpec, { kind: 'time' }>['grain'], string, string][] = [
    ['hourly', '2018-03-01', '2018-11-30T23'],
    ['daily', '2017-01-01', '2019-12-31'],
    ['weekly', '2017-01-01', '2021-01-31'],
    ['monthly', '2015-01', '2024-12'],
  ];
  for (const zone of zones)
    for (const [grain, start, end] of cases) {
      const p = time({ grain, start, end, timezone: zone });
      const keys = allKeys(p, LATER);
      let previousEnd: number | undefined;
      for (const key of keys) {
        const iso = period(p, key) as { start: string; end: string };
        const s = Date.parse(iso.start);
        const e = Date.parse(iso.end);
        const where = `${zone} ${key}`;
        assert.ok(e > s, where);
        if (previousEnd !== undefined)
          assert.equal(s, previousEnd, `${where} starts where the last ended`);
        previousEnd = e;
        assert.equal(keyAt(p, s), key, where);
        assert.equal(keyAt(p, e - 1), key, where);
        assert.notEqual(keyAt(p, e), key, where);
      }
    }
});

test('selecting keys as the CLI will: --partition, --from/--to, nothing', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', timezone: 'UTC' });
  const now = at('2024-02-02T00:00:00Z');
  assert.deepEqual(selectKeys(p, { partitions: ['2024-01-05', '2024-01-02', '2024-01-05'] }, now), [
    '2024-01-02',
    '2024-01-05',
  ]);
  assert.deepEqual(selectKeys(p, {}, now), ['2024-02-01']);
  assert.equal(
    (selectKeys(p, { from: '2024-01-30' }, now) as string[]).join(' '),
    '2024-01-30 2024-01-31 2024-02-01',
  );
  assert.equal(
    (selectKeys(p, { to: '2024-01-02' }, now) as string[]).join(' '),
    '2024-01-01 2024-01-02',
  );
  assert.equal(
    selectKeys(p, { from: '2024-01-31', to: '2024-01-30' }, now),
    '--to 2024-01-30 is before --from 2024-01-31',
  );
  assert.equal(
    selectKeys(p, { from: '31/01/2024' }, now),
    "--from: '31/01/2024' is not a daily partition key (like 2024-01-31)",
  );
  assert.equal(
    selectKeys(p, { to: '2024-02-02' }, now),
    "--to: partition '2024-02-02' has not finished yet (the latest finished is 2024-02-01)",
  );
  assert.equal(
    selectKeys(p, { partitions: ['2023-12-31'] }, now),
    "--partition: partition '2023-12-31' is before the start 2024-01-01",
  );
  assert.equal(
    selectKeys(p, { partitions: ['2024-01-01'], from: '2024-01-01' }, now),
    'use --partition or --from/--to, not both',
  );
  assert.equal(selectKeys(p, {}, at('2024-01-01T05:00:00Z')), 'no partition has finished yet');
  const v = resolvePartitions({ kind: 'values', values: ['eu', 'us'] }) as Partitions;
  assert.deepEqual(selectKeys(v, {}, now), ['eu', 'us']);
});

test('an end still to come: partitions stop at the latest finished period', () => {
  const p = time({ grain: 'daily', start: '2024-01-01', end: '2024-12-31', timezone: 'UTC' });
  const now = at('2024-01-04T12:00:00Z');
  assert.deepEqual(allKeys(p, now), ['2024-01-01', '2024-01-02', '2024-01-03']);
  assert.equal(
    checkKey(p, '2024-06-01', now),
    "partition '2024-06-01' has not finished yet (the latest finished is 2024-01-03)",
  );
  assert.deepEqual(allKeys(p, at('2023-06-01T00:00:00Z')), []);
});
