/**
 * The partitions of a Luigi export: a `luigi.DateParameter` (DateHour, Month, or `Parameter` for
 * `values:`) on each partitioned task, what fills `${partition…}` in Python, the range
 * parameters of the tasks over all partitions, and a RangeDaily-style `Backfill` wrapper.
 */
import { formatKey } from '../../core/partitions/keys';
import type { Partitions } from '../../core/partitions/partitions';

const py = (s: string): string => JSON.stringify(s);

/** The Luigi parameter class of a partition, and the name of the task's parameter. */
export function partitionParameter(parts: Partitions): { cls: string; name: string } {
  if (parts.kind === 'values') return { cls: 'luigi.Parameter', name: 'partition' };
  const cls = {
    hourly: 'luigi.DateHourParameter',
    daily: 'luigi.DateParameter',
    weekly: 'luigi.DateParameter',
    monthly: 'luigi.MonthParameter',
  }[parts.grain];
  return { cls, name: 'date' };
}

/** Python literal of the first (or `end`) partition as the parameter's value. */
function valueLiteral(parts: Partitions, which: 'start' | 'end'): string {
  if (parts.kind === 'values') return 'None';
  const slot = which === 'start' ? parts.start : parts.end;
  if (!slot) return 'None';
  const key = formatKey(parts.grain, slot);
  return `_parse_key(${py(key)})`;
}

/** Module-level helpers: keys, periods and ranges of the partitions, in the pipeline's zone. */
export function partitionHelpers(parts: Partitions): string[] {
  if (parts.kind === 'values')
    return [
      `PARTITION_VALUES = ${JSON.stringify(parts.values)}`,
      '',
      '',
      'def _partition_values(value):',
      '    return {"partition": str(value)}',
      '',
      '',
      'def _partition_keys(since=None, until=None):',
      '    """Every value (they have no order in time: a range is all of them)."""',
      '    return list(PARTITION_VALUES)',
      '',
    ];
  return [
    'import datetime',
    'from zoneinfo import ZoneInfo',
    '',
    `PARTITION_GRAIN = ${py(parts.grain)}`,
    `PARTITION_ZONE = ZoneInfo(${py(parts.zone)})`,
    '',
    '',
    'def _parse_key(key):',
    '    """A partition key (2024-01-31T13, 2024-01-31, 2024-W05, 2024-01) as the parameter\'s value."""',
    '    if PARTITION_GRAIN == "hourly":',
    '        return datetime.datetime.strptime(key, "%Y-%m-%dT%H")',
    '    if PARTITION_GRAIN == "weekly":',
    '        return datetime.date.fromisocalendar(int(key[:4]), int(key[6:]), 1)',
    '    if PARTITION_GRAIN == "monthly":',
    '        return datetime.date(int(key[:4]), int(key[5:7]), 1)',
    '    return datetime.date.fromisoformat(key)',
    '',
    '',
    'def _slot(value):',
    '    """The first wall time of the partition that holds the parameter\'s value."""',
    '    if PARTITION_GRAIN == "hourly":',
    '        return datetime.datetime(value.year, value.month, value.day, value.hour)',
    '    day = datetime.datetime(value.year, value.month, value.day)',
    '    if PARTITION_GRAIN == "weekly":',
    '        return day - datetime.timedelta(days=day.weekday())',
    '    if PARTITION_GRAIN == "monthly":',
    '        return day.replace(day=1)',
    '    return day',
    '',
    '',
    'def _next(slot):',
    '    if PARTITION_GRAIN == "hourly":',
    '        return slot + datetime.timedelta(hours=1)',
    '    if PARTITION_GRAIN == "daily":',
    '        return slot + datetime.timedelta(days=1)',
    '    if PARTITION_GRAIN == "weekly":',
    '        return slot + datetime.timedelta(days=7)',
    '    return (slot.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)',
    '',
    '',
    'def _key(slot):',
    '    if PARTITION_GRAIN == "hourly":',
    '        return slot.strftime("%Y-%m-%dT%H")',
    '    if PARTITION_GRAIN == "weekly":',
    '        year, week, _ = slot.isocalendar()',
    '        return "%04d-W%02d" % (year, week)',
    '    if PARTITION_GRAIN == "monthly":',
    '        return slot.strftime("%Y-%m")',
    '    return slot.strftime("%Y-%m-%d")',
    '',
    '',
    'def _partition_values(value):',
    '    """${partition}, ${partition.start}, ${partition.end}: the key and [start, end) in ISO 8601."""',
    '    slot = _slot(value)',
    '    start = slot.replace(tzinfo=PARTITION_ZONE).isoformat()',
    '    end = _next(slot).replace(tzinfo=PARTITION_ZONE).isoformat()',
    '    return {"partition": _key(slot), "partition.start": start, "partition.end": end}',
    '',
    '',
    'def _as_value(slot):',
    '    return slot if PARTITION_GRAIN == "hourly" else slot.date()',
    '',
    '',
    'def _latest_finished():',
    '    """The last partition that has finished now (capped at the pipeline\'s end)."""',
    '    now = datetime.datetime.now(PARTITION_ZONE).replace(tzinfo=None)',
    '    slot = _slot(now)',
    '    previous = _slot(slot - datetime.timedelta(hours=1) if PARTITION_GRAIN == "hourly" else slot - datetime.timedelta(days=1))',
    '    latest = _as_value(previous)',
    '    return min(latest, PARTITION_END) if PARTITION_END is not None else latest',
    '',
    '',
    'def _partition_keys(since, until):',
    '    """Parameter values from since to until, both included, oldest first."""',
    '    out, slot, last = [], _slot(since), _slot(until)',
    '    while slot <= last:',
    '        out.append(_as_value(slot))',
    '        slot = _next(slot)',
    '    return out',
    '',
    '',
    `PARTITION_START = ${valueLiteral(parts, 'start')}`,
    `PARTITION_END = ${valueLiteral(parts, 'end')}`,
    '',
  ];
}

/** The range parameters of a task over all partitions (and of the Backfill wrapper). */
export function rangeParameters(parts: Partitions): string[] {
  if (parts.kind === 'values') return [];
  const { cls } = partitionParameter(parts);
  return [
    `    since = ${cls}(default=PARTITION_START)`,
    `    until = ${cls}(default=_latest_finished())`,
  ];
}
