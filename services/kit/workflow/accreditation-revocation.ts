// Revocation of a certificate of accreditation (ch. 3 of the 2022 Rules) on the case flow: procedure B on a complaint
// (paras 21–23) and procedure C on a change notice (para 24), which joins B at its on-site examination.
// Here a finding that "complies" means the ground for revocation holds (para 19.2); closing without revocation is 'refuse'.
import { LAW_ON_STATE_SERVICES } from './acts.ts';
import { IN_FORCE_2022, MDDIAI_ORDER_2022_AMENDING_224 } from './accreditation.ts';
import { defineService, type HearingSettings, type ServiceDefinition, type StepDefinition, type TimeLimit } from './definition.ts';

const wd = (amount: number): TimeLimit => ({ unit: 'working_days', amount });
const SAME_DAY: TimeLimit = { unit: 'same_day', amount: 0 };

// The centre's explanations and objections (paras 21–22) are its hearing; the engine's APPC hearing is for applicants.
const NO_APPC_HEARING: HearingSettings = { enabled: false, objectionWindow: wd(2), basis: 'paras 21–22: explanations and objections of the centre' };
const FEES = { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false };

/** B from its step 5 (§2.9): the examination, its act, the objections, and para 23's remediation follow-up to the decision. */
const EXAMINATION_AND_FOLLOW_UP: StepDefinition[] = [
  { id: 'examination_notice', title: 'para 21: notify the centre of the date and subject of the on-site examination; the commission named', kazakh: 'көшпелі зерттеп-қарау туралы хабарлама', role: 'executor', limit: SAME_DAY, outputs: ['notice with the date and subject; the commission (chair, secretary, ≥ 5 members)'], actions: ['convene_commission'], next: 'examination' },
  { id: 'examination', title: 'para 22: the commission\'s on-site examination at the infrastructure, within 6 WD of the notice', kazakh: 'көшпелі зерттеп-қарау', role: 'commission_member', limit: wd(6), outputs: ['violations found, or none'], actions: ['record_finding'], next: 'examination_act' },
  {
    id: 'examination_act',
    title: 'para 22: the examination act, valid with ≥ 3 signatures of ≥ 5 members, the secretary not counted; "no violations" ends the case',
    kazakh: 'зерттеп-қарау актісі',
    role: 'commission_member',
    limit: SAME_DAY,
    outputs: ['act adopted: violations (on to the objections), or the no-violation mark (refuse: the case ends)'],
    actions: ['vote', 'record_finding', 'refuse'],
    quorum: { minSignatures: 3, minMembers: 5, uncounted: ['secretary'], basis: 'para 22 (at least 3 of at least 5 members, the secretary not counted)' },
    next: 'objections',
  },
  {
    id: 'objections',
    title: 'para 22: the centre\'s explanations and objections to the act considered, the result told; then recommendations, or revocation now (§6.8)',
    kazakh: 'актіге қарсылықтар',
    role: 'executor',
    limit: wd(30), // [derived] no limit in the text: the 30 WD the centre has for explanations (para 21)
    outputs: ['objections and the answer recorded (or none received)'],
    actions: ['record_finding'],
    exits: [{ id: 'revoke', to: 'decision', basis: '§6.8: the provider may revoke after answering the objections, with recorded reasons' }],
    next: 'recommendations',
  },
  { id: 'recommendations', title: 'paras 21, 24: written recommendations to eliminate the violations, with their remediation period', kazakh: 'бұзушылықтарды жою туралы ұсынымдар', role: 'executor', limit: SAME_DAY, outputs: ['recommendations sent'], actions: ['record_finding'], next: 'remediation' },
  {
    id: 'remediation',
    title: 'paras 21, 23: the remediation period (≤ 60 WD, longer by agreement); the report that the violations are eliminated ends the case',
    kazakh: 'бұзушылықтарды жою',
    role: 'executor',
    limit: wd(60), // para 21: at most 60 WD from receipt of the recommendations
    outputs: ['violations eliminated (refuse: closed), or the period out without a report'],
    actions: ['record_finding', 'agree_period', 'refuse'],
    awaitsDeadline: true, // the missed report is recorded only once the period has run out
    next: 'reminder',
  },
  { id: 'reminder', title: 'para 23: the request to report on the recommendations, within 2 WD of the missed report', kazakh: 'ұсынымдардың орындалуы туралы сұрау', role: 'executor', limit: wd(2), outputs: ['reminder sent; its answer, or none'], actions: ['record_finding'], next: 'decision' },
  { id: 'decision', title: 'para 23: the decision to revoke (violations not eliminated, damage to users, para 19.2), or to close', kazakh: 'кері қайтарып алу туралы шешім', role: 'head', limit: wd(1), outputs: ['draft decision'], actions: ['draft_result'], next: 'revocation' },
  { id: 'revocation', title: 'the decision signed: the certificate revoked, or the case closed', kazakh: 'кері қайтарып алу', role: 'head', limit: wd(1), outputs: ['revocation decision, or reasoned closing'], actions: ['sign', 'refuse'] },
];

