// The three NSC licences (§2.1–2.3) as data: Order 43 in the 2019 wording of 46/қе. Re-issue is a variant, not a definition.
import { APPC_HEARING, NSC_ORDER_34QE_2020, NSC_ORDER_43, NSC_ORDER_46QE_2019, NSC_ORDER_98QE_2017, APPC, LAW_ON_STATE_SERVICES } from './acts.ts';
import { defineService, type ServiceDefinition, type StepDefinition, type SubKind, type Title } from './definition.ts';

// 46/қе: 21 CD after publication; publication follows registration (2019-07-05), so the earliest day is 2019-07-26 (Almaty, UTC+6 then).
const IN_FORCE_2019 = new Date('2019-07-26T00:00:00+06:00');

const NON_COMPLIANCE = 'non-compliance with the established qualification requirements (белгіленген біліктілік талаптарына сәйкес болмау фактісі)';

/** Paras 5, 8, 10 of each licence regulation; identical for the three (§2.1, "Steps: identical to 2.1"). */
const STEPS: StepDefinition[] = [
  {
    id: 'registration',
    title: 'register the application and forward it to the responsible executor',
    kazakh: 'тіркеу',
    role: 'registrar',
    limit: { unit: 'same_day', amount: 0 }, // түскен күні — on the day of receipt
    outputs: ['application registered with a registration number and date'],
    actions: ['register'],
    next: 'review',
  },
  {
    id: 'review',
    title: 'review the application and check compliance with the qualification requirements',
    kazakh: 'біліктілік талаптарына сәйкестігін тексеру',
    role: 'executor',
    limit: { unit: 'working_days', amount: 13 }, // re-issue: 1 WD (variant below); A15: counted from registration
    outputs: ['finding of compliance or non-compliance (сәйкес болу/болмау фактісі)'],
    // The hearing (APPC art. 73) sits inside the review so the final decision keeps the 15 WD.
    actions: ['record_finding', 'preliminary_refusal'],
    next: 'drafting',
  },
  {
    id: 'drafting',
    title: 'form the draft of the result and send it for signature',
    kazakh: 'нәтижесінің жобасы',
    role: 'executor',
    limit: { unit: 'working_days', amount: 1 },
    outputs: ['draft result: licence, re-issued licence, or reasoned refusal of further consideration'],
    actions: ['draft_result'],
    next: 'signature',
  },
  {
    id: 'signature',
    title: 'sign the result (4a) or, on non-compliance, the reasoned refusal (4b)',
    kazakh: 'қол қою',
    role: 'signatory',
    // A8: the refusal branch replaces 4a and takes the same 1 WD from the draft's formation.
    limit: { unit: 'working_days', amount: 1 },
    outputs: ['e-document signed with the EDS (ЭЦҚ) of the authorised person, or the refusal signed by the head of the Licensing Department'],
    actions: ['sign', 'refuse'],
  },
];

function nscLicence(id: string, title: Title, appendix: number, subKinds: SubKind[]): ServiceDefinition {
  return defineService({
    id,
    version: 1,
    title,
    legalBasis: [
      { ...NSC_ORDER_43, sets: `${NSC_ORDER_43.sets}; this service is its Appendix ${appendix}` },
      { ...NSC_ORDER_98QE_2017, sets: `${NSC_ORDER_98QE_2017.sets} (Appendix ${appendix} of 98/қе replaced the business-process appendix)` },
      { ...NSC_ORDER_46QE_2019, sets: `${NSC_ORDER_46QE_2019.sets}; Appendix ${appendix} of 46/қе is the text followed` },
      NSC_ORDER_34QE_2020,
      APPC,
      LAW_ON_STATE_SERVICES,
    ],
    // A19: repealed in 2020 but kept as the model with no end date; current rules arrive as version 2 with their own `from`.
    inForce: { from: IN_FORCE_2019 },
    applicantKinds: ['individual', 'legal_entity'], // «жеке немесе заңды тұлғаның өтініші»
    participants: ['registrar', 'executor', 'head_of_licensing_department', 'signatory'], // para 7
    deadline: { unit: 'working_days', amount: 15 }, // A1: 13 + 1 + 1, registration inside day 1
    steps: STEPS,
    refusalPoints: [{ step: 'signature', role: 'head_of_licensing_department', grounds: [NON_COMPLIANCE] }],
    pausePoints: [], // the licence regulations name no request to the applicant that stops the clock
    hearing: APPC_HEARING, // not in the 2019 text; APPC art. 73 applies today (issue 5)
    fees: { licenceFee: true, paymentReferenceRequired: true, receiptScanAccepted: true }, // ЭҮТШ, or a scanned receipt
    requiredAttachments: [
      { id: 'qualification_requirements_form', title: 'form of information on compliance with qualification requirements', kazakh: 'біліктілік талаптарына сәйкес мәліметтер нысаны' },
    ],
    subKinds,
    baseVariant: 'issue', // лицензия беру
    variants: {
      // лицензияны қайта ресімдеу: review 1 WD, so 1 + 1 + 1 = 3 WD
      reissue: { title: 're-issue of the licence', deadline: { unit: 'working_days', amount: 3 }, limits: { review: { unit: 'working_days', amount: 1 } } },
    },
  });
}

/** §2.1 Appendix 1: development, production, repair and sale of STS for ORM. */
export const LICENSE_STS_ORS = nscLicence(
  'license.sts_ors',
  {
    en: 'Licence for development, production, repair and sale of special technical means for operational-search measures',
    kk: 'Жедел іздестіру іс-шараларын жүргізуге арналған арнайы техникалық құралдарды әзірлеу, өндіру, жөндеу және сату бойынша қызметпен айналысу үшін лицензия беру',
  },
  1,
  [
    { id: 'development', title: 'development', kazakh: 'әзірлеу' },
    { id: 'production', title: 'production', kazakh: 'өндіру' },
    { id: 'repair', title: 'repair', kazakh: 'жөндеу' },
    { id: 'sale', title: 'sale', kazakh: 'сату' },
  ],
);

/** §2.2 Appendix 2: development of CIPM only; the 2015–2019 "and sale" became permit.crypto_sale. */
export const LICENSE_CRYPTO_DEV = nscLicence(
  'license.crypto_dev',
  {
    en: 'Licence for development of cryptographic information protection means',
    kk: 'Ақпаратты криптографиялық қорғау құралдарын әзірлеуге лицензия беру',
  },
  2,
  [{ id: 'development', title: 'development of CIPM', kazakh: 'әзірлеу' }],
);

/** §2.3 Appendix 3: A2 — one service; the display name takes the regulation's longer "technical channels" wording. */
export const LICENSE_LEAK_DETECTION = nscLicence(
  'license.leak_detection',
  {
    en: 'Licence for services of detecting technical channels of information leakage and special technical means for operational-search measures',
    kk: 'Ақпарат таралып кететін техникалық арналарды және жедел іздестіру іс-шараларын жүргізуге арналған арнайы техникалық құралдарды анықтау бойынша қызметтер көрсетуге лицензия беру',
  },
  3,
  [
    { id: 'leak_channels', title: 'detection of technical channels of information leakage', kazakh: 'ақпарат таралып кететін техникалық арналарды анықтау' },
    { id: 'sts_ors', title: 'detection of STS for operational-search measures', kazakh: 'арнайы техникалық құралдарды анықтау' },
  ],
);

export const NSC_LICENCES: readonly ServiceDefinition[] = [LICENSE_STS_ORS, LICENSE_CRYPTO_DEV, LICENSE_LEAK_DETECTION];
