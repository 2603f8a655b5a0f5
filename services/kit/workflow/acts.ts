// The legal acts the definitions cite, and the rules of today's general law that every new definition gets by default.
import type { AppealRoute, HearingSettings, LegalAct } from './definition.ts';

/** Base act: approves the NSC regulations (регламенттер); State Register No. 11509, published in "Әділет" on 14.07.2015. */
export const NSC_ORDER_43: LegalAct = {
  act: 'Order of the Chairman of the NSC of the RK "On approval of the regulations of state services provided by the NSC"',
  number: '43',
  date: '2015-05-27',
  registrationNo: '11509',
  inForceNote: 'regulations as amended by 98/қе (2017) and 46/қе (2019); repealed with them by Order 34/қе of 6 May 2020 (A19)',
  sets: 'the regulations as such: provider, portal channel, participants',
};

/** 2017 amendments: "authorised person" (уәкілетті тұлға) signs; review and drafting were one step. */
export const NSC_ORDER_98QE_2017: LegalAct = {
  act: 'Order of the Chairman of the NSC of the RK on amendments to Order No. 43',
  number: '98/қе',
  date: '2017-10-25',
  registrationNo: '15996',
  inForceNote: '10 CD after first official publication (date not in the seeds); superseded for services 1–6 by 46/қе',
  sets: 'the 2017 wording: authorised person as signatory',
};

/** 2019 amendments: the full text of the licence regulations the definitions follow. */
export const NSC_ORDER_46QE_2019: LegalAct = {
  act: 'Order of the Chairman of the NSC of the RK on amendments and additions to Order No. 43',
  number: '46/қе',
  date: '2019-06-28',
  registrationNo: '18982',
  inForceNote: '21 CD after first official publication; the seeds give only the registration (2019-07-05), so not before 2019-07-26',
  sets: 'steps, step limits (same day, 13/1 WD, 1 WD, 1 WD), participants, refusal by the head of the Licensing Department',
};

/** The repeal: recorded as a fact; per A19 the texts stay the domain model until current rules are loaded as a new version. */
export const NSC_ORDER_34QE_2020: LegalAct = {
  act: 'Order of the Chairman of the NSC of the RK repealing Order No. 43 and its amendments',
  number: '34/қе',
  date: '2020-05-06',
  inForceNote: '21 CD after first official publication (date not in the seeds)',
  sets: 'nothing in force; listed so that no one mistakes the 2019 limits for current law (A19)',
};

/** [external, verify before go-live] Administrative Procedural Code of the RK of 29.06.2020 No. 350-VI, in force 01.07.2021. */
export const APPC: LegalAct = {
  act: 'Administrative Procedural Code of the Republic of Kazakhstan',
  number: '350-VI',
  date: '2020-06-29',
  inForceFrom: '2021-07-01',
  sets: 'art. 73 hearing (заслушивание) before an unfavourable decision: preliminary refusal, objection window',
};

/** [external, verify before go-live] Law "On State Services" of 15.04.2013 No. 88-V: complaints (шағым) and their terms. */
export const LAW_ON_STATE_SERVICES: LegalAct = {
  act: 'Law of the RK "On State Services"',
  number: '88-V',
  date: '2013-04-15',
  sets: 'appeal terms: 5 WD by the provider\'s head, 15 WD by the quality-assessment body (issue 5)',
};

/** The hearing every new definition gets unless it says otherwise; the window is configurable per definition. */
export const APPC_HEARING: HearingSettings = {
  enabled: true,
  // [external, verify] the objection window of APPC art. 73 as commonly applied in state-service rules: 2 WD.
  objectionWindow: { unit: 'working_days', amount: 2 },
  basis: 'APPC art. 73',
};

export const STATE_SERVICE_APPEALS: AppealRoute[] = [
  { to: 'head_of_provider', limit: { unit: 'working_days', amount: 5 }, basis: 'Law "On State Services" art. 25 (issue 5)' },
  { to: 'quality_body', limit: { unit: 'working_days', amount: 15 }, basis: 'Law "On State Services" art. 25 (issue 5)' },
];
