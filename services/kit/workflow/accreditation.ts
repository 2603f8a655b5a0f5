// Accreditation of certifying centres (куәландырушы орталықтарды аккредиттеу) as one definition in two versions:
// v1 the 2014 regulation (MTC Order 209, App. 4), v2 the 2022 Rules (MDDIAI Order 224/НҚ as amended in 2022).
// Act mapping as in informatization.ts; the commission's quorum and the on-site checklist are gaps (ACCREDITATION_GAPS).
import { APPC, LAW_ON_STATE_SERVICES } from './acts.ts';
import { defineService, type LegalAct, type ServiceDefinition, type TimeLimit } from './definition.ts';
import { chain, GOV_DECREE_136_2014, MID_ORDER_877_2015, MTC_ORDER_209_2014 } from './informatization.ts';

/** The Rules the 2014 regulation applies («Куәландырушы орталықтарды аккредиттеуді жүргізу қағидасы»); its criteria are not in the seeds. */
export const GOV_DECREE_1222_2010: LegalAct = {
  act: 'Decree of the Government of the RK "On approval of the Rules for accreditation of certifying centres"',
  number: '1222',
  date: '2010-11-19',
  inForceNote: 'not in the seeds',
  sets: 'the accreditation criteria the 2014 commission checks against; not in the seeds',
};

/** The base order of the current Rules, State Register No. 20815. */
export const MDDIAI_ORDER_224_2020: LegalAct = {
  act: 'Order of the Minister of Digital Development, Innovations and Aerospace Industry of the RK "On approval of the Rules for conducting accreditation of certifying centres"',
  number: '224/НҚ',
  date: '2020-06-01',
  registrationNo: '20815',
  inForceNote: 'the 2020 text is not in the seeds; its Rules were rewritten in full in 2022',
  sets: 'the order the 2022 amendment rewrites',
};

/** The 2022 amendment: the seed leaves its day, month and number blank (ca-accreditation §6.1), so `date` holds the year only. */
export const MDDIAI_ORDER_2022_AMENDING_224: LegalAct = {
  act: 'Order of the MDDIAI Minister (B. Musin) amending Order No. 224/НҚ: "Rules for issuing and revoking the certificate of accreditation of certifying centres"',
  number: 'not in the seed',
  date: '2022',
  inForceNote: '10 CD after first official publication (point 4), date not in the seed; [external, unverified] a legal database says the earlier text ran until 17.10.2022, which v2 takes as its start',
  sets: 'paras 5–15: registration same day, completeness 2 WD, documentary 3 WD, on-site 6 WD, act same day, decision next WD, result 1 WD: 13 WD; free; portal only',
};

const wd = (amount: number): TimeLimit => ({ unit: 'working_days', amount });
const cd = (amount: number): TimeLimit => ({ unit: 'calendar_days', amount });
const hours = (amount: number): TimeLimit => ({ unit: 'hours', amount });
const SAME_DAY: TimeLimit = { unit: 'same_day', amount: 0 };

// Order 209: not before 2014-05-09 (UTC+6 then). 2022 amendment: [external, unverified] 17 October 2022 (UTC+6 then).
const IN_FORCE_2014 = new Date('2014-05-09T00:00:00+06:00');
export const IN_FORCE_2022 = new Date('2022-10-17T00:00:00+06:00');

const TITLE = {
  en: 'Accreditation of certifying centres',
  kk: 'Куәландырушы орталықтарды аккредиттеу',
};

/**
 * Version 1, MTC Order 209 App. 4 (informatization §2.4): paper, the standing Commission of the authorised bodies.
 * Until = v2's in-force date: Order 877 (2015) and the 2020 text of 224/НҚ are not in the seeds, so v1 stands for them.
 */
