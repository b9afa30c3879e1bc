/**
 * Conversion times in the shop's IANA time zone, through Intl (the tz database Node ships), so
 * daylight saving time is whatever the zone's rules say on that date.
 *
 * Google's file template takes the time zone in a `Parameters:TimeZone=` row and, optionally, on each
 * conversion time, which then wins ("Import conversions from ad clicks into Google Ads",
 * https://support.google.com/google-ads/answer/7014069). We write both: the zone id in the
 * Parameters row, as that page recommends "to avoid errors during daylight savings time", and the
 * offset in force at that instant on every row (`yyyy-MM-dd HH:mm:ss±HHMM`), because a local time
 * alone is ambiguous in the hour clocks go back (01:30 happens twice in Chicago on 2026-11-01).
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The zone's canonical id (`america/chicago` -> `America/Chicago`), or null when Intl knows no such zone. */
export function canonicalTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local date and time on the zone's clocks at an instant. */
function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Minutes the zone is ahead of UTC at an instant (-300 for Chicago in summer). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `2026-11-01 01:30:00-0600`: the local time in the zone and the offset in force then. */
export function formatConversionTime(ms: number, timeZone: string): string {
  const wall = wallClock(ms, timeZone);
  const offset = zoneOffsetMinutes(ms, timeZone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)} ` +
    `${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** A calendar date `YYYY-MM-DD` that exists, as [year, month, day]; null otherwise. */
export function parseCalendarDate(text: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return [year, month, day];
}

/**
 * The instant a calendar day starts on the shop's clocks (`--since 2026-11-01` means from the shop's
 * midnight). Two passes settle the offset, so a day after a DST change starts at its own offset.
 * Null for a date that does not exist.
 */
export function startOfDayInZone(date: string, timeZone: string): number | null {
  const parsed = parseCalendarDate(date);
  if (!parsed) return null;
  const [year, month, day] = parsed;
  const midnightUtc = Date.UTC(year, month - 1, day);
  let start = midnightUtc - zoneOffsetMinutes(midnightUtc, timeZone) * 60_000;
  start = midnightUtc - zoneOffsetMinutes(start, timeZone) * 60_000;
  return start;
}

/** Whole days, in ms (for the click window). */
export const days = (count: number): number => count * DAY_MS;
