// The NSC permits and conclusions (§2.4–2.8) as data: Order 43 in the 2019 wording of 46/қе (service 7: the 2017 wording of 98/қе).
import { APPC, LAW_ON_STATE_SERVICES, NSC_ORDER_34QE_2020, NSC_ORDER_43, NSC_ORDER_46QE_2019, NSC_ORDER_98QE_2017 } from './acts.ts';
import { defineService, type Attachment, type LegalAct, type PausePoint, type ServiceDefinition, type StepDefinition, type TimeLimit, type Title } from './definition.ts';

// As for the licences: 46/қе is in force 21 CD after publication, which follows registration (2019-07-05), so not before 2019-07-26.
const IN_FORCE_2019 = new Date('2019-07-26T00:00:00+06:00');

/** Стандарт — Order No. 30 approves the standards; every regulation points to its para 9, which the seeds do not contain. */
export const NSC_STANDARDS_ORDER_30: LegalAct = {
  act: 'Order of the Chairman of the NSC of the RK "On approval of the standards of state services provided by the NSC"',
  number: '30',
  date: '2015-04-28',
  registrationNo: '11360',
  inForceNote: 'not in the seeds; repealed with the regulations in 2020 [external]',
  sets: 'nothing here yet: the document list (para 9), refusal grounds and the official total term live in it and are missing',
};

const SAME_DAY: TimeLimit = { unit: 'same_day', amount: 0 }; // түскен күні — on the day of receipt
const WD = (amount: number): TimeLimit => ({ unit: 'working_days', amount });

// A5: services 4–7 name no refusal ground, no refusal step and no refusal signer; the authorised person signs either result.
const GROUNDS_NOT_IN_REGULATION = 'grounds are not listed in the regulation (A5); they are in the Standard (Order No. 30, not in the seeds)';

/** A14/A5: samples are optional and a lapse is not a stated refusal ground, so the clock runs again and the executor decides. */
const SAMPLES_LAPSED = 'no samples within 5 CD: not a stated refusal ground (A5); the executor decides on the documents, a refusal goes through the hearing';

const ASSIGNMENT: StepDefinition = {
  id: 'assignment',
  title: 'consider the application on the day of receipt and assign the responsible executor by redirecting it (para 10)',
  kazakh: 'жауапты орындаушыны анықтау — қайта бағыттау', // қайта бағыттау — redirect
  role: 'head_of_licensing_department',
  limit: SAME_DAY,
  outputs: ['responsible executor assigned'],
  actions: ['assign_executor'],
  next: 'review',
};

// 1 WD from the draft's formation (2019); A13: one configurable role for «уәкілетті адам».
const signature = (result: string): StepDefinition => ({
  id: 'signature',
  title: 'sign the result or the reasoned refusal (A5: the authorised person signs either)',
  kazakh: 'қол қою',
  role: 'signatory',
  limit: WD(1),
  // A3: paras 10 send the result to the "provider's" cabinet; read as the recipient's (жеке кабинет).
  outputs: [`${result}, an e-document signed with the EDS (ЭЦҚ) of the authorised person, or the reasoned refusal`],
  actions: ['sign', 'refuse'],
});

const samplesPause = (step: string): PausePoint => ({
  step,
  action: 'request_samples',
  // 5 CD from the notice (хабарлама) reaching the personal cabinet; the request is delivered there when sent.
  max: { unit: 'calendar_days', amount: 5 },
  stopsClock: true, // «Бұл мерзім мемлекеттік қызмет көрсету мерзіміне кірмейді» (services 4, 5); A6 for service 6
  onExpiry: { outcome: 'resume', note: SAMPLES_LAPSED },
});

const TECHNICAL_DOCUMENTATION = (of: string): Attachment => ({ id: 'technical_documentation', title: `technical documentation for ${of}`, kazakh: 'техникалық құжаттама' });

