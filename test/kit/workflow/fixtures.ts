// A definition shaped like §2.5 permit.customs_crypto (head assigns, 7 WD review with a 5 CD samples pause, 1 WD signature),
// so the pause and assignment paths run on the same model as the licences. Test data, not the permit service's definition.
import { defineService, NSC_ORDER_46QE_2019, type PauseExpiry, type ServiceDefinition, type WorkflowEvent } from '../../../services/kit/workflow/index.ts';

export function customsCrypto(onExpiry: PauseExpiry = { outcome: 'resume', note: 'the executor decides without samples' }): ServiceDefinition {
  return defineService({
    id: 'permit.customs_crypto',
    version: 1,
    title: {
      en: 'Conclusion (permitting document) for import, export and transit of encryption means',
      kk: 'Шифрлау (криптографиялық) құралдарын әкелуге, әкетуге және олардың транзитіне қорытынды (рұқсат беру құжаты) беру',
    },
    legalBasis: [NSC_ORDER_46QE_2019],
    inForce: { from: new Date('2019-07-26T00:00:00+06:00') },
    applicantKinds: ['individual', 'legal_entity'],
    participants: ['head_of_licensing_department', 'executor', 'signatory'],
    deadline: { unit: 'working_days', amount: 8 },
    steps: [
      { id: 'assignment', title: 'assign the executor', role: 'head_of_licensing_department', limit: { unit: 'same_day', amount: 0 }, outputs: ['executor assigned'], actions: ['assign_executor'], next: 'review' },
      {
        id: 'review',
        title: 'review, ask for samples if necessary, draft',
        role: 'executor',
        limit: { unit: 'working_days', amount: 7 },
        outputs: ['draft result'],
        actions: ['request_samples', 'preliminary_refusal', 'draft_result'],
        next: 'signature',
      },
      { id: 'signature', title: 'sign', role: 'signatory', limit: { unit: 'working_days', amount: 1 }, outputs: ['signed conclusion'], actions: ['sign', 'refuse'] },
    ],
    refusalPoints: [{ step: 'signature', role: 'signatory', grounds: ['A5: not stated; the signatory signs either result'] }],
    pausePoints: [{ step: 'review', action: 'request_samples', max: { unit: 'calendar_days', amount: 5 }, stopsClock: true, onExpiry }],
    fees: { licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false },
    requiredAttachments: [],
    subKinds: [],
    baseVariant: 'import',
    variants: {},
  });
}

/** A deposit.software case from registration (8 October 2026) to the Head's signature (28 October, 13:00), each act in time. */
export const DEPOSIT_ISSUED_ACTS: [string, WorkflowEvent][] = [
  ['2026-10-08T10:30', { type: 'register', actor: 'registrar', registrationNo: 'IN-2026-0412' }],
  ['2026-10-08T11:00', { type: 'assign_executor', actor: 'head', executorId: 'director-is' }],
  ['2026-10-08T11:30', { type: 'assign_executor', actor: 'head', executorId: 'deputy-is' }],
  ['2026-10-08T13:00', { type: 'assign_executor', actor: 'head', executorId: 'head-division' }],
  ['2026-10-08T15:00', { type: 'assign_executor', actor: 'head', executorId: 'lead-specialist-1' }],
  ['2026-10-16T11:00', { type: 'record_finding', actor: 'executor', complies: true }],
  ['2026-10-22T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
  ['2026-10-27T12:00', { type: 'record_finding', actor: 'executor', complies: true }],
  ['2026-10-28T10:00', { type: 'draft_result', actor: 'executor' }],
  ['2026-10-28T13:00', { type: 'sign', actor: 'head' }],
];
