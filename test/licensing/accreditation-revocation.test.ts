// Revocation of a certificate of accreditation over gRPC (2022 Rules, ch. 3): procedure B's branches — the explanation
// answered and the remediation (≤ 60 WD, longer by agreement) with its reminder, no explanation in 30 WD or the
// examination's no-violation mark, the report that ends it — and procedure C from the centre's change notice.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { pino } from 'pino';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { AccreditationStatus } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { calendar, type TimeLimit } from '../../services/kit/calendar/index.ts';
import { addDays, instantAt, parseClock, wallClock } from '../../services/kit/calendar/zone.ts';
import { TrustFollower } from '../../services/kit/trust-follower.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { signAct } from '../trust/helpers.ts';
import { buildCentre, COMMISSION, grant, lapse, startAccreditationBench, type AccreditationBench, type MemberName } from './accreditation-fixture.ts';

const wd = (amount: number): TimeLimit => ({ unit: 'working_days', amount });

describe('licensing: revocation of accreditation (procedures A, B and C)', function () {
  this.timeout(300_000);
  let b: AccreditationBench;
  let follower: TrustFollower;

  before(async () => {
    b = await startAccreditationBench();
    follower = new TrustFollower(b.trust, pino({ level: 'silent' }));
    await follower.start();
  });
  after(async () => {
    follower?.stop();
    await b?.stop();
  });

  const get = async (name: string) => (await call(bind(b.licensing, 'getApplication'), { name })).response;
  const acts = async (name: string) => (await call(bind(b.licensing, 'listRevocationActs'), { application: name })).response.acts;
  const payloadOf = (a: { document?: { payload: Uint8Array } }) => JSON.parse(Buffer.from(a.document!.payload).toString('utf8'));
  const accreditationOf = async (name: string) => (await call(bind(b.licensing, 'getAccreditation'), { name })).response;
  /** The step's clock, as the case shows it, is `limit` from its start on the working calendar. */
  const clockOf = async (name: string, step: string) => (await get(name)).steps.filter((x) => x.step === step).at(-1)!;
  const onCalendar = async (name: string, step: string, limit: TimeLimit) => {
    const c = await clockOf(name, step);
    return c.dueTime!.getTime() === calendar.deadline(c.startTime!, limit).dueAt.getTime();
  };
  const examinationDay = () => wallClock(calendar.nextWorkingDayStart(new Date())).date;

  async function complaint(requestId: string, accreditation: string) {
    const app = (await call(bind(b.licensing, 'submitApplication'), { requestId, application: signAct(b.person.key, { act: 'submit_application', service: 'accreditation.revocation', accreditation, complaint: 'my certificate was issued without identification' }, [b.person.cert]) })).response;
    await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: `ISC-C-${requestId}` });
    await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: true }); // request for explanations sent
    expect(await onCalendar(app.name, 'explanations_request', wd(3))).to.equal(true);
    return app.name;
  }

  /** The examination notice, the examination, its act adopted by 3 signatures besides the secretary's. */
  async function examine(name: string, violations: boolean) {
    await b.act(b.officials.executor, name, { act: 'convene_commission', members: COMMISSION, examination_date: examinationDay(), subject: 'identification of applicants at the registration centre' });
    expect(await onCalendar(name, 'examination', wd(6))).to.equal(true);
    await b.act(b.members.chair, name, { act: 'record_finding', complies: violations, reasons: violations ? ['item 11: the registration centre does not identify applicants'] : ['no violations found'] });
    const exam = (await call(bind(b.licensing, 'getInspectionAct'), { application: name })).response;
    for (const m of ['secretary', 'chair', 'tech', 'ns'] as MemberName[]) await b.act(b.members[m], name, { act: 'vote', act_sha256: exam.sha256, signs: true });
  }

  /** The decision with the damage (para 19.2) and its signature; the certificate revoked and the Root CA told. */
  async function revoke(name: string) {
    const decided = await b.act(b.officials.head, name, { act: 'draft_result', role: 'head', damage_to_users: '12 certificates issued to persons never identified' });
    expect(await onCalendar(name, 'decision', wd(1))).to.equal(true);
    await b.act(b.officials.head, name, { act: 'sign', role: 'head', document_signature: b.signDraft(b.officials.head, decided.draftDocument) });
    return JSON.parse(Buffer.from(decided.draftDocument).toString('utf8'));
  }

  it('B: the explanation answered, recommendations (60 WD) extended by agreement, the report missed, the reminder (2 WD), revocation; acts out of order change nothing', async () => {
    const { accreditation } = await grant(b, 'rb-grant-1', buildCentre(b.dir, 'rho'));
    const name = await complaint('rb-1', accreditation.name);
    // The explanation is recorded with the provider's answer; without them the act is refused.
    const bare = await b.actFails(b.officials.executor, name, { act: 'record_finding', complies: true }, grpc.status.INVALID_ARGUMENT);
    expect(bare.violations).to.include.members(['act.payload.explanation', 'act.payload.answer']);
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, reasons: ['the centre admits two unidentified applicants'], explanation: 'two operators skipped the check in March', answer: 'the admission is noted; recommendations follow' });
    expect(await onCalendar(name, 'explanations', wd(30))).to.equal(true);

    // Out of order: the head cannot decide at the recommendations, nor the commission examine; nothing changes.
    const before = await get(name);
    const actsBefore = (await acts(name)).length;
    expect((await b.actFails(b.officials.head, name, { act: 'draft_result', role: 'head' }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('STEP_OUT_OF_ORDER');
    expect((await b.actFails(b.officials.executor, name, { act: 'convene_commission', members: COMMISSION }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('STEP_OUT_OF_ORDER');
    expect((await b.actFails(b.officials.executor, name, { act: 'agree_period', until: '2027-01-29', reasons: ['x'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('STEP_OUT_OF_ORDER');
    expect(await get(name)).to.deep.include({ currentStep: 'recommendations', status: before.status });
    expect((await get(name)).steps).to.deep.equal(before.steps);
    expect(await acts(name)).to.have.length(actsBefore);

    expect((await b.actFails(b.officials.executor, name, { act: 'record_finding', complies: true }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.recommendations');
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, recommendations: 'identify every applicant in person; re-check the 12 certificates' });
    expect(await onCalendar(name, 'remediation', wd(60))).to.equal(true);
    // The missed report is recorded only once the period has run out.
    expect((await b.actFails(b.officials.executor, name, { act: 'record_finding', complies: true, reasons: ['no report'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');

    // The centre explains it needs more than 60 WD; the provider agrees a new last day (para 21).
    const due60 = (await clockOf(name, 'remediation')).dueTime!;
    const caseDue = (await get(name)).dueTime!;
    expect((await b.actFails(b.officials.executor, name, { act: 'agree_period', until: 'next spring', reasons: ['x'] }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.until');
    expect((await b.actFails(b.officials.executor, name, { act: 'agree_period', until: wallClock(due60).date, reasons: ['x'] }, grpc.status.INVALID_ARGUMENT)).violations).to.include('until');
    const agreedDay = wallClock(calendar.deadline(due60, wd(20)).dueAt).date;
    await b.act(b.officials.executor, name, { act: 'agree_period', until: agreedDay, reasons: ['the centre\u2019s letter: the new HSM is delivered in 80 WD; agreed'] });
    const agreedDue = instantAt(agreedDay, parseClock('18:30'));
    expect((await clockOf(name, 'remediation')).dueTime).to.deep.equal(agreedDue);
    expect((await get(name)).dueTime!.getTime() - caseDue.getTime()).to.equal(agreedDue.getTime() - due60.getTime());
    expect((await b.actFails(b.officials.executor, name, { act: 'record_finding', complies: true, reasons: ['no report'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');

    await lapse(b, name);
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, reasons: ['no report by the agreed day'] });
    expect(await onCalendar(name, 'reminder', wd(2))).to.equal(true);
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, reasons: ['no report within the period of the reminder'] });
    const decision = await revoke(name);
    expect(decision).to.include({ document: 'ruqsat.accreditation_revocation', complaint: name });
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_REVOKED, revocationGround: 'violations' });

    // Every act stands as signed, with the branch it took.
    const record = await acts(name);
    expect(record.map((a) => [a.step, a.act])).to.deep.equal([
      ['registration', 'register'], ['explanations_request', 'record_finding'], ['explanations', 'record_finding'], ['recommendations', 'record_finding'], ['remediation', 'agree_period'],
      ['remediation', 'record_finding'], ['reminder', 'record_finding'], ['decision', 'draft_result'], ['revocation', 'sign'],
    ]);
    expect(payloadOf(record[2])).to.include({ explanation: 'two operators skipped the check in March', answer: 'the admission is noted; recommendations follow' });
    expect(payloadOf(record[4])).to.include({ until: agreedDay });
  });

  it('B ends without revocation: no explanation in 30 WD escalates (only once they ran out) to an examination whose act finds none; or the report of elimination closes it', async () => {
    const { accreditation } = await grant(b, 'rb-grant-2', buildCentre(b.dir, 'sigma'));
    const name = await complaint('rb-2', accreditation.name);
    const noExplanation = { act: 'record_finding', complies: true, exit: 'no_explanation', reasons: ['no explanation within 30 WD'] };
    expect((await b.actFails(b.officials.executor, name, noExplanation, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');
    expect((await b.actFails(b.officials.executor, name, { ...noExplanation, exit: 'whenever' }, grpc.status.INVALID_ARGUMENT)).violations).to.include('exit');
    await lapse(b, name);
    await b.act(b.officials.executor, name, noExplanation);
    expect((await get(name)).currentStep).to.equal('examination_notice');
    // The notice gives the date and subject; the date falls within the 6 WD.
    const late = await b.actFails(b.officials.executor, name, { act: 'convene_commission', members: COMMISSION, examination_date: addDays(wallClock(new Date()).date, 30) }, grpc.status.INVALID_ARGUMENT);
    expect(late.violations).to.include.members(['act.payload.examination_date', 'act.payload.subject']);
    await examine(name, false);
    // The act with the no-violation mark ends the case, by the commission, once adopted.
    expect((await b.actFails(b.members.chair, name, { act: 'record_finding', complies: false, reasons: ['no violations found'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('NO_VIOLATIONS_ENDS_CASE');
    expect((await b.actFails(b.officials.head, name, { act: 'refuse', role: 'head' }, grpc.status.PERMISSION_DENIED)).reason).to.equal('WRONG_ROLE');
    const closed = await b.act(b.members.chair, name, { act: 'refuse' });
    expect(closed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect((await get(name)).refusalReasons).to.deep.equal(['no violations found']);
    expect((await call(bind(b.licensing, 'getInspectionAct'), { application: name })).response.adopted).to.equal(true); // adopted by its rule, and final
    expect((await acts(name)).map((a) => [a.step, a.exit])).to.deep.include.members([['explanations', 'no_explanation'], ['examination_act', '']]);
    expect(payloadOf((await acts(name)).find((a) => a.step === 'examination_notice')!)).to.include({ examination_date: examinationDay() });

    // Another complaint: the recommendations carried out, the report in the period ends it without revocation.
    const second = await complaint('rb-3', accreditation.name);
    await b.act(b.officials.executor, second, { act: 'record_finding', complies: true, explanation: 'we will fix it', answer: 'noted' });
    await b.act(b.officials.executor, second, { act: 'record_finding', complies: true, recommendations: 'publish the CRL daily' });
    expect((await b.actFails(b.officials.head, second, { act: 'refuse', reasons: ['eliminated'] }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.report');
    const remedied = await b.act(b.officials.head, second, { act: 'refuse', reasons: ['report of the centre: the CRL is published daily since the 3rd'], report: 'CRL publication log attached' });
    expect(remedied.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_ACTIVE });
    await b.act(b.officials.executor, second, { act: 'record_finding', complies: true }).then(() => expect.fail('a closed case takes no act'), (e: grpc.ServiceError) => expect(e.code).to.equal(grpc.status.FAILED_PRECONDITION));
  });

  it('B with objections: the disagreement goes to the examination; its act adopted; the objections answered; revocation now; REVOKED in another core', async () => {
    const centre = buildCentre(b.dir, 'phi');
    const { accreditation } = await grant(b, 'rb-grant-3', centre);
    const caDer = (await call(bind(b.trust, 'getAuthority'), { name: accreditation.authority })).response.certificateDer;
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [caDer], crlCheck: 'all' });
    expect(verify().ok).to.equal(true);
    const name = await complaint('rb-4', accreditation.name);
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, exit: 'disagreement', reasons: ['disagrees without grounds'], explanation: 'we identify everyone', answer: 'the registration journal shows otherwise' });
    await examine(name, true);
    await b.act(b.members.chair, name, { act: 'record_finding', complies: true, reasons: ['item 11: the registration centre does not identify applicants'] });
    expect((await b.actFails(b.officials.executor, name, { act: 'record_finding', complies: true, exit: 'revoke' }, grpc.status.INVALID_ARGUMENT)).violations).to.include.members(['act.payload.objections', 'act.payload.answer']);
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, exit: 'revoke', reasons: ['objections not founded'], objections: 'the commission came on a holiday', answer: 'the examination was held on a working day; the objections are rejected' });
    expect(await onCalendar(name, 'objections', wd(30))).to.equal(true);
    await revoke(name);
    const acknowledged = Date.now();
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.deep.include({ ok: false, code: 'REVOKED' });
  });

  async function changeNotice(requestId: string, accreditation: string, changeDate: string) {
    return (await call(bind(b.licensing, 'submitApplication'), { requestId, application: signAct(b.applicant.key, { act: 'submit_application', service: 'accreditation.changes', accreditation, changes: 'the backup HSM moved to a new data centre', change_date: changeDate }, [b.applicant.cert]) })).response;
  }
  const detailsOf = async (name: string) => (await b.store.db.table('applications', undefined).where({ id: name.split('/')[1] }).first()).details;

  it('C: a late change notice, discrepancies, measures not taken in the period, the inspection as B from step 5, revocation at the Root CA', async () => {
    const centre = buildCentre(b.dir, 'tau');
    const { accreditation } = await grant(b, 'rc-grant-1', centre);
    const caDer = (await call(bind(b.trust, 'getAuthority'), { name: accreditation.authority })).response.certificateDer;
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [caDer], crlCheck: 'all' });
    const future = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'rc-0', application: signAct(b.applicant.key, { act: 'submit_application', service: 'accreditation.changes', accreditation: accreditation.name, changes: 'x', change_date: addDays(wallClock(new Date()).date, 3) }, [b.applicant.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(future.status.fieldViolations.map((v) => v.field)).to.include('application.payload.change_date');
    const changed = addDays(wallClock(new Date()).date, -30);
    const notice = await changeNotice('rc-1', accreditation.name, changed);
    // 30 calendar days are more than 10 WD: the notice is taken, and marked late.
    expect(await detailsOf(notice.name)).to.deep.include({ change_date: changed, late: true, notice_due: calendar.deadline(instantAt(changed, parseClock('12:00')), wd(10)).dueAt.toISOString() });
    await b.act(b.officials.registrar, notice.name, { act: 'register', registration_no: 'ISC-CH-1' });
    await b.act(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['the new site is not in the hardware-location list'], recommendations: 'register the new site and bring its server room to the requirements' });
    expect(await onCalendar(notice.name, 'measures', wd(60))).to.equal(true);
    expect((await b.actFails(b.officials.head, notice.name, { act: 'record_finding', complies: true, reasons: ['measures not taken'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');
    await lapse(b, notice.name);
    await b.act(b.officials.head, notice.name, { act: 'record_finding', complies: true, reasons: ['measures not taken: a commission on-site inspection is decided'] });
    expect((await get(notice.name)).currentStep).to.equal('examination_notice');
    await examine(notice.name, true);
    await b.act(b.members.chair, notice.name, { act: 'record_finding', complies: true, reasons: ['item 11: the registration centre does not identify applicants'] });
    await b.act(b.officials.executor, notice.name, { act: 'record_finding', complies: true, exit: 'revoke', reasons: ['no objections'], objections: 'none received', answer: 'none to answer' });
    expect(verify().ok).to.equal(true);
    const decision = await revoke(notice.name);
    expect(decision.change_notice).to.deep.include({ application: notice.name, change_date: changed, late: true });
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_REVOKED });
    const acknowledged = Date.now();
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.deep.include({ ok: false, code: 'REVOKED' });
  });

  it('C ends in closure: a notice on time, the measures taken within the period; only the holder may notify', async () => {
    const { accreditation } = await grant(b, 'rc-grant-2', buildCentre(b.dir, 'upsilon'));
    const person = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'rc-2p', application: signAct(b.person.key, { act: 'submit_application', service: 'accreditation.changes', accreditation: accreditation.name, changes: 'x', change_date: wallClock(new Date()).date }, [b.person.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(person.status.fieldViolations.map((v) => v.field)).to.include('application.payload.accreditation'); // not the holder
    const today = wallClock(new Date()).date;
    const notice = await changeNotice('rc-2', accreditation.name, today);
    expect(await detailsOf(notice.name)).to.deep.include({ change_date: today, late: false });
    await b.act(b.officials.registrar, notice.name, { act: 'register', registration_no: 'ISC-CH-2' });
    await b.act(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['the new site is not listed'], recommendations: 'list the new site' });
    const closed = await b.act(b.officials.head, notice.name, { act: 'refuse', reasons: ['the centre listed the new site'], report: 'the updated hardware-location list' });
    expect(closed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_ACTIVE });
    expect((await acts(notice.name)).map((a) => [a.step, a.act])).to.deep.equal([['registration', 'register'], ['review', 'record_finding'], ['measures', 'refuse']]);
  });

  it('A: the re-registration notified with the period needed, that period recorded and run out, then the revocation; REVOKED in another core', async () => {
    const centre = buildCentre(b.dir, 'phi');
    const { accreditation } = await grant(b, 'ra-grant-1', centre);
    const caDer = (await call(bind(b.trust, 'getAuthority'), { name: accreditation.authority })).response.certificateDer;
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [caDer], crlCheck: 'all' });
    const notify = (requestId: string, key: typeof b.applicant, payload: Record<string, unknown>) =>
      call(bind(b.licensing, 'submitApplication'), { requestId, application: signAct(key.key, { act: 'submit_application', service: 'accreditation.termination', accreditation: accreditation.name, ...payload }, [key.cert]) });
    const today = wallClock(new Date()).date;
    const periodEnd = addDays(today, 20);
    // Bad notifications are refused and create nothing: someone else's certificate, no ground, a period already over.
    const bad = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'ra-0', application: signAct(b.person.key, { act: 'submit_application', service: 'accreditation.termination', accreditation: accreditation.name, ground: 'closing down', period_end: today }, [b.person.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations.map((v) => v.field)).to.include.members(['application.payload.accreditation', 'application.payload.ground', 'application.payload.period_end']);
    const notice = (await notify('ra-1', b.applicant, { ground: 'reregistration', period_end: periodEnd })).response;
    expect(await detailsOf(notice.name)).to.deep.include({ ground: 'reregistration', period_end: periodEnd });
    await b.act(b.officials.registrar, notice.name, { act: 'register', registration_no: 'ISC-A-1' });
    // The period must be recorded, and be the one named; its end is recorded only once it has run out.
    expect((await b.actFails(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['period over'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');
    await lapse(b, notice.name); // even once the registration day is over, not before the named period is recorded
    expect((await b.actFails(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['period over'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_RECORDED');
    expect((await b.actFails(b.officials.executor, notice.name, { act: 'agree_period', until: addDays(periodEnd, 1), reasons: ['as notified'] }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.until');
    await b.act(b.officials.executor, notice.name, { act: 'agree_period', until: periodEnd, reasons: ['the period the notification names'] });
    expect(wallClock((await clockOf(notice.name, 'period')).dueTime!).date).to.equal(periodEnd);
    expect((await b.actFails(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['period over'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('PERIOD_NOT_OVER');
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_ACTIVE });
    await lapse(b, notice.name);
    await b.act(b.officials.executor, notice.name, { act: 'record_finding', complies: true, reasons: ['the period named for the re-registration has run out'] });
    expect(verify().ok).to.equal(true);
    const decided = await b.act(b.officials.head, notice.name, { act: 'draft_result', role: 'head' });
    const decision = JSON.parse(Buffer.from(decided.draftDocument).toString('utf8'));
    expect(decision).to.deep.include({ document: 'ruqsat.accreditation_revocation', ground: "the legal entity's re-registration (para 19.1)", notification: { application: notice.name, period_end: periodEnd } });
    await b.act(b.officials.head, notice.name, { act: 'sign', role: 'head', document_signature: b.signDraft(b.officials.head, decided.draftDocument) });
    expect(await accreditationOf(accreditation.name)).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_REVOKED, revocationGround: 'reregistration' });
    const acknowledged = Date.now();
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.deep.include({ ok: false, code: 'REVOKED' });
    expect((await acts(notice.name)).map((a) => [a.step, a.act])).to.deep.equal([['registration', 'register'], ['period', 'agree_period'], ['period', 'record_finding'], ['decision', 'draft_result'], ['revocation', 'sign']]);
  });
});