/** §2.4 and §2.5 differ only in the goods: the steps, limits, pause and inputs are the same text with other words. */
function customsConclusion(id: string, title: Title, appendix: number, means: { en: string; kk: string }): ServiceDefinition {
  const movement = (t: string) => ({ title: t, deadline: WD(8), limits: {} });
  return defineService({
    id,
    version: 1,
    title,
    legalBasis: [
      { ...NSC_ORDER_43, sets: `${NSC_ORDER_43.sets}; this service is its Appendix ${appendix}` },
      { ...NSC_ORDER_98QE_2017, sets: `the 2017 wording: 13 CD review + 2 CD signature (≈15 CD), superseded by 46/қе; A16: its "qualification requirements" is a leftover` },
      { ...NSC_ORDER_46QE_2019, sets: `Appendix ${appendix} of 46/қе is the text followed: same-day assignment, 7 WD review with the samples notice, 5 CD for samples not counted, 1 WD signature` },
      NSC_STANDARDS_ORDER_30,
      NSC_ORDER_34QE_2020,
      APPC,
      LAW_ON_STATE_SERVICES,
    ],
    inForce: { from: IN_FORCE_2019 },
    applicantKinds: ['individual', 'legal_entity'], // A11: the regulation names no kind; foreign-trade participants of either kind
    participants: ['head_of_licensing_department', 'executor', 'signatory'], // para 7: no registration employee (A12: numbered on receipt)
    deadline: WD(8), // A1: same-day assignment inside day 1, + 7 + 1; the samples pause is added on top
    steps: [
      ASSIGNMENT,
      {
        id: 'review',
        title: `review the application and documents, ask for samples of the ${means.en} if necessary, form the draft result`,
        kazakh: `${means.kk} үлгілерін (қажет болған жағдайда) ұсыну туралы хабарлама; нәтижесінің жобасы`,
        role: 'executor',
        limit: WD(7),
        outputs: ['samples notice (if any)', 'draft result: conclusion or reasoned refusal'],
        // A14: samples at the executor's discretion; the hearing sits inside the 7 WD so the 8 WD hold.
        actions: ['request_samples', 'preliminary_refusal', 'draft_result'],
        next: 'signature',
      },
      signature('conclusion (қорытынды — permitting document, рұқсат беру құжаты)'),
    ],
    refusalPoints: [{ step: 'signature', role: 'signatory', grounds: [GROUNDS_NOT_IN_REGULATION] }],
    pausePoints: [samplesPause('review')],
    fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false }, // no fee is mentioned (§3.9)
    requiredAttachments: [
      {
        id: 'foreign_trade_contract',
        title: 'foreign trade contract with its appendix or supplement, or another document confirming the parties\' intentions',
        kazakh: 'сыртқы сауда келісімі (келісімшарт) не тараптардың ниеттерін растайтын өзге де құжат',
      },
      TECHNICAL_DOCUMENTATION(`the ${means.en}`),
      // A10: one application = one contract + one movement + a list of goods (each with its documentation).
      { id: 'goods_list', title: 'list of the goods covered by the contract (A10)' },
    ],
    subKinds: [],
    // A10: exactly one movement per application, so the movements are variants (one per case), not sub-kinds (a subset).
    // Same limits for all three: a variant here only records the movement on the case.
    baseVariant: 'import', // әкелу
    variants: { export: movement('export (әкету)'), transit: movement('transit (транзит)') },
  });
}

/** §2.4 Appendix 4: conclusion for import, export and transit of STS for covert acquisition of information. */
export const PERMIT_CUSTOMS_COVERT_STS = customsConclusion(
  'permit.customs_covert_sts',
  {
    en: 'Conclusion (permitting document) for import, export and transit of special technical means for covert acquisition of information subject to non-tariff regulation in trade with third countries',
    kk: 'Үшінші елдермен сауда-саттықта тарифтік емес реттеу шаралары қолданылатын ақпаратты жасырын алуға арналған арнайы техникалық құралдарды әкелуге, әкетуге және олардың транзитіне қорытынды (рұқсат беру құжаты) беру',
  },
  4,
  { en: 'special technical means', kk: 'арнайы техникалық құралдың' },
);

/** §2.5 Appendix 5; A4: its para 9 names service 4 on the portal, a copy-paste error — the applicant selects this service. */
export const PERMIT_CUSTOMS_CRYPTO = customsConclusion(
  'permit.customs_crypto',
  {
    en: 'Conclusion (permitting document) for import, export and transit of encryption (cryptographic) means subject to non-tariff regulation in trade with third countries',
    kk: 'Үшінші елдермен сауда-саттықта тарифтік емес реттеу шаралары қолданылатын шифрлау (криптографиялық) құралдарын әкелуге, әкетуге және олардың транзитіне қорытынды (рұқсат беру құжаты) беру',
  },
  5,
  { en: 'encryption means', kk: 'шифрлау құралының' },
);

