// The informatization services of MTC Order No. 209 (2014) as data: deposit (App. 1), EIR/IS registration (App. 2), KKM conformity (App. 3).
//
// The engine finishes a step with one of four acts; the texts' acts map onto them so:
//   register        — the office's intake of the application (тіркеу): its number is the case's number;
//   assign_executor — a resolution down the chain (бұрыштама / қарар), naming who takes it next;
//   record_finding  — a check, an inspection, a register entry, or an intermediate letter agreed, signed or sent:
//                     the official restates the finding reached so far (complies, or not with its reasons);
//   draft_result    — the draft of the result (анықтама, куәлік, қорытынды) or of the reasoned refusal;
//   sign / refuse   — the result, on the last step.
// Gaps the engine cannot hold are listed where they bite and in INFORMATIZATION_GAPS.
import { APPC, LAW_ON_STATE_SERVICES } from './acts.ts';
import { defineService, type AfterResultStep, type LegalAct, type ServiceDefinition, type StepDefinition, type TimeLimit } from './definition.ts';

/** The approving order; registered 29.04.2014 No. 9361, in force 10 CD after first publication (the date is not in the seed). */
export const MTC_ORDER_209_2014: LegalAct = {
  act: 'Order of the Minister of Transport and Communications of the RK "On approval of regulations of state services in the field of informatization"',
  number: '209',
  date: '2014-03-26',
  registrationNo: '9361',
  inForceNote: '10 CD after first official publication, which follows registration (2014-04-29): not before 2014-05-09; repealed by Order 877 of 24.08.2015 ([external] about 31.10.2015)',
  sets: 'the regulations (регламенттер): steps, step limits, participants',
};

/** The standards (стандарттар) the regulations implement; their document lists, total terms and fees are not in the seeds. */
export const GOV_DECREE_136_2014: LegalAct = {
  act: 'Decree of the Government of the RK on state services of the MTC in the field of informatization (state service standards)',
  number: '136',
  date: '2014-02-24',
  inForceNote: 'not in the seeds',
  sets: 'the standards: document lists (paras 8, 9, 11), total terms, recipients; none of it is in the seeds',
};

/** The repeal: recorded so that nobody mistakes these limits for current law (as A19 for the NSC licences). */
export const MID_ORDER_877_2015: LegalAct = {
  act: 'Order of the acting Minister of Investments and Development of the RK repealing Order No. 209',
  number: '877',
  date: '2015-08-24',
  inForceNote: '21 CD after first official publication ([external] about 31.10.2015); successor regulations are not in the seeds',
  sets: 'nothing in force; the 2014 texts stay the model until current rules are loaded as a new version',
};

// Order 209: 10 CD after publication, which follows registration on 2014-04-29 (Almaty, UTC+6 then).
const IN_FORCE_2014 = new Date('2014-05-09T00:00:00+06:00');

const hours = (amount: number): TimeLimit => ({ unit: 'hours', amount }); // §5.7: сағат read as working hours
const wd = (amount: number): TimeLimit => ({ unit: 'working_days', amount });

type StepSpec = Omit<StepDefinition, 'next'>;

/** Steps in the text's order, each leading to the following one; the last (sign/refuse) ends the case. */
export function chain(steps: StepSpec[]): StepDefinition[] {
  return steps.map((s, i) => (i + 1 < steps.length ? { ...s, next: steps[i + 1].id } : s));
}

const NO_FEE = { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false }; // fees sit in the Standards (not in the seeds)
const BASIS = (appendix: number): LegalAct[] => [
  { ...MTC_ORDER_209_2014, sets: `${MTC_ORDER_209_2014.sets}; this service is its Appendix ${appendix}` },
  GOV_DECREE_136_2014,
  MID_ORDER_877_2015,
  APPC,
  LAW_ON_STATE_SERVICES,
];

// ---- §2.1 deposit.software (App. 1) ---------------------------------------------------------------------------------