const TAIL_REFUSALS = [
  { step: 'examination_act', role: 'commission_member' as const, grounds: ['the examination act records no violations (para 22): the case ends with that mark'] },
  { step: 'remediation', role: 'head' as const, grounds: ['the centre reported the violations eliminated within the remediation period (para 23)'] },
  { step: 'revocation', role: 'head' as const, grounds: ['the violations were eliminated after the reminder: closed without revocation'] },
];

/**
 * Procedure B (§2.9): complaint → request for explanations (3 WD) → explanation (30 WD) → recommendations and remediation
 * (≤ 60 WD, longer by agreement) → reminder (2 WD) → decision; no explanation in 30 WD, or disagreement without grounds,
 * goes straight to the on-site examination (6 WD), whose act ends the case or leads to the objections and remediation.
 * 3 + 30 + 6 + 30 + 60 + 2 + 1 + 1 WD on the longest path.
 */
export const ACCREDITATION_REVOCATION: ServiceDefinition = defineService({
  id: 'accreditation.revocation',
  version: 1,
  title: { en: 'Revocation of a certificate of accreditation of a certifying centre (procedure B)', kk: 'Куәландырушы орталықтарды аккредиттеу туралы куәлікті кері қайтарып алу' },
  legalBasis: [{ ...MDDIAI_ORDER_2022_AMENDING_224, sets: 'ch. 3, paras 19.2, 21–23: explanations 3 WD, answer 30 WD, remediation ≤ 60 WD or agreed, examination 6 WD, act ≥ 3 of ≥ 5 without the secretary, reminder 2 WD' }, LAW_ON_STATE_SERVICES],
  inForce: { from: IN_FORCE_2022 },
  applicantKinds: ['individual', 'legal_entity'], // para 21: a complaint of individuals or legal entities
  participants: ['registrar', 'executor', 'commission_member', 'head'],
  deadline: wd(133), // the longest path; an agreed remediation period moves it
  steps: [
    { id: 'registration', title: 'the complaint registered the day it is received', kazakh: 'шағымды тіркеу', role: 'registrar', limit: SAME_DAY, outputs: ['complaint registered'], actions: ['register'], next: 'explanations_request' },
    { id: 'explanations_request', title: 'para 21: request the centre\'s explanations on the complaint', kazakh: 'түсініктеме сұрау', role: 'executor', limit: wd(3), outputs: ['request for explanations sent'], actions: ['record_finding'], next: 'explanations' },
    {
      id: 'explanations',
      title: 'para 21: the centre\'s explanation with its objections considered; none within 30 WD, or disagreement without grounds, escalates',
      kazakh: 'түсініктеме',
      role: 'executor',
      limit: wd(30), // §6.3: 30 WD from the provider's request
      outputs: ['explanation recorded and answered: recommendations; or the escalation to the on-site examination'],
      actions: ['record_finding'],
      exits: [
        { id: 'no_explanation', to: 'examination_notice', afterDeadline: true, basis: 'para 21: the explanation not provided within 30 WD' },
        { id: 'disagreement', to: 'examination_notice', basis: 'para 21: the centre disagrees with the violation without grounds' },
      ],
      next: 'recommendations',
    },
    ...EXAMINATION_AND_FOLLOW_UP,
  ],
  refusalPoints: TAIL_REFUSALS,
  pausePoints: [],
  hearing: NO_APPC_HEARING,
  fees: FEES,
  requiredAttachments: [],
  subKinds: [],
  baseVariant: 'complaint',
  variants: {},
});

// Procedure C (§2.9, para 24) is its own definition, not an entry into B: the engine starts a case only at its first step.
/**
 * Procedure C: the centre's change notice
 * (10 WD from the change, §6.13) → the provider's review → recommendations (≤ 60 WD) → if measures are not taken, the
 * decision on the commission's on-site inspection, which runs as B from its step 5. 10 + 60 + B's 100 WD tail.
 */
