// Steps 10 (the cover letter's signature) and 11 (dispatch) of deposit.software as the applicant sees them, after the
// case machine closed the case on the certificate. The officials' acts are kit/cases/after-result-acts.ts.
import { DispatchChannel, type Dispatch } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import type { AfterResultRecords, Channel } from '../kit/cases/after-result-acts.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import { toEnvelope } from '../kit/cases/view.ts';

const CHANNELS: Record<Channel, DispatchChannel> = { post: DispatchChannel.DISPATCH_CHANNEL_POST, courier: DispatchChannel.DISPATCH_CHANNEL_COURIER };

/** What the applicant sees of the acts after the result: the signed cover letter and the dispatch. */
export function afterResultView(row: ApplicationRow) {
  const records = row.details as AfterResultRecords;
  const d = records.dispatch;
  const dispatch: Dispatch | undefined = d && { channel: CHANNELS[d.channel], reference: d.reference, dispatchTime: new Date(d.completed_at) };
  return {
    coverLetter: records.cover_letter && toEnvelope(records.cover_letter.envelope),
    dispatch,
  };
}