const DEPOSIT_GROUNDS = [
  'the deposit application is incorrect (para 6.2, өтінімнің дұрыстығы)',
  'the set of materials is incomplete under para 11 of the Standard (para 6.3, толымдылық)',
  'the materials do not conform to the application (para 6.4, сәйкестік)',
];

/** §2.1: paper only; each clock runs from receipt by that actor (§5.5); refusal through the certificate's chain (§5.9). */
export const DEPOSIT_SOFTWARE: ServiceDefinition = defineService({
  id: 'deposit.software',
  version: 1,
  title: {
    en: 'Deposit of information systems, software products, program codes and normative-technical documentation',
    kk: 'Ақпараттық жүйелерді, бағдарламалық өнімдерді, бағдарламалық кодтар мен нормативтік-техникалық құжаттаманы депозитке салу',
  },
  legalBasis: BASIS(1),
  inForce: { from: IN_FORCE_2014 }, // repealed in 2015, kept as the model with no end date (as A19)
  applicantKinds: ['individual', 'legal_entity'], // not in the text: «қызмет алушы» only
  // para 7: office employee; Head; Department Director, Deputy Director, Division head (all 'head': the engine has one head role); lead specialist
  participants: ['registrar', 'head', 'executor'],
  // No total in the regulation (the Standard has it): 8 h + 7 + 5 + 5 WD + 1 day + 4 h (+ 4 h dispatch) on the mesh calendar fits 20 WD
  // from any receipt time (each step done by its deadline).
  deadline: wd(20),
  steps: chain([
    {
      id: 'registration',
      title: 'office: accept, open, sort and register the correspondence in the registration journal; pass to the Head',
      kazakh: 'кеңсе қызметкері тіркеу журналында тіркейді',
      role: 'registrar',
      limit: hours(1),
      outputs: ['correspondence registered with an incoming number (кіріс нөмірі), para 6.1'],
      actions: ['register'],
    },
    { id: 'head_resolution', title: 'Head: resolution to the Director of the Information Security Department', kazakh: 'басшының бұрыштамасы', role: 'head', limit: hours(1), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'director_resolution', title: 'Department Director: resolution to the Deputy Director', kazakh: 'департамент директорының бұрыштамасы', role: 'head', limit: hours(1), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'deputy_resolution', title: 'Deputy Director: resolution to the head of the State Register and Depositary Division', kazakh: 'директор орынбасарының бұрыштамасы', role: 'head', limit: hours(2), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'division_resolution', title: 'Division head: resolution to the lead specialist', kazakh: 'бөлім басшысының бұрыштамасы', role: 'head', limit: hours(3), outputs: ['resolution naming the lead specialist (жетекші маман)'], actions: ['assign_executor'] },
    {
      id: 'check',
      title: 'lead specialist: check the application, the completeness of the deposit object and the conformity of its materials',
      kazakh: 'толымдылығы мен сәйкестігін тексеру',
      role: 'executor',
      limit: wd(7),
      outputs: ['application correct (6.2), materials complete (6.3) and conforming (6.4), or the grounds for refusal'],
      // The hearing (APPC art. 73) sits inside the check: a refusal is decided here, not at the signature.
      actions: ['record_finding', 'preliminary_refusal'],
    },
    {
      id: 'registry_entry',
      title: 'lead specialist: enter the object into the Registry of deposited software products',
      kazakh: 'Депозитке салынған бағдарламалық өнімдердің тізіліміне енгізу',
      role: 'executor',
      limit: wd(5),
      // On refusal no entry is made: the specialist restates the negative finding at once (the engine has no branch).
      outputs: ['information entered into the Registry (6.5)'],
      actions: ['record_finding'],
    },
    { id: 'deposit_number', title: 'lead specialist: assign deposit numbers per the Registry', kazakh: 'депозиттік нөмір беру', role: 'executor', limit: wd(5), outputs: ['deposit numbers assigned (6.6)'], actions: ['record_finding'] },
    {
      id: 'drafting',
      title: 'lead specialist: draft the certificate (or the reasoned refusal) and the cover letter, agree them with the Division and Department heads',
      kazakh: 'анықтама мен ілеспе хаттың жобасы',
      role: 'executor',
      limit: wd(1), // «бір күннің ішінде»: §5.6 reads one working day
      outputs: ['draft certificate (анықтама) or reasoned refusal, and cover letter (ілеспе хат), agreed'],
      actions: ['draft_result'],
    },
    {
      id: 'signature',
      title: 'Head: sign the certificate (or the refusal) and the cover letter, send them to the office',
      kazakh: 'басшының қол қоюы',
      role: 'head',
      limit: hours(4),
      outputs: ['paper certificate signed by the Head of the provider (6.7), or the reasoned refusal (дәлелді жауап)'],
      actions: ['sign', 'refuse'],
    },
  ]),
  refusalPoints: [{ step: 'signature', role: 'head', grounds: DEPOSIT_GROUNDS }], // §5.9: the Head signs the refusal as he signs the certificate
  pausePoints: [],
  fees: NO_FEE,
  requiredAttachments: [
    { id: 'deposit_application', title: 'deposit application', kazakh: 'депозитке салу өтінімі' },
    { id: 'deposit_objects', title: 'deposit objects and their materials (para 11 of the Standard)', kazakh: 'депозитке салу объектілері' },
  ],
  subKinds: [
    { id: 'information_system', title: 'information system', kazakh: 'ақпараттық жүйе' },
    { id: 'software_product', title: 'software product', kazakh: 'бағдарламалық өнім' },
    { id: 'program_code', title: 'program code', kazakh: 'бағдарламалық код' },
    { id: 'normative_technical_documentation', title: 'normative-technical documentation', kazakh: 'нормативтік-техникалық құжаттама' },
  ],
  baseVariant: 'deposit',
  variants: {},
  // Steps 10 (the letter's half) and 11, run by the deposit service once the case closes on the certificate. Kept in v1:
  // Order 209 set them with the other steps, and a new version would leave the cases running under v1 without them.
  afterResult: [
    {
      id: 'cover_letter',
      title: 'step 10 Head: sign the cover letter that goes with the signed certificate, naming its deposit number, Merkle root and registry entry',
      kazakh: 'ілеспе хатқа қол қою',
      role: 'head',
      limit: hours(4), // step 10's limit, counted again from the certificate's signature (the engine closes the case there)
      outputs: ['cover letter (ілеспе хат) signed by the Head (6.7)'],
      after: ['issued'],
    },
    {
      id: 'dispatch',
      title: 'step 11 office: send the certificate and cover letter (or the reasoned refusal) by post or courier',
      kazakh: 'пошта немесе курьерлік қызмет',
      role: 'registrar',
      limit: hours(4),
      outputs: ['result sent to the recipient: channel, time and postal or courier reference recorded'],
      after: ['issued', 'refused'],
    },
  ],
});