/**
 * A6: «күнтізбелік 30 жұмыс күні» — the unit is a definition setting; WD by default (the surrounding limits are WD).
 * Switching to 30 CD is a new version; its total could then not be one TimeLimit (30 CD + 1 WD), see the variant below.
 */
export const TECH_RESEARCH_WITH_SAMPLE: TimeLimit = WD(30);

/**
 * §2.6 Appendix 6. With and without a sample are VARIANTS, not the pause alone: the pause only stops the clock and hands back
 * what is left of the same step's limit (4 WD), while the regulation gives a fresh 30 days counted from the sample's arrival.
 * The variant gives the review 30 WD and the samples pause stops it, so the 30 WD run from the arrival when the notice goes
 * out on the assignment day (A6: the notice comes within the first 4 WD; each WD before it is one WD less for the research).
 * Gaps, engine-bound: the variant is fixed at start, so the intake must know a sample is needed (the regulation lets the
 * executor decide during the review); a sample arriving before office close lets that day count (art. 176 would start the
 * next day), i.e. at most 1 WD stricter than the text.
 */
export const CONCLUSION_TECH_RESEARCH = defineService({
  id: 'conclusion.tech_research',
  version: 1,
  title: {
    en: 'Technical research of goods to classify them as cryptographic information protection means and/or special technical means for operational-search measures',
    kk: 'Тауарларды ақпаратты криптографиялық қорғау құралдарына және жедел іздестіру іс-шараларын жүргізуге арналған арнайы техникалық құралдарға жатқызу тұрғысынан техникалық зерттеу жүргізу',
  },
  legalBasis: [
    { ...NSC_ORDER_43, sets: `${NSC_ORDER_43.sets}; this service is its Appendix 6` },
    { ...NSC_ORDER_98QE_2017, sets: 'the 2017 wording: signature on the day of the draft, superseded by 46/қе (1 WD)' },
    { ...NSC_ORDER_46QE_2019, sets: 'Appendix 6 of 46/қе (header missing, A18) is the text followed: same-day assignment, 4 WD review or 30 days from the sample, 5 CD for the sample, 1 WD signature' },
    NSC_STANDARDS_ORDER_30,
    NSC_ORDER_34QE_2020,
    APPC,
    LAW_ON_STATE_SERVICES,
  ],
  inForce: { from: IN_FORCE_2019 },
  applicantKinds: ['individual', 'legal_entity'], // A11
  participants: ['head_of_licensing_department', 'executor', 'signatory'],
  deadline: WD(5), // A1: same-day assignment inside day 1, + 4 + 1
  steps: [
    ASSIGNMENT,
    {
      id: 'review',
      title: 'review, ask for a goods sample if needed, form the draft result (A18: "response of the result" means the draft)',
      kazakh: 'тауардың үлгісін ұсыну туралы хабарлама; нәтижесінің жобасы',
      role: 'executor',
      limit: WD(4), // without a sample; the with_sample variant gives 30
      outputs: ['goods-sample notice (if any)', 'draft result: conclusion on the technical research or reasoned refusal'],
      actions: ['request_samples', 'preliminary_refusal', 'draft_result'],
      next: 'signature',
    },
    signature('conclusion on the technical research (техникалық зерттеу жүргізу жөніндегі қорытынды)'),
  ],
  refusalPoints: [{ step: 'signature', role: 'signatory', grounds: [GROUNDS_NOT_IN_REGULATION] }],
  // A6: not declared excluded, but the 30 days start only at the arrival, so the 5 CD are effectively not counted.
  pausePoints: [samplesPause('review')],
  fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false },
  // Supply contracts are asked for only "if any" (болса), so they are optional and not listed here.
  requiredAttachments: [TECHNICAL_DOCUMENTATION('the goods (тауарға)')],
  subKinds: [],
  baseVariant: 'without_sample',
  variants: {
    // 30 + 1, assignment inside day 1; the up to 5 CD for the sample are paused on top.
    with_sample: { title: 'research of a goods sample (тауардың үлгісі)', deadline: WD(TECH_RESEARCH_WITH_SAMPLE.amount + 1), limits: { review: TECH_RESEARCH_WITH_SAMPLE } },
  },
});

