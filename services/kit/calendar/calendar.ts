// The mesh's one working-day calendar: office hours, receipt rules and deadline arithmetic in Asia/Almaty.
import { invalidArgument } from '../errors.ts';
import { DayCalendar, type Day } from './days.ts';
import { KZ_CALENDAR, type CalendarData } from './kz.ts';
import { addDays, formatInstant, instantAt, parseClock, wallClock, type CalendarDate } from './zone.ts';

/** Office hours in Asia/Almaty wall-clock time, 'HH:MM'. */
export interface OfficeHours {
  opens: string;
  closes: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { opens: '09:00', closes: '18:30' };

/** A time limit (мерзім) as the regulations state it: түскен күні (same day), N жұмыс күні (WD), N күнтізбелік күн (CD), or hours. */
export interface TimeLimit {
  unit: 'same_day' | 'working_days' | 'calendar_days' | 'hours';
  amount: number;
}

/** A stop of the clock, e.g. while the applicant submits samples; `to` is when the clock ran again. */
export interface Pause {
  from: Date;
  to: Date;
}

export interface Deadline {
  /** When the clock started: the receipt, or the next office opening if received out of hours. */
  startsAt: Date;
  /** The exact instant the limit expires; stored as is. */
  dueAt: Date;
  /** What the applicant is shown, to the minute (seconds dropped): '2026-04-08 18:30 (Asia/Almaty)'. */
  display: string;
}

export class WorkingCalendar {
  private readonly days: DayCalendar;
  private readonly opensMs: number;
  private readonly closesMs: number;

  constructor(options: { officeHours?: OfficeHours; data?: CalendarData } = {}) {
    const hours = options.officeHours ?? DEFAULT_OFFICE_HOURS;
    this.opensMs = parseClock(hours.opens);
    this.closesMs = parseClock(hours.closes);
    if (this.opensMs >= this.closesMs) throw new RangeError(`office hours close before they open: ${hours.opens}–${hours.closes}`);
    this.days = new DayCalendar(options.data ?? KZ_CALENDAR);
  }

  /** A date, or the Almaty date of an instant. Throws CalendarYearNotCovered outside the data. */
  day(date: CalendarDate | Date): Day {
    return this.days.day(date instanceof Date ? wallClock(date).date : date);
  }

  isWorkingDay(date: CalendarDate | Date): boolean {
    return this.day(date).working;
  }

  /** Office opening of the first working day after the instant's Almaty date. */
  nextWorkingDayStart(instant: Date): Date {
    return this.opening(this.days.nextWorkingDay(wallClock(instant).date));
  }

  /** When the clock starts for a receipt: at once within office hours, else at the next office opening. */
  countsFrom(receivedAt: Date): Date {
    const { date, msOfDay } = wallClock(receivedAt);
    if (!this.days.isWorkingDay(date) || msOfDay >= this.closesMs) return this.nextWorkingDayStart(receivedAt);
    return msOfDay < this.opensMs ? this.opening(date) : receivedAt;
  }

  /** "On the day of receipt": office close of the day the clock starts (or, if paused then, of the next running one). */
  sameDay(start: Date, pauses: Pause[] = []): Date {
    let day = wallClock(this.countsFrom(start)).date;
    while (!running(this.closing(day), pauses)) day = this.days.nextWorkingDay(day);
    return this.closing(day);
  }

  /**
   * N WD: office close (Civil Code art. 179) of the Nth working day after the start day (art. 176: the start day
   * is not counted). A day counts only if the clock runs at its office close, so a pause extends by whole days.
   */
  addWorkingDays(start: Date, n: number, pauses: Pause[] = []): Date {
    wholeDays(n);
    let day = wallClock(this.countsFrom(start)).date;
    for (let counted = 0; counted < n; ) {
      day = this.days.nextWorkingDay(day);
      if (running(this.closing(day), pauses)) counted++;
    }
    return this.closing(day);
  }

  /** N CD, counted as WD are; a last day that is not a working day moves to the next one (Civil Code art. 178). */
  addCalendarDays(start: Date, n: number, pauses: Pause[] = []): Date {
    wholeDays(n);
    let day = wallClock(this.countsFrom(start)).date;
    for (let counted = 0; counted < n; ) {
      day = addDays(day, 1);
      if (running(this.closing(day), pauses)) counted++;
    }
    if (!this.days.isWorkingDay(day)) day = this.days.nextWorkingDay(day);
    return this.closing(day);
  }

  /** N working hours: only time within office hours on working days, outside pauses, is spent. */
  addHours(start: Date, n: number, pauses: Pause[] = []): Date {
    if (!(n > 0) || !Number.isFinite(n)) throw invalidArgument([{ field: 'amount', description: 'hours must be a positive number' }]);
    let left = n * 3_600_000;
    let from = this.countsFrom(start);
    for (;;) {
      const { date } = wallClock(from);
      for (const [a, b] of runningSpans(from.getTime(), this.closing(date).getTime(), pauses)) {
        if (b - a >= left) return new Date(a + left);
        left -= b - a;
      }
      from = this.nextWorkingDayStart(from);
    }
  }

  deadline(receivedAt: Date, limit: TimeLimit, pauses: Pause[] = []): Deadline {
    for (const p of pauses) {
      if (!(p.from.getTime() < p.to.getTime())) throw invalidArgument([{ field: 'pauses', description: 'a pause must end after it starts' }]);
    }
    const startsAt = this.countsFrom(receivedAt);
    const dueAt = this.due(startsAt, limit, pauses);
    return { startsAt, dueAt, display: formatInstant(dueAt) };
  }

  private due(start: Date, limit: TimeLimit, pauses: Pause[]): Date {
    switch (limit.unit) {
      case 'same_day':
        return this.sameDay(start, pauses);
      case 'working_days':
        return this.addWorkingDays(start, limit.amount, pauses);
      case 'calendar_days':
        return this.addCalendarDays(start, limit.amount, pauses);
      case 'hours':
        return this.addHours(start, limit.amount, pauses);
    }
  }

  private opening(date: CalendarDate): Date {
    return instantAt(date, this.opensMs);
  }

  private closing(date: CalendarDate): Date {
    return instantAt(date, this.closesMs);
  }
}

function wholeDays(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw invalidArgument([{ field: 'amount', description: 'days must be a whole number ≥ 0' }]);
}

function running(instant: Date, pauses: Pause[]): boolean {
  const t = instant.getTime();
  return !pauses.some((p) => p.from.getTime() <= t && t < p.to.getTime());
}

/** [a, b) minus the pauses, as ordered spans of running time. */
function runningSpans(a: number, b: number, pauses: Pause[]): [number, number][] {
  let spans: [number, number][] = a < b ? [[a, b]] : [];
  for (const p of pauses) {
    const pf = p.from.getTime();
    const pt = p.to.getTime();
    spans = spans.flatMap(([s, e]): [number, number][] =>
      pt <= s || pf >= e ? [[s, e]] : ([[s, Math.min(e, pf)], [Math.max(s, pt), e]] as [number, number][]).filter(([x, y]) => x < y),
    );
  }
  return spans;
}

/** The calendar with the default office hours and the Kazakhstan data. */
export const calendar = new WorkingCalendar();
