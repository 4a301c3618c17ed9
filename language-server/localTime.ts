/** Instants shown to the user in hovers: the server's (the user's) local zone, named, never raw UTC ISO. */
import { machineZone, offsetAt } from '../core/partitions/zone';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `+01:00`, `-05:30`, `+00:00`. */
function offsetText(ms: number): string {
  const abs = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * `2026-11-30 14:02 (Europe/Paris, UTC+01:00)`: the wall time in `zone` (the process's zone, i.e.
 * TZ) with the zone and its offset at that instant named; seconds only when `seconds`. A value
 * that is not a valid instant is returned as it was given.
 */
export function localTime(
  when: Date | number | string,
  options: { zone?: string; seconds?: boolean } = {},
): string {
  const t =
    when instanceof Date ? when.getTime() : typeof when === 'number' ? when : Date.parse(when);
  if (!Number.isFinite(t)) return String(when);
  const zone = options.zone ?? machineZone();
  const o = offsetAt(zone, t);
  const d = new Date(t + o);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${options.seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${day} ${time} (${zone === 'UTC' ? 'UTC' : `${zone}, UTC${offsetText(o)}`})`;
}
