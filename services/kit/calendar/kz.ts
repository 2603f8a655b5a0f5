// Kazakhstan's days off as data: the holidays fixed by law, and per year the movable Kurban Ait and the
// transfers of days off ordered by the Government / Minister of Labour. Code derives the rest.
import type { CalendarDate } from './zone.ts';

/** 'confirmed': an official act or the egov.kz calendar states it; 'estimate': to be confirmed. */
export type Confidence = 'confirmed' | 'estimate';

/** A holiday on the same date every year (Law "On holidays in the RK" No. 267-II of 13.12.2001). */
export interface FixedHoliday {
  month: number;
  day: number;
  name: string;
  kazakh: string;
  /** Religious holidays are days off, but one that falls on a weekend moves no day (Labour Code art. 85). */
  religious: boolean;
}

/** A government transfer (перенос дня отдыха): a weekend day becomes working, a weekday becomes a day off. */
export interface Transfer {
  workday: CalendarDate;
  dayOff: CalendarDate;
  source: string;
  confidence: Confidence;
}

export interface YearData {
  /** First day of Kurban Ait (Құрбан айт), set each year from the lunar calendar (ДУМК / Ministry of Labour). */
  kurbanAit: { date: CalendarDate; source: string; confidence: Confidence };
  transfers: Transfer[];
  /** Whether the list of transfers is known to be complete for the year, and from where. */
  transfersComplete: { confidence: Confidence; source: string };
}

export interface CalendarData {
  fixed: FixedHoliday[];
  years: Record<number, YearData>;
}

// Source for the list and the weekend rule: Law No. 267-II arts. 2, 3, 5 and Labour Code (2015) arts. 84–85,
// as amended in 2022 (Republic Day restored, First President Day and 17 December removed).
const FIXED: FixedHoliday[] = [
  { month: 1, day: 1, name: 'New Year', kazakh: 'Жаңа жыл', religious: false },
  { month: 1, day: 2, name: 'New Year', kazakh: 'Жаңа жыл', religious: false },
  { month: 1, day: 7, name: 'Orthodox Christmas', kazakh: 'Православиелік Рождество', religious: true },
  { month: 3, day: 8, name: "International Women's Day", kazakh: 'Халықаралық әйелдер күні', religious: false },
  { month: 3, day: 21, name: 'Nauryz', kazakh: 'Наурыз мейрамы', religious: false },
  { month: 3, day: 22, name: 'Nauryz', kazakh: 'Наурыз мейрамы', religious: false },
  { month: 3, day: 23, name: 'Nauryz', kazakh: 'Наурыз мейрамы', religious: false },
  { month: 5, day: 1, name: 'Unity Day', kazakh: 'Қазақстан халқының бірлігі мерекесі', religious: false },
  { month: 5, day: 7, name: 'Defender of the Fatherland Day', kazakh: 'Отан қорғаушы күні', religious: false },
  { month: 5, day: 9, name: 'Victory Day', kazakh: 'Жеңіс күні', religious: false },
  { month: 7, day: 6, name: 'Capital Day', kazakh: 'Астана күні', religious: false },
  { month: 8, day: 30, name: 'Constitution Day', kazakh: 'Конституция күні', religious: false },
  { month: 10, day: 25, name: 'Republic Day', kazakh: 'Республика күні', religious: false },
  { month: 12, day: 16, name: 'Independence Day', kazakh: 'Тәуелсіздік күні', religious: false },
];

export const KURBAN_AIT = { name: 'Kurban Ait', kazakh: 'Құрбан айт' } as const;

const YEARS: Record<number, YearData> = {
  2024: {
    kurbanAit: { date: '2024-06-16', source: 'issue 5 (known date); 10 Dhu al-Hijjah 1445; a Sunday, so no day moved', confidence: 'confirmed' },
    transfers: [
      {
        workday: '2024-05-04',
        dayOff: '2024-05-08',
        // Order of the acting Minister of Labour of 17.04.2024 "О переносе дня отдыха в 2024 году" (Labour Code art. 85(3)).
        source: 'Minister of Labour order of 17.04.2024, reported by zakon.kz, nur.kz, sputnik.kz on 18.04.2024',
        confidence: 'confirmed',
      },
    ],
    // January 2024 had none (Labour ministry, Dec 2023); no other 2024 order found, adilet.zan.kz not checked.
    transfersComplete: { confidence: 'estimate', source: 'press reports; no other 2024 order found' },
  },
  2025: {
    kurbanAit: { date: '2025-06-06', source: 'issue 5 (known date); mgorod.kz on the 2025 calendar (Friday 6 June)', confidence: 'confirmed' },
    transfers: [
      {
        // A Sunday made working, unusually: 1–4 January off for the five-day week.
        workday: '2025-01-05',
        dayOff: '2025-01-03',
        source: 'Minister of Labour order (Dec 2024), reported by azattyq-ruhy.kz, informburo.kz',
        confidence: 'confirmed',
      },
    ],
    // Published total for the five-day week: 119 days off; our derivation gives the same (see tests).
    transfersComplete: { confidence: 'confirmed', source: 'egov.kz calendar 2025 as reported: 119 days off; 8 May not bridged (informburo.kz)' },
  },
  2026: {
    // ДУМК's 2026 calendar (muftyat.kz, 06.11.2025) says 27 May, "may shift by a day with the new moon".
    kurbanAit: { date: '2026-05-27', source: 'ДУМК calendar 2026; egov.kz calendar 2026 ("ориентировочно")', confidence: 'estimate' },
    transfers: [],
    // egov.kz 2026 calendar: only the Labour Code moves (9 Mar, 24–25 Mar, 11 May, 31 Aug, 26 Oct); 119 off / 246 working.
    transfersComplete: { confidence: 'confirmed', source: 'egov.kz calendar 2026 as reported by inform.kz, tengrinews.kz' },
  },
  2027: {
    // Astronomical estimate (10 Dhu al-Hijjah 1448); a Sunday, so a one-day error could make Monday 17 May a day off.
    kurbanAit: { date: '2027-05-16', source: 'astronomical estimate, not yet set by ДУМК / Ministry of Labour', confidence: 'estimate' },
    transfers: [],
    // No 2027 transfer order was found; one is likely (e.g. a bridge for Monday 5 July), so re-check before relying on July.
    transfersComplete: { confidence: 'estimate', source: 'none published when written (Nov 2026)' },
  },
};

export const KZ_CALENDAR: CalendarData = { fixed: FIXED, years: YEARS };
