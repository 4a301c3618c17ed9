/** How the panel reads what was typed: lists, whole numbers, durations; empty means "remove the key". */
import { parseDuration } from '../../../../core/durations';
import type { Parsed } from './Field';

export const text = (s: string): Parsed<string> => ({ value: s });

/** One item a line (commas also split); no items removes the key. */
export const list = (s: string): Parsed<string[] | null> => {
  const items = s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
  return { value: items.length ? items : null };
};

export const wholeNumber = (s: string): Parsed<number | null> => {
  const t = s.trim();
  if (t === '') return { value: null };
  return /^\d+$/.test(t) ? { value: Number(t) } : { error: `'${t}' is not a whole number` };
};

/** Kept as typed (`5m` stays `5m`), once it reads as a duration. */
export const duration = (s: string): Parsed<string | null> => {
  const t = s.trim();
  if (t === '') return { value: null };
  return parseDuration(t) !== undefined
    ? { value: t }
    : { error: `'${t}' is not a duration (e.g. 30s, 5m, 1h30m)` };
};

/** `KEY=value`, one a line (values may hold commas and spaces); no lines removes the key. */
export const envLines = (s: string): Parsed<string[] | null> => {
  const lines = s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = lines.find((l) => !/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(l));
  if (bad !== undefined) return { error: `'${bad}' is not KEY=value` };
  return { value: lines.length ? lines : null };
};
