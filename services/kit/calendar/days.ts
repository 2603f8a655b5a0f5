// Which Almaty dates are working days: weekends, holidays, the Labour Code's moved days and the transfers.
import * as grpc from '@grpc/grpc-js';
import { RuqsatError } from '../errors.ts';
import { KURBAN_AIT, type CalendarData } from './kz.ts';
import { addDays, weekday, yearOf, type CalendarDate } from './zone.ts';

/** Thrown for any date in a year the data does not cover: guessing would count holidays as working days. */
export class CalendarYearNotCovered extends RuqsatError {
  constructor(readonly year: number) {
    super(
      grpc.status.FAILED_PRECONDITION,
      'CALENDAR_YEAR_NOT_COVERED',
      `the working-day calendar has no data for ${year}; add it to services/kit/calendar/kz.ts`,
      { year: String(year) },
    );
    this.name = 'CalendarYearNotCovered';
  }
}

export type DayKind = 'working' | 'weekend' | 'holiday' | 'moved_day_off' | 'transferred_day_off' | 'transferred_workday';

export interface Day {
  date: CalendarDate;
  working: boolean;
  kind: DayKind;
  /** Why the day is what it is, for logs and the applicant: 'Nauryz', 'Nauryz (from 2026-03-21)'. */
  reason: string;
}

const isWeekend = (date: CalendarDate): boolean => {
  const wd = weekday(date);
  return wd === 0 || wd === 6;
};

export class DayCalendar {
  private readonly days = new Map<CalendarDate, Day>();
  private readonly years: Set<number>;

  constructor(data: CalendarData) {
    this.years = new Set(Object.keys(data.years).map(Number));
    for (const year of [...this.years].sort()) this.addYear(data, year);
  }

  isCovered(year: number): boolean {
    return this.years.has(year);
  }

  day(date: CalendarDate): Day {
    const year = yearOf(date);
    if (!this.years.has(year)) throw new CalendarYearNotCovered(year);
    const known = this.days.get(date);
    if (known) return known;
    return isWeekend(date)
      ? { date, working: false, kind: 'weekend', reason: 'weekend' }
      : { date, working: true, kind: 'working', reason: 'working day' };
  }

  isWorkingDay(date: CalendarDate): boolean {
    return this.day(date).working;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: CalendarDate): CalendarDate {
    let next = addDays(date, 1);
    while (!this.isWorkingDay(next)) next = addDays(next, 1);
    return next;
  }

  private addYear(data: CalendarData, year: number): void {
    const y = data.years[year];
    const pad = (n: number) => String(n).padStart(2, '0');
    const holidays = data.fixed.map((h) => ({ ...h, date: `${year}-${pad(h.month)}-${pad(h.day)}` }));
    holidays.push({ ...KURBAN_AIT, month: 0, day: 0, religious: true, date: y.kurbanAit.date });
    for (const h of holidays) this.days.set(h.date, { date: h.date, working: false, kind: 'holiday', reason: h.name });
    for (const t of y.transfers) {
      this.days.set(t.workday, { date: t.workday, working: true, kind: 'transferred_workday', reason: `working in exchange for ${t.dayOff}` });
      this.days.set(t.dayOff, { date: t.dayOff, working: false, kind: 'transferred_day_off', reason: `day off transferred from ${t.workday}` });
    }
    // Labour Code art. 85: a state holiday on a weekend makes the next working day a day off; religious ones do not.
    const offSoFar = (date: CalendarDate): boolean => {
      const d = this.days.get(date);
      return d ? !d.working : isWeekend(date);
    };
    for (const h of holidays.sort((a, b) => a.date.localeCompare(b.date))) {
      if (h.religious || !isWeekend(h.date) || this.days.get(h.date)?.working) continue;
      let moved = addDays(h.date, 1);
      while (offSoFar(moved)) moved = addDays(moved, 1);
      this.days.set(moved, { date: moved, working: false, kind: 'moved_day_off', reason: `${h.name} (from ${h.date})` });
    }
  }
}