// ---- §2.2 registry.eir_is (App. 2) ----------------------------------------------------------------------------------

const EIR_IS_GROUND = 'the information in the application is incomplete or incorrect (мәліметтер толық емес не дұрыс емес), step A4';

/** §2.2: the Committee (A, C) and the Organization, read as RSE "State Technical Service" (§5.1) (B); paper only. */
export const REGISTRY_EIR_IS: ServiceDefinition = defineService({
  id: 'registry.eir_is',
  version: 1,
  title: {
    en: 'Registration of electronic information resources and information systems in the State Register of EIR and IS',
    kk: 'Электрондық ақпараттық ресурстар мен ақпараттық жүйелерді электрондық ақпараттық ресурстар мен ақпараттық жүйелердің мемлекеттік тіркелімінде тіркеу',
  },
  legalBasis: BASIS(2),
  inForce: { from: IN_FORCE_2014 },
  applicantKinds: ['individual', 'legal_entity'], // owners of EIR/IS; the Standard defines them
  // para 7, 10 roles on 3 engine roles: both offices 'registrar'; Committee Head, Directorate head, Organization Head,
  // its Director, Deputy and Division head 'head'; the chief expert and the Organization's lead specialist 'executor'.
  participants: ['registrar', 'head', 'executor'],
  // No total in the regulation: 31 WD + 41 h 15 min (+ 1 WD dispatch), postal transit not counted, fits 37 WD on the mesh calendar.
  deadline: wd(37),
  steps: chain([
    { id: 'intake', title: 'A1 Committee office: register the cover letter with the application in БЭҚАЖ, pass to the Committee Head', kazakh: 'БЭҚАЖ-да тіркеу', role: 'registrar', limit: hours(1), outputs: ['incoming number (6.1)'], actions: ['register'] },
    { id: 'committee_resolution', title: 'A2 Committee Head: resolution to the head of the Directorate', kazakh: 'комитет басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'directorate_resolution', title: 'A3 head of Directorate: resolution to the chief expert', kazakh: 'басқарма басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution naming the chief expert (бас сарапшы)'], actions: ['assign_executor'] },
    {
      id: 'check',
      title: 'A4 chief expert: check completeness and correct filling; register the IR/IS (the decision, §5.2) and draft the letter to the Organization, or the refusal',
      kazakh: 'толықтығы мен дұрыс толтырылуын тексеру',
      role: 'executor',
      limit: wd(14),
      outputs: ['check of the application (6.2) and registration decision (6.3), or the grounds for refusal'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    { id: 'send_to_organization', title: 'A5 Committee office: register in the outgoing journal and send to the Organization', kazakh: 'шығыс құжаттар журналы', role: 'registrar', limit: hours(1), outputs: ['letter sent (6.4)'], actions: ['record_finding'] },
    { id: 'organization_intake', title: 'B6 Organization office: register in the incoming journal, pass to the Organization Head', kazakh: 'кіріс құжаттарды тіркеу журналы', role: 'registrar', limit: hours(1), outputs: ['registered (6.5)'], actions: ['record_finding'] },
    { id: 'organization_resolution', title: 'B7 Organization Head: resolution to the Department Director', kazakh: 'Ұйым басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'organization_director_resolution', title: 'B8 Department Director: resolution to the Deputy Director', kazakh: 'департамент директорының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'organization_deputy_resolution', title: 'B9 Deputy Director: resolution to the Division head', kazakh: 'директор орынбасарының бұрыштамасы', role: 'head', limit: hours(1), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'organization_division_resolution', title: 'B10 Division head: resolution to the lead specialist', kazakh: 'бөлім басшысының бұрыштамасы', role: 'head', limit: hours(0.25), outputs: ['resolution naming the lead specialist'], actions: ['assign_executor'] },
    { id: 'register_entry', title: 'B11a lead specialist: enter the IR/IS into the State Register of EIR and IS', kazakh: 'Мемлекеттік тіркелімге енгізу', role: 'executor', limit: wd(4), outputs: ['register entry (6.6)'], actions: ['record_finding'] },
    { id: 'certificate_drafting', title: 'B11b lead specialist: draft the Certificate and the cover letter, agree them with the Division and Department heads', kazakh: 'куәліктің жобасы', role: 'executor', limit: hours(4), outputs: ['draft Certificate (куәлік) and cover letter (6.7)'], actions: ['draft_result'] },
    { id: 'organization_signature', title: 'B12 Organization Head: sign the cover letter (not the Certificate, §5.4), pass to the Organization office (§5.3)', kazakh: 'ілеспе хатқа қол қою', role: 'head', limit: hours(4), outputs: ['cover letter signed'], actions: ['record_finding'] },
    { id: 'organization_dispatch', title: 'B13 Organization office: send the letter and the Certificate to the Committee by post or courier', kazakh: 'пошта немесе курьерлік қызмет', role: 'registrar', limit: wd(1), outputs: ['letter with Certificate sent to the Committee'], actions: ['record_finding'] },
    { id: 'committee_intake', title: 'C14 Committee office: register the letter with the Certificate in БЭҚАЖ, pass to the Committee Head', kazakh: 'БЭҚАЖ-да тіркеу', role: 'registrar', limit: hours(1), outputs: ['registered'], actions: ['record_finding'] },
    { id: 'committee_resolution_certificate', title: 'C15 Committee Head: resolution to the head of the Directorate', kazakh: 'комитет басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution'], actions: ['assign_executor'] },
    { id: 'directorate_resolution_certificate', title: 'C16 head of Directorate: resolution to the chief expert', kazakh: 'басқарма басшысының бұрыштамасы', role: 'head', limit: hours(4), outputs: ['resolution'], actions: ['assign_executor'] },
    {
      id: 'certificate_check',
      title: 'C17 chief expert: check the Certificate is filled in correctly; draft the cover letter to the recipient (or the refusal), agree it',
      kazakh: 'куәліктің дұрыс толтырылуын тексеру',
      role: 'executor',
      limit: wd(11),
      outputs: ['Certificate checked; draft cover letter to the recipient\'s address'],
      actions: ['draft_result'],
    },
    {
      id: 'signature',
      title: 'C18 Committee Head: sign the cover letter and the paper Certificate (§5.4), or the refusal drafted at A4',
      kazakh: 'комитет басшысының қол қоюы',
      role: 'head',
      limit: hours(4),
      outputs: ['paper Certificate signed by the Committee Head (6.8), or the paper reasoned refusal'],
      actions: ['sign', 'refuse'],
    },
  ]),
  refusalPoints: [{ step: 'signature', role: 'head', grounds: [EIR_IS_GROUND] }], // A4: signed by the Committee Head
  pausePoints: [],
  fees: NO_FEE,
  requiredAttachments: [{ id: 'registration_application', title: 'application for registration of IR and/or IS, under a cover letter', kazakh: 'ақпараттық ресурстарды және/немесе ақпараттық жүйелерді тіркеу туралы өтінім' }],
  subKinds: [
    { id: 'electronic_information_resource', title: 'electronic information resource', kazakh: 'электрондық ақпараттық ресурс' },
    { id: 'information_system', title: 'information system', kazakh: 'ақпараттық жүйе' },
  ],
  baseVariant: 'registration',
  variants: {},
  // C19, run by the registry service once the case closes on the paper Certificate or the refusal (the Committee Head
  // signs both at C18). Kept in v1, as deposit's: the regulation set it with the other steps.
  afterResult: [
    {
      id: 'dispatch',
      title: 'C19 Committee office: send the Certificate and cover letter (or the reasoned refusal) to the recipient by post or courier',
      kazakh: 'пошта немесе курьерлік қызмет',
      role: 'registrar',
      limit: wd(1),
      outputs: ['result sent to the recipient: channel, time and postal or courier reference recorded'],
      after: ['issued', 'refused'],
    },
  ],
});

// ---- §2.3 conformity.kkm_computer_system (App. 3) -------------------------------------------------------------------

const KKM_GROUNDS = [
  'incomplete questionnaire-application or inauthentic information (step 4, шынайылығы)',
  'the material and technical base does not match the questionnaire-application (step 8)',
  'the computer system does not conform to the technical requirements (the act, 6.10)',
];

/**
 * Steps 4 and 8a have no limit in the text (§5.11); the engine needs one. Placeholders by analogy with the same
 * Committee's Directorate in App. 4 (2 WD to check completeness and correct filling) and App. 1 step 9 (1 day to draft):
 * to be replaced by the Standard's terms.
 */
export const KKM_UNTIMED_PLACEHOLDERS = { check: wd(2), conclusionDrafting: wd(1) } as const;

/** §2.3, portal channel (P1–P17): the portal registers the EDS-signed request on receipt (A12), the back office runs paras 5–6. */
export const CONFORMITY_KKM_COMPUTER_SYSTEM: ServiceDefinition = defineService({
  id: 'conformity.kkm_computer_system',
  version: 1,
  title: {
    en: 'Conclusion on conformity of a computer system with technical requirements for inclusion in the State Register of Cash Register Machines',
    kk: 'Бақылау-касса машиналарының мемлекеттік тізіліміне енгізу үшін компьютер жүйесінің техникалық талаптарға сәйкестігі туралы қорытындылар беру',
  },
  legalBasis: BASIS(3),
  inForce: { from: IN_FORCE_2014 },
  applicantKinds: ['legal_entity', 'individual'], // заңды тұлға; жеке тұлға as дара кәсіпкер
  // para 7 + P15: office, Committee Head and Directorate head ('head'), chief expert, the expert commission (сараптамалық комиссия)
  participants: ['registrar', 'head', 'executor', 'commission_member'],
  // No total in the regulation: 22 h 15 min + 14 CD + the two placeholders fits 16 WD on the mesh calendar.
  deadline: wd(16),
  steps: chain([
    { id: 'committee_resolution', title: 'step 2 Committee Head: resolution to the head of the Directorate', kazakh: 'комитет басшысының қарары', role: 'head', limit: hours(4), outputs: ['resolution (6.2)'], actions: ['assign_executor'] },
    { id: 'directorate_resolution', title: 'step 3 head of Directorate: resolution to the chief expert', kazakh: 'басқарма басшысының қарары', role: 'head', limit: hours(4), outputs: ['resolution (6.3)'], actions: ['assign_executor'] },
    {
      id: 'check',
      title: 'step 4 chief expert: check completeness and authenticity; draft the notification scheduling the inspection',
      kazakh: 'толықтығы мен шынайылығын тексеру',
      role: 'executor',
      limit: KKM_UNTIMED_PLACEHOLDERS.check,
      outputs: ['completeness and correct filling checked (6.4); notification drafted (6.5)'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    { id: 'notice_agreement', title: 'step 5 head of Directorate: agree the notification', kazakh: 'хабарламаны келісу', role: 'head', limit: hours(2), outputs: ['agreed (6.6)'], actions: ['record_finding'] },
    { id: 'notice_signature', title: 'step 6 Committee Head: sign the notification (§5.12)', kazakh: 'хабарламаға қол қою', role: 'head', limit: hours(4), outputs: ['signed (6.7)'], actions: ['record_finding'] },
    {
      id: 'notice_dispatch',
      title: 'step 7 / P14 office: register and send the notification scheduling the inspection (to the personal cabinet)',
      kazakh: 'тексеруді белгілеу туралы хабарлама',
      role: 'registrar',
      limit: hours(2), // «екі жұмыс сағаты»
      outputs: ['notification registered and sent (6.8)'],
      actions: ['record_finding'],
    },
    {
      id: 'inspection',
      title: 'step 8 / P15 expert commission: on-site inspection of the material and technical base; the act',
      kazakh: 'орнына шығу арқылы сараптамалық комиссиямен тексеру',
      role: 'commission_member',
      limit: { unit: 'calendar_days', amount: 14 }, // from sending the notification
      outputs: ['inspection done (6.9); act on conformity signed by the recipient and/or the provider\'s representatives (6.10)'],
      actions: ['record_finding', 'preliminary_refusal'],
    },
    { id: 'conclusion_drafting', title: 'step 8a chief expert: draft the Conclusion (or the refusal) and the cover letter on the act', kazakh: 'қорытындының жобасы', role: 'executor', limit: KKM_UNTIMED_PLACEHOLDERS.conclusionDrafting, outputs: ['draft Conclusion (қорытынды) or refusal'], actions: ['draft_result'] },
    { id: 'conclusion_agreement', title: 'step 9 head of Directorate: agree the drafts', kazakh: 'келісу', role: 'head', limit: hours(2), outputs: ['agreed (6.11)'], actions: ['record_finding'] },
    {
      id: 'signature',
      title: 'step 10 / P17 Committee Head (§5.12): sign the Conclusion or the refusal with the EDS of the authorised official',
      kazakh: 'қорытындыға қол қою',
      role: 'head',
      limit: hours(2),
      outputs: ['Conclusion (6.12) or refusal with stated reasons (себебі жазылған бас тарту), an e-document in the personal cabinet'],
      actions: ['sign', 'refuse'],
    },
  ]),
  refusalPoints: [{ step: 'signature', role: 'head', grounds: KKM_GROUNDS }],
  pausePoints: [],
  fees: NO_FEE,
  // Unconditional items of para 9; the installation guide and the functional copy (not for bank systems) and the
  // representative's papers are conditional, which the engine's attachment list cannot say.
  requiredAttachments: [
    { id: 'questionnaire_application', title: 'questionnaire-application signed with the recipient\'s EDS (App. 2 to the Standard)', kazakh: 'сауалнама-өтініш' },
    { id: 'state_registration', title: 'state registration certificate (анықтама, legacy куәлік, or IE certificate)', kazakh: 'мемлекеттік тіркеу туралы анықтама' },
    { id: 'functional_description', title: 'description of the functional capabilities and features of the computer system', kazakh: 'КЖ функционалдық мүмкіндіктері мен ерекшеліктерінің сипаттамасы' },
    { id: 'tax_inspector_module_guide', title: 'guide to the "Tax Inspector\'s Workstation" module', kazakh: '«Салық инспекторының жұмыс орны» модулі' },
    { id: 'is_conformity_certificate', title: 'IS conformity certificate for fiscal mode and fiscal memory (ST RK GOST R ISO/IEC 15408-2006)', kazakh: 'сәйкестік сертификаты' },
  ],
  subKinds: [],
  baseVariant: 'conclusion',
  variants: {},
});

/** Dispatch after the signature, outside the machine (its case closes at sign/refuse); the deadlines above include it. */
export const AFTER_RESULT: Readonly<Record<string, Pick<AfterResultStep, 'title' | 'kazakh' | 'role' | 'limit'>>> = {
  'deposit.software': DEPOSIT_SOFTWARE.afterResult!.find((s) => s.id === 'dispatch')!,
  'registry.eir_is': REGISTRY_EIR_IS.afterResult!.find((s) => s.id === 'dispatch')!,
  'conformity.kkm_computer_system': { title: 'step 11 office (paper channel): register and send by post or courier; the portal delivers at once', kazakh: 'пошта немесе курьерлік қызмет', role: 'registrar', limit: hours(2) },
};

/** What Order 209's texts say that this engine cannot run; the service layer or a later engine change must carry it. */
export const INFORMATIZATION_GAPS: readonly string[] = [
  'one linear chain, one final step: an early refusal (deposit check, A4, KKM check) is carried through the later steps at once with the negative finding',
  'the hearing is enforced only at steps that allow the preliminary refusal; later steps could restate a negative finding as positive unchecked',
  'one head role: the Department Director, Deputy, Division head, Committee, Directorate and Organization heads are all \'head\'; one office role for both bodies',
  'dispatch after the signature (AFTER_RESULT) is not a step: the case closes at the signature; deposit.software (cover letter, dispatch) and registry.eir_is (C19 dispatch) declare them as afterResult, which their services run and the SLA monitor watches like steps; KKM declares none: its modelled portal channel delivers at once, and the dispatch of its paper channel (AFTER_RESULT) is not modelled',
  'KKM steps 4 and 8a have no limit in the text: placeholders (KKM_UNTIMED_PLACEHOLDERS)',
  'KKM paper channel (office intake 15 min, then the same steps) is not a second entry; only the portal channel is modelled',
  'no total terms in the text (the Standards of Decree 136 hold them): the deadlines are the step sums on the mesh calendar',
  'hours are office hours 09:00–18:30 without the lunch break; minutes are fractions of hours',
  'conditional attachments (bank exemption, representative, IS test act) cannot be expressed',
];