export const ACCREDITATION_CERTIFYING_CENTER_2014: ServiceDefinition = defineService({
  id: 'accreditation.certifying_center',
  version: 1,
  title: TITLE,
  legalBasis: [
    { ...MTC_ORDER_209_2014, sets: `${MTC_ORDER_209_2014.sets}; this service is its Appendix 4` },
    GOV_DECREE_136_2014,
    GOV_DECREE_1222_2010,
    MID_ORDER_877_2015,
    APPC,
    LAW_ON_STATE_SERVICES,
  ],
  inForce: { from: IN_FORCE_2014, until: IN_FORCE_2022 },
  applicantKinds: ['legal_entity'], // the text names certifying centres without a legal form; a CA is a legal entity
  participants: ['registrar', 'head', 'executor', 'commission_member'], // para 7, and the Commission (external)
  // No total in the text: 11 h 10 min + 7 WD + 21 CD, «about 5 weeks» (informatization §1.2); 35 CD.
  deadline: cd(35),
  steps: chain([
    { id: 'registration', title: 'step 1 office: register the application in МО БЭҚАЖ, pass to the Committee Head (40 min, §5.23)', kazakh: 'МО БЭҚАЖ-да тіркеу', role: 'registrar', limit: hours(40 / 60), outputs: ['registered (6.1)'], actions: ['register'] },
    { id: 'committee_resolution', title: 'step 2 Committee Head: resolution to the head of the Directorate', kazakh: 'комитет басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution (6.2)'], actions: ['assign_executor'] },
    { id: 'directorate_resolution', title: 'step 3 head of Directorate: resolution to the expert and/or chief expert', kazakh: 'басқарма басшысының бұрыштамасы', role: 'head', limit: hours(2), outputs: ['resolution (6.3)'], actions: ['assign_executor'] },
    {
      id: 'review',
      title: 'step 4 expert: check completeness and correct filling; draft the letter to the Commission members (date, time, place of the meeting)',
      kazakh: 'толықтығы мен дұрыс толтырылуын тексеру',
      role: 'executor',
      limit: wd(2),
      outputs: ['application reviewed; draft letter with the Commission order and the application (6.4)'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    { id: 'letter_agreement', title: 'step 5 head of Directorate: agree the letter', kazakh: 'келісу', role: 'head', limit: hours(2), outputs: ['agreed'], actions: ['record_finding'] },
    { id: 'letter_signature', title: 'step 6 Committee Head: sign the letter', kazakh: 'қол қою', role: 'head', limit: hours(2), outputs: ['signed (6.5)'], actions: ['record_finding'] },
    { id: 'letter_dispatch', title: 'step 7 office: register and send the letter via БЭҚАЖ to the Commission members', kazakh: 'БЭҚАЖ арқылы жіберу', role: 'registrar', limit: hours(0.5), outputs: ['sent to the Commission members (6.6)'], actions: ['record_finding'] },
    {
      id: 'commission_meeting',
      title: 'step 8 Commission: review the application against the Standard and the Rules (Decree 1222); protocol in five copies (§5.22)',
      kazakh: 'комиссия отырысы, хаттама бес данада',
      role: 'commission_member',
      limit: wd(5), // from sending the letter
      outputs: ['Commission protocol (хаттама) signed (6.7)'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    { id: 'onsite_notice', title: 'step 8b expert: notify the recipient in writing with a copy of the protocol', kazakh: 'барып тексеруді жүргізу туралы хабарлама', role: 'executor', limit: cd(1), outputs: ['notification with the protocol sent (6.8)'], actions: ['record_finding'] },
    {
      id: 'onsite_inspection',
      title: 'step 8c Commission: on-site inspection of the certifying centre; the act (18 CD from the notice, §5.21)',
      kazakh: 'куәландырушы орталықты барып тексеру, акт',
      role: 'commission_member',
      limit: cd(18),
      outputs: ['inspection act (акт)'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    {
      id: 'certificate',
      title: 'step 8d expert: issue the certificate on the Commission\'s act (2 CD); the refusal (§5.20) signed by the Committee Head',
      kazakh: 'куәлік беру',
      role: 'executor',
      limit: cd(2),
      outputs: ['paper certificate (куәлік) of accreditation (6.9), or the reasoned refusal'],
      actions: ['sign', 'refuse'],
    },
  ]),
  // §5.20: no refusal in the result clause; one exists (negative protocol or act) and the Committee Head signs the Committee's letters.
  refusalPoints: [{ step: 'certificate', role: 'head', grounds: ['incomplete or incorrect application (step 4)', 'non-compliance with the Standard or the Rules (protocol, step 8)', 'failed on-site inspection (act, step 8c)'] }],
  pausePoints: [],
  fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false }, // not in the text (the Standard)
  requiredAttachments: [{ id: 'application', title: 'application with the documents of para 9 of the Standard (not in the seed)', kazakh: 'өтініш' }],
  subKinds: [],
  baseVariant: 'accreditation',
  variants: {},
});

const GROUNDS_2022 = [
  'the documents or data are unreliable (дәйексіздік)',
  'the recipient or its materials do not meet the requirements of normative legal acts',
  'a court decision in force bans the activity',
  'a court decision in force deprived the recipient of a special right tied to the service',
  'incomplete documents (para 9); non-conforming documents (para 12, minutes); the act (paras 13–14)',
];

/** Version 2, the 2022 Rules (ca-accreditation §2.3): portal only, 13 WD from registration, free, the result in the personal cabinet. */
export const ACCREDITATION_CERTIFYING_CENTER: ServiceDefinition = defineService({
  id: 'accreditation.certifying_center',
  version: 2,
  title: TITLE,
  legalBasis: [MDDIAI_ORDER_2022_AMENDING_224, MDDIAI_ORDER_224_2020, APPC, LAW_ON_STATE_SERVICES],
  inForce: { from: IN_FORCE_2022 },
  applicantKinds: ['legal_entity'], // para 3: заңды тұлғалар
  // office and the provider's employee; the provider's decision ('head'); the Commission; the authorised person's EDS ('signatory')
  participants: ['registrar', 'executor', 'commission_member', 'head', 'signatory'],
  deadline: wd(13), // Table row 4: from registration in the office; 2 + 3 + 6 + 1 + 1
  steps: chain([
    {
      id: 'registration',
      title: 'para 7 office: register the portal application, send it to the executor (after hours: next WD)',
      kazakh: 'тіркеу',
      role: 'registrar',
      limit: SAME_DAY,
      outputs: ['application registered; registration certificate of the legal entity fetched via the e-government gateway'],
      actions: ['register'],
    },
    {
      id: 'completeness',
      title: 'paras 8–9 provider\'s employee: check the documents against the List; refusal of further consideration if incomplete',
      kazakh: 'құжаттардың толықтығын тексеру',
      role: 'executor',
      limit: wd(2),
      outputs: ['complete, or the reasoned refusal of further consideration (ends the case)'],
      actions: ['record_finding', 'preliminary_refusal', 'refuse'],
    },
    {
      id: 'commission_notice',
      title: 'paras 10–11: notify the recipient of the two-stage commission inspection; the letter to the members the same day',
      kazakh: 'комиссиямен тексеру туралы хабарлама',
      role: 'executor',
      limit: SAME_DAY, // §6.4: no own limit; within the completeness window, the 13 WD need it
      outputs: ['notice in the personal cabinet; letter to the commission members, who are named in it'],
      actions: ['convene_commission'],
    },
    {
      id: 'documentary_inspection',
      title: 'para 12 commission: documentary stage, the content of the documents and earlier acts; refusal recorded in minutes',
      kazakh: 'құжаттық тексеру',
      role: 'commission_member',
      limit: wd(3), // from the day the recipient was notified
      outputs: ['documents conform, or minutes (хаттама) with the grounds for refusal (ends the case)'],
      actions: ['record_finding', 'preliminary_refusal', 'refuse'],
    },
    { id: 'onsite_notice', title: 'para 12: notify the recipient of the on-site inspection at the infrastructure (within the documentary window, §6.5)', kazakh: 'көшпелі тексеру туралы хабарлама', role: 'executor', limit: SAME_DAY, outputs: ['notice in the personal cabinet'], actions: ['record_finding'] },
    {
      id: 'onsite_inspection',
      title: 'para 12 commission: on-site stage, documents against reality and the 15 items (§2.5)',
      kazakh: 'көшпелі тексеру',
      role: 'commission_member',
      limit: wd(6), // from the day of the on-site notice
      outputs: ['inspection finished'],
      // The preliminary refusal (APPC art. 73) is sent while the commission is on site, so the act can follow.
      actions: ['record_finding', 'preliminary_refusal'],
    },
    {
      id: 'act',
      title: 'para 13 commission: the act on the results, drawn up the day the inspection ends, signed by 2/3 incl. the national-security member',
      kazakh: 'тексеру нәтижелері туралы акт',
      role: 'commission_member',
      limit: SAME_DAY,
      outputs: ['act: actual condition, conclusions, recommendations; adopted once its signatures are in'],
      // Each member signs the act or dissents with reasons; record_finding adopts it.
      actions: ['vote', 'record_finding', 'preliminary_refusal'],
      quorum: { share: [2, 3], requiredBodies: ['national_security'], basis: 'para 13 (two thirds, including the national-security member)' },
    },
    {
      id: 'decision',
      title: 'para 14 provider: decide to issue or refuse in line with the act',
      kazakh: 'шешім',
      role: 'head',
      limit: wd(1), // within the next WD after the act
      outputs: ['decision to issue or to refuse'],
      // The decision is the draft of the result: it must follow the act's finding, and 'sign' cannot issue a refusal.
      actions: ['draft_result'],
    },
    {
      id: 'result',
      title: 'para 15: the certificate (App. 3, valid 3 years) or the reasoned refusal, signed with the EDS of the authorised person',
      kazakh: 'аккредиттеу туралы куәлік',
      role: 'signatory',
      limit: wd(1), // within 1 WD after the decision
      outputs: ['certificate of accreditation in the personal cabinet, or reasoned refusal (дәлелді бас тарту)'],
      actions: ['sign', 'refuse'],
    },
  ]),
  refusalPoints: [
    { step: 'completeness', role: 'executor', grounds: ['incomplete documents against the List (para 9): refusal of further consideration'] },
    { step: 'documentary_inspection', role: 'commission_member', grounds: ['the documents or their content do not conform (para 12): the commission\'s minutes'] },
    { step: 'result', role: 'signatory', grounds: GROUNDS_2022 },
  ],
  pausePoints: [],
  // §6.15: no hearing in the text; APPC art. 73 applies today (the default), and its window does not fit the 1-WD decision.
  fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false }, // Table row 7: free
  requiredAttachments: [
    { id: 'application', title: 'application (Appendix 2 form)', kazakh: 'куәлік беруге өтініш' },
    { id: 'software_licences', title: 'licences for proprietary software, or proof of copyright', kazakh: 'лицензиялар / авторлық құқық' },
    { id: 'module_and_eds_schemes', title: 'scheme of interaction of modules and the EDS schemes', kazakh: 'модульдердің өзара іс-қимылының схемасы' },
    { id: 'hardware_locations', title: 'location of primary and backup servers and HSMs (serial, model, manufacturer)', kazakh: 'нақты орналасқан жері' },
    { id: 'normative_documents', title: 'IS policy, operating regulation, certificate policy, CA regulation', kazakh: 'нормативтік-техникалық құжаттар' },
    { id: 'emergency_instruction', title: 'instruction for extraordinary and crisis situations', kazakh: 'штаттан тыс, дағдарысты жағдайлар' },
    { id: 'backup_instruction', title: 'backup instruction', kazakh: 'резервтік көшіру' },
    { id: 'installation_documents', title: 'list of documents governing installation and configuration', kazakh: 'орнату және жөнге келтіру' },
    { id: 'cipf_certificates', title: 'CIPF conformity certificates, ST RK 1073-2007 level ≥ 2', kazakh: 'АКҚҚ сәйкестік сертификаттары' },
  ],
  subKinds: [],
  baseVariant: 'accreditation',
  variants: {},
});

export const ACCREDITATION_VERSIONS: readonly ServiceDefinition[] = [ACCREDITATION_CERTIFYING_CENTER_2014, ACCREDITATION_CERTIFYING_CENTER];

/** What the Rules say that this engine cannot run; the accreditation service must carry it. */
export const ACCREDITATION_GAPS: readonly string[] = [
  'the 15-item on-site checklist (para 12, §2.5) is structured by the licensing service, not by the definition; the documentary stage\'s earlier acts are not fetched',
  'the IS test act required only for CAs integrated with state IS (List item 9.3): the licensing service checks it, the definition cannot make an attachment conditional',
  'the documentary stage\'s minutes are signed by one commission member; the rules give them no quorum',
  'the APPC hearing\'s 2-WD window does not fit the 1-WD decision; the text has none (§6.15)',
  'procedures B and C (accreditation-revocation.ts): the provider\'s consideration of objections to the examination act and its review of a change notice have no limit in the text; 30 WD and 10 WD are derived',
  'v1 has no drafting step, so \'sign\' does not check a negative finding there (the engine guards the result only through a draft)',
  'v1: the Commission\'s composition by the integrates-with-state-IS flag; minutes (40, 30) as fractions of hours; the calendar holds 2024–2027 only, so a v1 case cannot be timed',
];
