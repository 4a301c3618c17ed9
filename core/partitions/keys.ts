/** Partition keys of time partitions as the contract writes them, and the calendar steps between them. */
import type { PartitionGrain } from '../model';
import type { Wall } from './zone';

const DAY = 86_400_000;

/** The first wall time of a period (a local hour, day, ISO week's Monday or month's 1st). */
export type Slot = Wall;

export const KEY_SHAPES: Record<PartitionGrain, { pattern: RegExp; example: string }> = {
  hourly: { pattern: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/, example: '2024-01-31T13' },
  daily: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2024-01-31' },
  weekly: { pattern: /^(\d{4})-W(\d{2})$/, example: '2024-W05' },
  monthly: { pattern: /^(\d{4})-(\d{2})$/, example: '2024-01' },
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Whole days since 1970-01-01 of a civil date. */
function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY);
}

function fromDayNumber(n: number): { y: number; m: number; d: number } {
  const date = new Date(n * DAY);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** ISO weekday, Monday 1 … Sunday 7. */
function isoWeekday(dayNo: number): number {
  return ((((dayNo + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
}

/** The ISO week-numbering year and week of a civil date. */
export function isoWeek(y: number, m: number, d: number): { year: number; week: number } {
  const n = dayNumber(y, m, d);
  const thursday = n - isoWeekday(n) + 4; // the week belongs to the year of its Thursday
  const year = fromDayNumber(thursday).y;
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

/** Day number of the Monday of ISO week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = dayNumber(year, 1, 4); // always in week 1
  return jan4 - isoWeekday(jan4) + 1;
}

export function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / 7;
}

/** The key of the period that starts at `s`. */
export function formatKey(grain: PartitionGrain, s: Slot): string {
  switch (grain) {
    case 'hourly':
      return `${pad(s.y, 4)}-${pad(s.m)}-${pad(s.d)}T${pad(s.h)}`;
    case 'daily':
      return `${pad(s.y, 4)}-${pad(s.m)}-${pad(s.d)}`;
    case 'weekly': {
      const w = isoWeek(s.y, s.m, s.d);
      return `${pad(w.year, 4)}-W${pad(w.week)}`;
    }
    case 'monthly':
      return `${pad(s.y, 4)}-${pad(s.m)}`;
  }
}

/** The period's first wall time, or a one-line reason why `key` is not a key of `grain`. */
export function parseKey(grain: PartitionGrain, key: string): Slot | string {
  const shape = KEY_SHAPES[grain];
  const m = shape.pattern.exec(key);
  const bad = `'${key}' is not a ${grain} partition key (like ${shape.example})`;
  if (!m) return bad;
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number?, number?];
  if (a < 1000) return bad; // Date.UTC reads years below 100 as 19xx
  switch (grain) {
    case 'weekly': {
      if (b < 1 || b > weeksInYear(a))
        return `'${key}': ${a} has ISO weeks 01 to ${weeksInYear(a)}`;
      return { ...fromDayNumber(week1Monday(a) + (b - 1) * 7), h: 0 };
    }
    case 'monthly':
      return b >= 1 && b <= 12 ? { y: a, m: b, d: 1, h: 0 } : `'${key}': no month ${pad(b)}`;
    case 'hourly':
    case 'daily': {
      if (b < 1 || b > 12) return `'${key}': no month ${pad(b)}`;
      if (c === undefined || c < 1 || c > daysInMonth(a, b))
        return `'${key}': ${a}-${pad(b)} has ${daysInMonth(a, b)} days`;
      if (d !== undefined && d > 23) return `'${key}': hours go from 00 to 23`;
      return { y: a, m: b, d: c, h: d ?? 0 };
    }
  }
}

/** The period (of `grain`) that holds the wall time `w`: its first wall time. */
export function slotOf(grain: PartitionGrain, w: Wall): Slot {
  switch (grain) {
    case 'hourly':
      return { ...w };
    case 'daily':
      return { y: w.y, m: w.m, d: w.d, h: 0 };
    case 'weekly': {
      const n = dayNumber(w.y, w.m, w.d);
      return { ...fromDayNumber(n - isoWeekday(n) + 1), h: 0 };
    }
    case 'monthly':
      return { y: w.y, m: w.m, d: 1, h: 0 };
  }
}

/** The slot `n` periods after `s` (n may be negative), in wall-clock terms. */
export function stepSlot(grain: PartitionGrain, s: Slot, n: number): Slot {
  switch (grain) {
    case 'hourly': {
      const t = new Date(Date.UTC(s.y, s.m - 1, s.d, s.h + n));
      return {
        y: t.getUTCFullYear(),
        m: t.getUTCMonth() + 1,
        d: t.getUTCDate(),
        h: t.getUTCHours(),
      };
    }
    case 'daily':
      return { ...fromDayNumber(dayNumber(s.y, s.m, s.d) + n), h: 0 };
    case 'weekly':
      return { ...fromDayNumber(dayNumber(s.y, s.m, s.d) + 7 * n), h: 0 };
    case 'monthly': {
      const months = s.y * 12 + (s.m - 1) + n;
      return { y: Math.floor(months / 12), m: (months % 12) + 1, d: 1, h: 0 };
    }
  }
}

/** Wall-clock order of slots. */
export function compareSlots(a: Slot, b: Slot): number {
  return a.y - b.y || a.m - b.m || a.d - b.d || a.h - b.h;
}

/**
 * A `start:`/`end:` bound as written: the grain's own key, or a date `YYYY-MM-DD` (any grain:
 * the period that holds that day's midnight), or `YYYY-MM-DDTHH` for hourly.
 */
export function parseBound(grain: PartitionGrain, text: string): Slot | string {
  const own = parseKey(grain, text);
  if (typeof own !== 'string') return own;
  if (grain !== 'daily' && KEY_SHAPES.daily.pattern.test(text)) {
    const day = parseKey('daily', text);
    return typeof day === 'string' ? day : slotOf(grain, day);
  }
  if (!KEY_SHAPES[grain].pattern.test(text) && grain !== 'daily')
    return `'${text}' is neither a ${grain} key (like ${KEY_SHAPES[grain].example}) nor a date (like 2024-01-31)`;
  return own;
}