/** §2.8 Appendix 8 (from Appendix 7 of 46/қе): new in 2019, shaped like the licences; no re-issue, no fee. */
export const PERMIT_CRYPTO_SALE = defineService({
  id: 'permit.crypto_sale',
  version: 1,
  title: {
    en: 'Permit for sale (including other transfer) of cryptographic information protection means',
    kk: 'Ақпаратты криптографиялық қорғау құралдарын өткізуге (оның ішінде өзгеше беруге) рұқсат беру',
  },
  legalBasis: [
    { ...NSC_ORDER_43, sets: `${NSC_ORDER_43.sets}; this service is its Appendix 8, added in 2019 (header garbled, A18)` },
    { ...NSC_ORDER_46QE_2019, sets: 'Appendix 7 of 46/қе is the text followed: same-day registration, 13 WD review, 1 WD draft, 1 WD signature or refusal by the head of the Licensing Department' },
    NSC_STANDARDS_ORDER_30,
    NSC_ORDER_34QE_2020,
    APPC,
    LAW_ON_STATE_SERVICES,
  ],
  inForce: { from: IN_FORCE_2019 },
  applicantKinds: ['individual', 'legal_entity'], // «жеке немесе заңды тұлға»
  participants: ['registrar', 'executor', 'head_of_licensing_department', 'signatory'],
  deadline: WD(15), // A1: 13 + 1 + 1, registration inside day 1
  steps: [
    {
      id: 'registration',
      title: 'register the application and forward it to the responsible executor',
      kazakh: 'тіркеу',
      role: 'registrar',
      limit: SAME_DAY,
      outputs: ['application registered with a registration number and date'],
      actions: ['register'],
      next: 'review',
    },
    {
      id: 'review',
      title: 'review the application and check compliance with the permit requirements',
      kazakh: 'рұқсат беру талаптарына сәйкестігін тексеру',
      role: 'executor',
      limit: WD(13), // A15: counted from registration
      outputs: ['finding of compliance or non-compliance (сәйкес болу/болмау фактісі)'],
      actions: ['record_finding', 'preliminary_refusal'],
      next: 'drafting',
    },
    {
      id: 'drafting',
      title: 'form the draft of the result and send it for signature',
      kazakh: 'нәтижесінің жобасы',
      role: 'executor',
      limit: WD(1),
      outputs: ['draft result: permit or reasoned refusal of further consideration'],
      actions: ['draft_result'],
      next: 'signature',
    },
    {
      id: 'signature',
      title: 'sign the permit (4a) or, on non-compliance, the reasoned refusal (4b)',
      kazakh: 'қол қою',
      role: 'signatory',
      limit: WD(1), // A8: 4b replaces 4a and takes the same 1 WD from the draft
      outputs: ['permit (рұқсат), an e-document signed with the EDS of the authorised person, or the refusal signed by the head of the Licensing Department'],
      actions: ['sign', 'refuse'],
    },
  ],
  refusalPoints: [{
    step: 'signature',
    role: 'head_of_licensing_department', // A8
    grounds: ['non-compliance with the established permit requirements (рұқсат беру талаптарына сәйкес болмау фактісі)'],
  }],
  pausePoints: [],
  fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false }, // §3.9: no fee for services 4–8
  requiredAttachments: [
    {
      id: 'education_documents',
      title: 'electronic copies of documents confirming higher or secondary vocational education in a technical specialty',
      kazakh: 'техникалық мамандығы бойынша жоғары немесе орта кәсіби білімін растайтын құжаттардың электрондық көшірмелері',
    },
    { id: 'permit_requirements_form', title: 'form of information on compliance with the permit requirements', kazakh: 'рұқсат беру талаптарына сәйкес мәліметтер нысаны' },
  ],
  subKinds: [],
  baseVariant: 'issue', // рұқсат беру; the text has no re-issue
  variants: {},
});

/**
 * §2.7 Appendix 7 — нотификацияларды тіркеу, registration of an EAEU notification. A17: the seeds hold only 2017 fragments, so
 * this is the minimal honest shape, not the service. Known (98/қе): the executor checks completeness and may send a notice for
 * the Standard para 9 ¶6 document (¶4 when the manufacturer is outside the EAEU); the applicant has 3 WD; the authorised person
 * signs on the day the draft is formed. Missing, to obtain from Appendix 7 of Order 43 and the Standard before go-live:
 * - the total term and the executor's limit (the 10 WD below is [external, verify]: EEC Board Decision No. 30, Appendix 2);
 * - the inputs (Standard para 9; what ¶4 and ¶6 are), hence no required attachments;
 * - the failure result and its grounds (the refusal below follows A5 for services 4–6, with the hearing of APPC art. 73);
 * - whether the 3 WD are excluded from the term (not said, unlike 4–5, so the clock keeps running) and what a lapse does;
 * - the participants other than the authorised person (head and executor by analogy, as the spec reads it);
 * - the ¶4/¶6 branch (non-EAEU manufacturer): same limits, so not a variant; the notice text carries it;
 * - publication in the EAEU unified register of notifications [external].
 */
