// Asia/Almaty wall clock ↔ instants. We read Node's own tz data (Intl) instead of fixing an offset,
// because Kazakhstan moved from UTC+6 to UTC+5 on 2024-03-01 and Jan–Feb 2024 are in our data.

export const ZONE = 'Asia/Almaty';

/** A civil date in Asia/Almaty, 'YYYY-MM-DD'. */
export type CalendarDate = string;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const fields = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** How far Almaty's wall clock is ahead of UTC at this instant, in ms. */
function offsetMs(epochMs: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of fields.formatToParts(new Date(epochMs))) p[type] = Number(value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** The Almaty civil date of an instant and the ms elapsed since that date's midnight. */
export function wallClock(instant: Date): { date: CalendarDate; msOfDay: number } {
  const wall = instant.getTime() + offsetMs(instant.getTime());
  const msOfDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  return { date: new Date(wall - msOfDay).toISOString().slice(0, 10), msOfDay };
}

/** The instant at which Almaty's wall clock shows `date` + `msOfDay`. */
export function instantAt(date: CalendarDate, msOfDay: number): Date {
  const wall = parseDate(date) + msOfDay;
  // Two passes settle the offset even on the day it changed (2024-03-01).
  const first = wall - offsetMs(wall);
  return new Date(wall - offsetMs(first));
}

/** Epoch ms of the date's midnight read as UTC: plain day arithmetic, no zone involved. */
function parseDate(date: CalendarDate): number {
  const m = DATE_RE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return ms;
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  return new Date(parseDate(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CalendarDate): number {
  return new Date(parseDate(date)).getUTCDay();
}

export function yearOf(date: CalendarDate): number {
  return new Date(parseDate(date)).getUTCFullYear();
}

/** 'HH:MM' → ms since midnight. */
export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`);
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

/** What the applicant sees: '2026-03-25 18:30 (Asia/Almaty)'. */
export function formatInstant(instant: Date): string {
  const { date, msOfDay } = wallClock(instant);
  const minutes = Math.floor(msOfDay / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${date} ${hh}:${mm} (${ZONE})`;
}
