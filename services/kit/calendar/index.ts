// The working-day calendar of the mesh: import from here, not from the files behind it.
export { calendar, DEFAULT_OFFICE_HOURS, WorkingCalendar, type Deadline, type OfficeHours, type Pause, type TimeLimit } from './calendar.ts';
export { CalendarYearNotCovered, type Day, type DayKind } from './days.ts';
export { KZ_CALENDAR, type CalendarData, type Confidence, type FixedHoliday, type Transfer, type YearData } from './kz.ts';
export { formatInstant, ZONE, type CalendarDate } from './zone.ts';