export const REGISTRATION_CRYPTO_NOTIFICATION = defineService({
  id: 'registration.crypto_notification',
  version: 1,
  title: {
    en: 'Registration of notifications on the characteristics of goods (products) containing encryption (cryptographic) means',
    kk: 'Шифрлау (криптографиялық) құралдарын қамтитын тауарлардың (өнімдердің) сипаттамасы туралы нотификацияларды тіркеу',
  },
  legalBasis: [
    { ...NSC_ORDER_43, sets: `${NSC_ORDER_43.sets}; this service is its Appendix 7 (text not in the seeds)` },
    { ...NSC_ORDER_98QE_2017, sets: 'the only wording in the seeds: completeness check with a 3 WD notice, signature on the day of the draft' },
    { ...NSC_ORDER_46QE_2019, sets: 'lists the service (para 1 item 7) without restating it, so the 2017 wording stands' },
    NSC_STANDARDS_ORDER_30,
    {
      act: 'Decision of the Board of the Eurasian Economic Commission "On non-tariff regulation measures"',
      number: '30',
      date: '2015-04-21',
      inForceNote: '[external, verify before go-live]; not in the seeds',
      sets: 'the notification itself (Appendix 2) and, as commonly cited, the 10 WD registration term used for the review',
    },
    NSC_ORDER_34QE_2020,
    APPC,
    LAW_ON_STATE_SERVICES,
  ],
  // The definitions model the regulation set after 46/қе (A19); the 98/қе text of this one applied earlier too.
  inForce: { from: IN_FORCE_2019 },
  applicantKinds: ['individual', 'legal_entity'], // A11; in practice the manufacturer or its authorised representative [external]
  participants: ['head_of_licensing_department', 'executor', 'signatory'],
  deadline: WD(10), // A1 on a placeholder: same-day assignment + 10 WD + signature on the draft's day
  steps: [
    ASSIGNMENT, // by analogy with services 4–6; the 2017 fragments do not show the first step
    {
      id: 'review',
      title: 'check the completeness of the documents, ask for the missing Standard para 9 document, form the draft',
      kazakh: 'құжаттар топтамасының толықтығын тексеру; нәтижесінің жобасы',
      role: 'executor',
      limit: WD(10), // [external, verify] placeholder: the seeds give no limit
      outputs: ['notice for the ¶6 document (¶4 for a non-EAEU manufacturer), if any', 'draft result: registered notification or reasoned refusal'],
      actions: ['request_documents', 'preliminary_refusal', 'draft_result'],
      next: 'signature',
    },
    {
      id: 'signature',
      title: 'sign the registration on the day the draft is formed',
      kazakh: 'нәтижесінің жобасы қалыптастырылған күні қол қою',
      role: 'signatory',
      limit: SAME_DAY,
      outputs: ['registered notification, an e-document signed with the EDS of the authorised person, or the reasoned refusal'],
      actions: ['sign', 'refuse'],
    },
  ],
  refusalPoints: [{ step: 'signature', role: 'signatory', grounds: ['the failure result and its grounds are not in the seeds (A17); the Standard holds them'] }],
  pausePoints: [{
    step: 'review',
    action: 'request_documents',
    max: WD(3), // «хабарламаны алған сәттен бастап 3 жұмыс күні ішінде»
    stopsClock: false, // not declared excluded from the term
    onExpiry: { outcome: 'resume', note: 'the seeds do not say what a lapse does (A17); the executor decides on what he has' },
  }],
  fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false },
  requiredAttachments: [], // Standard para 9 is not in the seeds
  subKinds: [],
  baseVariant: 'registration',
  variants: {},
});

export const NSC_PERMITS: readonly ServiceDefinition[] = [
  PERMIT_CUSTOMS_COVERT_STS,
  PERMIT_CUSTOMS_CRYPTO,
  CONCLUSION_TECH_RESEARCH,
  REGISTRATION_CRYPTO_NOTIFICATION,
  PERMIT_CRYPTO_SALE,
];
