// The clocks of deposit.software's steps after the result: the cover letter from the certificate's signature, the
// dispatch from the letter's (or, for a refusal, from the refusal's) signature, on the mesh calendar.
import { expect } from 'chai';
import { afterResultClocks } from '../../services/kit/cases/after-result.ts';
import { DEPOSIT_SOFTWARE, start, type CaseState } from '../../services/kit/workflow/index.ts';

const at = (s: string) => new Date(`${s}+05:00`); // Almaty
const closed = (outcome: 'issued' | 'refused' | 'withdrawn', closedAt: Date): CaseState => ({ ...start(DEPOSIT_SOFTWARE, at('2026-10-07T10:00')), phase: 'closed', outcome, step: undefined, closedAt });

describe('deposit: clocks after the result (steps 10 and 11)', () => {
  it('an issued certificate: the letter within 4 working hours of the signature, the post within 4 of the letter', () => {
    const signedAt = at('2026-10-28T16:00');
    const [letter, post] = afterResultClocks(DEPOSIT_SOFTWARE, closed('issued', signedAt), {});
    expect(letter).to.deep.include({ startedAt: signedAt, dueAt: at('2026-10-29T10:30'), completedAt: undefined }); // 2.5 h today, 1.5 h from 09:00
    expect(letter!.step.role).to.equal('head');
    expect(post).to.deep.include({ startedAt: undefined, dueAt: undefined });

    const letterAt = at('2026-10-29T10:00');
    const [, sent] = afterResultClocks(DEPOSIT_SOFTWARE, closed('issued', signedAt), { cover_letter: { completed_at: letterAt.toISOString(), by: 'head', envelope: { payload: '', signature: '', chain: [] } } });
    expect(sent).to.deep.include({ startedAt: letterAt, dueAt: at('2026-10-29T14:00') });
    expect(sent!.step.role).to.equal('registrar');
  });

  it('a refusal goes straight to the post; a withdrawn or open case has nothing after it', () => {
    const refusedAt = at('2026-12-30T17:00');
    const clocks = afterResultClocks(DEPOSIT_SOFTWARE, closed('refused', refusedAt), {});
    expect(clocks.map((c) => c.step.id)).to.deep.equal(['dispatch']);
    expect(clocks[0]!.dueAt).to.deep.equal(at('2026-12-31T11:30')); // 1.5 h on the 30th, 2.5 h from 09:00 on the 31st
    expect(afterResultClocks(DEPOSIT_SOFTWARE, closed('withdrawn', refusedAt), {})).to.deep.equal([]);
    expect(afterResultClocks(DEPOSIT_SOFTWARE, start(DEPOSIT_SOFTWARE, refusedAt), {})).to.deep.equal([]);
  });
});
