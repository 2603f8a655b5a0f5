// Steps 10 (the cover letter's signature) and 11 (dispatch) of deposit.software as the applicant sees them, after the
// case machine closed the case on the certificate. The officials' acts are kit/cases/after-result-acts.ts.
import { DispatchChannel, type Dispatch } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { dispatchRecord, type AfterResultRecords, type Channel } from '../kit/cases/after-result-acts.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import { toEnvelope } from '../kit/cases/view.ts';

const CHANNELS: Record<Channel, DispatchChannel> = { post: DispatchChannel.DISPATCH_CHANNEL_POST, courier: DispatchChannel.DISPATCH_CHANNEL_COURIER };

/** What the applicant sees of the acts after the result: the signed cover letter and the dispatch. */
export function afterResultView(row: ApplicationRow) {
  const records = row.details as AfterResultRecords;
  const dispatch: Dispatch | undefined = dispatchRecord(row, CHANNELS);
  return {
    coverLetter: records.cover_letter && toEnvelope(records.cover_letter.envelope),
    dispatch,
  };
}
