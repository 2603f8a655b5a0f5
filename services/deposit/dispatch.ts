// Steps 10 (the cover letter's signature) and 11 (dispatch) of deposit.software as the applicant sees them, after the
// case machine closed the case on the certificate. The officials' acts are kit/cases/after-result-acts.ts.
import { DispatchChannel, type Dispatch } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { afterResultSteps } from '../kit/cases/after-result.ts';
import type { AfterResultRecords, Channel } from '../kit/cases/after-result-acts.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import { toEnvelope } from '../kit/cases/view.ts';
import { caseFromJson, type ServiceDefinition } from '../kit/workflow/index.ts';

export type { AfterResultRecords } from '../kit/cases/after-result-acts.ts';

const CHANNELS: Record<Channel, DispatchChannel> = { post: DispatchChannel.DISPATCH_CHANNEL_POST, courier: DispatchChannel.DISPATCH_CHANNEL_COURIER };

/** The applicant's view of the steps after the result: their clocks, the signed cover letter, the dispatch. */
export function afterResultView(def: ServiceDefinition, row: ApplicationRow) {
  const records = row.details as AfterResultRecords;
  const d = records.dispatch;
  const dispatch: Dispatch | undefined = d && { channel: CHANNELS[d.channel], reference: d.reference, dispatchTime: new Date(d.completed_at) };
  return {
    ...afterResultSteps(def, caseFromJson(row.state), row.details),
    coverLetter: records.cover_letter && toEnvelope(records.cover_letter.envelope),
    dispatch,
  };
}
