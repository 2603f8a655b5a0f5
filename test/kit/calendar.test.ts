// The working-day calendar against real Kazakh dates: published days off, receipt rules, every deadline unit.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { RuqsatError } from '../../services/kit/errors.ts';
import { calendar, CalendarYearNotCovered, WorkingCalendar, type TimeLimit } from '../../services/kit/calendar/index.ts';

// Almaty wall time → instant; the offset is written out so the test does not reuse the code under test.
const at = (local: string, offset = '+05:00') => new Date(`${local}:00${offset}`);
const shown = (d: Date) => d.toISOString();
const WD = (amount: number): TimeLimit => ({ unit: 'working_days', amount });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

function daysOffOnWeekdays(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6 && !calendar.isWorkingDay(date)) out.push(date);
  }
  return out;
}

describe('kit: working-day calendar', () => {
  describe('days off as published', () => {
    it('reproduces the egov.kz 2026 calendar: weekend holidays move to the next working day', () => {
      expect(daysOffOnWeekdays(2026)).to.deep.equal([
        '2026-01-01', '2026-01-02', '2026-01-07', '2026-03-09', '2026-03-23', '2026-03-24', '2026-03-25',
        '2026-05-01', '2026-05-07', '2026-05-11', '2026-05-27', '2026-07-06', '2026-08-31', '2026-10-26', '2026-12-16',
      ]);
      expect(calendar.day('2026-03-24').reason).to.equal('Nauryz (from 2026-03-21)');
    });

    it('gives 119 days off in 2025 and 2026, the published totals for the five-day week', () => {
      const offs = (year: number) => {
        let n = 0;
        for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
          if (!calendar.isWorkingDay(new Date(t).toISOString().slice(0, 10))) n++;
        }
        return n;
      };
      expect(offs(2025)).to.equal(119);
      expect(offs(2026)).to.equal(119);
    });

    it('moves no day for religious holidays on a weekend (Orthodox Christmas 2024, Kurban Ait 2024)', () => {
      expect(calendar.isWorkingDay('2024-01-07')).to.equal(false);
      expect(calendar.isWorkingDay('2024-01-08')).to.equal(true);
      expect(calendar.isWorkingDay('2024-06-16')).to.equal(false);
      expect(calendar.isWorkingDay('2024-06-17')).to.equal(true);
    });

    it('applies the transfers: Saturday 4 May 2024 and Sunday 5 January 2025 are working days', () => {
      expect(calendar.day('2024-05-04')).to.include({ working: true, kind: 'transferred_workday' });
      expect(calendar.day('2024-05-08')).to.include({ working: false, kind: 'transferred_day_off' });
      expect(calendar.isWorkingDay('2025-01-05')).to.equal(true);
      expect(calendar.isWorkingDay('2025-01-03')).to.equal(false);
    });
  });

  describe('receipt', () => {
    it('counts a submit at 19:00 on a Friday from Monday 09:00', () => {
      expect(shown(calendar.countsFrom(at('2026-04-10T19:00')))).to.equal(shown(at('2026-04-13T09:00')));
    });

    it('counts a submit on Saturday evening from Monday 09:00', () => {
      expect(shown(calendar.countsFrom(at('2026-04-11T20:00')))).to.equal(shown(at('2026-04-13T09:00')));
    });

    it('counts a Friday-evening submit before Nauryz 2026 from Thursday 26 March', () => {
      expect(shown(calendar.nextWorkingDayStart(at('2026-03-20T19:00')))).to.equal(shown(at('2026-03-26T09:00')));
    });

    it('counts within office hours at once, and before opening from the same day 09:00', () => {
      expect(shown(calendar.countsFrom(at('2026-04-13T18:29')))).to.equal(shown(at('2026-04-13T18:29')));
      expect(shown(calendar.countsFrom(at('2026-04-13T18:30')))).to.equal(shown(at('2026-04-14T09:00')));
      expect(shown(calendar.countsFrom(at('2026-04-13T07:45')))).to.equal(shown(at('2026-04-13T09:00')));
    });

    it('takes office hours from configuration', () => {
      const early = new WorkingCalendar({ officeHours: { opens: '08:00', closes: '17:00' } });
      const d = early.deadline(at('2026-04-10T17:30'), WD(1));
      expect(shown(d.startsAt)).to.equal(shown(at('2026-04-13T08:00')));
      expect(d.display).to.equal('2026-04-14 17:00 (Asia/Almaty)');
    });
  });

  describe('deadlines', () => {
    it('counts working days across a weekend, from the day after receipt, to office close', () => {
      const d = calendar.deadline(at('2026-04-08T10:00'), WD(5));
      expect(shown(d.dueAt)).to.equal('2026-04-15T13:30:00.000Z');
      expect(d.display).to.equal('2026-04-15 18:30 (Asia/Almaty)');
    });

    it('skips the Nauryz week: 15 WD from Monday 16 March 2026 end on Thursday 9 April', () => {
      expect(calendar.deadline(at('2026-03-16T10:00'), WD(15)).display).to.equal('2026-04-09 18:30 (Asia/Almaty)');
    });

    it('counts the transferred working Saturday and skips the transferred day off (May 2024)', () => {
      // Sat 4 May works; 7 (holiday), 8 (transferred), 9 (holiday) are off.
      expect(calendar.deadline(at('2024-05-03T10:00'), WD(3)).display).to.equal('2024-05-10 18:30 (Asia/Almaty)');
      expect(shown(calendar.countsFrom(at('2024-05-04T10:00')))).to.equal(shown(at('2024-05-04T10:00')));
    });

    it('runs from Monday 09:00 for a Friday 19:00 receipt', () => {
      const d = calendar.deadline(at('2026-04-10T19:00'), WD(1));
      expect(d.display).to.equal('2026-04-14 18:30 (Asia/Almaty)');
    });

    it('crosses 1 January: New Year, the weekend and Orthodox Christmas are skipped', () => {
      expect(calendar.deadline(at('2025-12-31T15:00'), WD(3)).display).to.equal('2026-01-08 18:30 (Asia/Almaty)');
      expect(shown(calendar.countsFrom(at('2025-12-31T19:00')))).to.equal(shown(at('2026-01-05T09:00')));
    });

    it('follows the move from UTC+6 to UTC+5 on 1 March 2024', () => {
      const received = at('2024-02-28T10:00', '+06:00');
      expect(shown(calendar.addWorkingDays(received, 1))).to.equal('2024-02-29T12:30:00.000Z');
      expect(shown(calendar.addWorkingDays(received, 2))).to.equal('2024-03-01T13:30:00.000Z');
    });

    it('counts 5 calendar days, moving a last day that is not a working day to the next one', () => {
      expect(calendar.deadline(at('2026-04-01T11:00'), { unit: 'calendar_days', amount: 5 }).display).to.equal(
        '2026-04-06 18:30 (Asia/Almaty)',
      );
      // 11 May 2026 is the day off moved from Victory Day.
      expect(calendar.deadline(at('2026-05-06T10:00'), { unit: 'calendar_days', amount: 5 }).display).to.equal(
        '2026-05-12 18:30 (Asia/Almaty)',
      );
    });

    it('counts hours within office hours only, across a night and across a weekend', () => {
      expect(calendar.deadline(at('2026-04-14T17:00'), { unit: 'hours', amount: 3 }).display).to.equal(
        '2026-04-15 10:30 (Asia/Almaty)',
      );
      expect(calendar.deadline(at('2026-04-10T16:30'), { unit: 'hours', amount: 4 }).display).to.equal(
        '2026-04-13 11:00 (Asia/Almaty)',
      );
      expect(calendar.deadline(at('2026-04-14T17:00'), { unit: 'hours', amount: 1.5 }).display).to.equal(
        '2026-04-14 18:30 (Asia/Almaty)',
      );
    });

    it('ends "on the day of receipt" at that day\'s office close, or the next working day\'s if out of hours', () => {
      expect(calendar.deadline(at('2026-04-13T10:00'), { unit: 'same_day', amount: 0 }).display).to.equal(
        '2026-04-13 18:30 (Asia/Almaty)',
      );
      expect(calendar.deadline(at('2026-03-24T10:00'), { unit: 'same_day', amount: 0 }).display).to.equal(
        '2026-03-26 18:30 (Asia/Almaty)',
      );
    });
  });

  describe('pauses (the applicant submits samples)', () => {
    it('extends working days by the days whose office close fell inside the pause', () => {
      const received = at('2026-04-13T10:00');
      expect(calendar.deadline(received, WD(5)).display).to.equal('2026-04-20 18:30 (Asia/Almaty)');
      // Paused Wed 11:00 → Fri 14:00: Wednesday and Thursday do not count.
      const pause = { from: at('2026-04-15T11:00'), to: at('2026-04-17T14:00') };
      expect(calendar.deadline(received, WD(5), [pause]).display).to.equal('2026-04-22 18:30 (Asia/Almaty)');
    });

    it('does not extend for a pause wholly outside office hours', () => {
      const night = { from: at('2026-04-14T19:00'), to: at('2026-04-15T08:00') };
      expect(calendar.deadline(at('2026-04-13T10:00'), WD(5), [night]).display).to.equal('2026-04-20 18:30 (Asia/Almaty)');
    });

    it('stops the hours clock for exactly the paused office time', () => {
      const lunch = { from: at('2026-04-14T11:00'), to: at('2026-04-14T13:00') };
      expect(calendar.deadline(at('2026-04-14T10:00'), { unit: 'hours', amount: 4 }, [lunch]).display).to.equal(
        '2026-04-14 16:00 (Asia/Almaty)',
      );
    });

    it('refuses a pause that ends before it starts', () => {
      const err = thrown(() => calendar.deadline(at('2026-04-14T10:00'), WD(1), [{ from: at('2026-04-15T10:00'), to: at('2026-04-14T10:00') }]));
      expect(err).to.be.instanceOf(RuqsatError).and.include({ code: grpc.status.INVALID_ARGUMENT });
    });
  });

  describe('years without data', () => {
    it('raises CalendarYearNotCovered for a date in 2028 or 2023', () => {
      const err = thrown(() => calendar.isWorkingDay('2028-01-03'));
      expect(err).to.be.instanceOf(CalendarYearNotCovered).and.include({ year: 2028, reason: 'CALENDAR_YEAR_NOT_COVERED' });
      expect((err as RuqsatError).code).to.equal(grpc.status.FAILED_PRECONDITION);
      expect(thrown(() => calendar.countsFrom(at('2023-12-30T10:00', '+06:00')))).to.be.instanceOf(CalendarYearNotCovered);
    });

    it('raises it when a deadline runs past the last covered year', () => {
      expect(thrown(() => calendar.deadline(at('2027-12-20T10:00'), WD(15)))).to.be.instanceOf(CalendarYearNotCovered);
    });
  });

  it('refuses a negative or fractional number of days', () => {
    expect(thrown(() => calendar.addWorkingDays(at('2026-04-13T10:00'), -1))).to.be.instanceOf(RuqsatError);
    expect(thrown(() => calendar.addCalendarDays(at('2026-04-13T10:00'), 1.5))).to.be.instanceOf(RuqsatError);
  });
});