export const ACCREDITATION_CHANGES: ServiceDefinition = defineService({
  id: 'accreditation.changes',
  version: 1,
  title: { en: 'Changes in the operating conditions of an accredited certifying centre (procedure C)', kk: 'Куәландырушы орталықтың жұмыс істеу шарттарының өзгеруі' },
  legalBasis: [{ ...MDDIAI_ORDER_2022_AMENDING_224, sets: 'ch. 3, para 24: the change notice within 10 WD, recommendations, the on-site inspection under paras 21–23' }, LAW_ON_STATE_SERVICES],
  inForce: { from: IN_FORCE_2022 },
  applicantKinds: ['legal_entity'], // the accredited centre notifies
  participants: ['registrar', 'executor', 'commission_member', 'head'],
  deadline: wd(170),
  steps: [
    { id: 'registration', title: 'para 24: the change notice registered the day it is received (late if beyond 10 WD of the change)', kazakh: 'өзгерістер туралы ақпаратты тіркеу', role: 'registrar', limit: SAME_DAY, outputs: ['notice registered'], actions: ['register'], next: 'review' },
    {
      id: 'review',
      title: 'para 24: the provider compares the changes with the centre\'s required state; discrepancies → recommendations',
      kazakh: 'нақты сипаттамаларын салыстыру',
      role: 'executor',
      limit: wd(10), // [derived] no limit in the text: the centre's own 10 WD
      outputs: ['discrepancies found and the recommendations decided, or none (refuse: the notice is closed)'],
      actions: ['record_finding', 'refuse'],
      next: 'measures',
    },
    {
      id: 'measures',
      title: 'para 24: the period to take the measures (as para 21: ≤ 60 WD, longer by agreement); not taken → the decision on an on-site inspection',
      kazakh: 'қажетті шаралар',
      role: 'head',
      limit: wd(60),
      outputs: ['measures taken (refuse: closed), or the decision on the commission\'s on-site inspection'],
      actions: ['record_finding', 'agree_period', 'refuse'],
      awaitsDeadline: true,
      next: 'examination_notice',
    },
    ...EXAMINATION_AND_FOLLOW_UP,
  ],
  refusalPoints: [
    { step: 'review', role: 'head', grounds: ['the changes show no discrepancy with the requirements: the notice is closed'] },
    { step: 'measures', role: 'head', grounds: ['the centre took the required measures within the period (para 24)'] },
    ...TAIL_REFUSALS,
  ],
  pausePoints: [],
  hearing: NO_APPC_HEARING,
  fees: FEES,
  requiredAttachments: [],
  subKinds: [],
  baseVariant: 'change_notice',
  variants: {},
});

/**
 * Procedure A (§2.9, para 20): the centre notifies its re-registration or the end of its activity, naming the time it
 * needs to complete the procedures the law requires; the executor records that period (`agree_period` to the named
 * day), and once it has run out the provider decides to revoke. The text sets no limit for the decision: 1 WD, as B's.
 */
export const ACCREDITATION_TERMINATION: ServiceDefinition = defineService({
  id: 'accreditation.termination',
  version: 1,
  title: { en: 'Revocation of a certificate of accreditation on the re-registration or termination of the centre (procedure A)', kk: 'Заңды тұлға қайта тіркелген немесе қызметі тоқтатылған кезде аккредиттеу туралы куәлікті кері қайтарып алу' },
  legalBasis: [{ ...MDDIAI_ORDER_2022_AMENDING_224, sets: 'ch. 3, paras 19.1, 20: the notification with the period needed; the decision to revoke when it runs out' }, LAW_ON_STATE_SERVICES],
  inForce: { from: IN_FORCE_2022 },
  applicantKinds: ['legal_entity'], // the accredited centre notifies
  participants: ['registrar', 'executor', 'head'],
  deadline: wd(3), // the named period is added when it is recorded (agree_period moves the case's term)
  steps: [
    { id: 'registration', title: 'para 20: the notification registered the day it is received', kazakh: 'хабарламаны тіркеу', role: 'registrar', limit: SAME_DAY, outputs: ['notification registered'], actions: ['register'], next: 'period' },
    {
      id: 'period',
      title: 'para 20: the period the notification names for completing the procedures; when it has run out, on to the decision',
      kazakh: 'рәсімдерді аяқтау мерзімі',
      role: 'executor',
      limit: SAME_DAY,
      outputs: ['the named period recorded (agree_period), then its end recorded'],
      actions: ['agree_period', 'record_finding'],
      awaitsDeadline: true,
      next: 'decision',
    },
    { id: 'decision', title: 'para 20: the decision to revoke (ground para 19.1)', kazakh: 'кері қайтарып алу туралы шешім', role: 'head', limit: wd(1), outputs: ['draft decision'], actions: ['draft_result'], next: 'revocation' },
    { id: 'revocation', title: 'the decision signed: the certificate revoked', kazakh: 'кері қайтарып алу', role: 'head', limit: wd(1), outputs: ['revocation decision'], actions: ['sign'] },
  ],
  refusalPoints: [],
  pausePoints: [],
  hearing: NO_APPC_HEARING,
  fees: FEES,
  requiredAttachments: [],
  subKinds: [],
  baseVariant: 'notification',
  variants: {},
});
