// NSC suspends, reinstates and revokes a permit by officials' EDS-signed acts; customs sees each at once.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckReason, PermitStatus } from '../../gen/ruqsat/permit/v1/permit.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { signAct } from '../trust/helpers.ts';
import { checkRequest, issue, makeSigner, permitDocument, permitWorld, signDocument, trustReady, type PermitWorld, type Signer } from './helpers.ts';

describe('permit: suspension, reinstatement and revocation by signed acts', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let w: PermitWorld;
  let signatory: Signer;
  let executor: Signer;
  let outsider: Signer;
  let name: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-permit-status-'));
    t = await startTestMesh(['trust', 'permit']);
    w = await permitWorld(t, dir);
    signatory = await makeSigner(w, dir, '920702400470');
    executor = await makeSigner(w, dir, '851120300359', 'official_executor');
    // A signatory's certificate, but not on the permit staff.
    outsider = await makeSigner(w, dir, '780103500569');
    await w.store.addStaff('920702400470', 'signatory');
    await w.store.addStaff('851120300359', 'executor');
    const doc = permitDocument('KZ-ST-0001', signatory);
    name = `permits/${await issue(w, doc, signDocument(doc, signatory))}`;
    await trustReady(w);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const act = (who: Signer, verb: string, body: object = {}) => signAct(who.key, { act: verb, permit: name, reason: 'inspection of the importer', ...body }, who.chain);
  const reasons = async () => (await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-ST-0001'))).response.reasons;

  it('refuses an act by someone not on the staff, by a wrong role, unsigned, or about another permit', async () => {
    expect((await callFails(bind(w.permits, 'suspendPermit'), { name, act: act(outsider, 'suspend_permit') }, grpc.status.PERMISSION_DENIED)).status.errorInfo?.reason).to.equal('NOT_STAFF');
    expect((await callFails(bind(w.permits, 'suspendPermit'), { name, act: act(executor, 'suspend_permit') }, grpc.status.PERMISSION_DENIED)).status.errorInfo?.reason).to.equal('WRONG_ROLE');
    await callFails(bind(w.permits, 'suspendPermit'), { name, act: undefined }, grpc.status.UNAUTHENTICATED);
    const other = await callFails(bind(w.permits, 'suspendPermit'), { name, act: act(signatory, 'revoke_permit') }, grpc.status.INVALID_ARGUMENT);
    expect(other.status.fieldViolations[0]).to.include({ field: 'act.payload' });
    const noReason = await callFails(bind(w.permits, 'suspendPermit'), { name, act: act(signatory, 'suspend_permit', { reason: '' }) }, grpc.status.INVALID_ARGUMENT);
    expect(noReason.status.fieldViolations[0]).to.include({ field: 'act.payload.reason' });
    expect(await reasons()).to.deep.equal([]);
  });

  it('suspends, reinstates and revokes, each signed act once, and customs sees each change at once', async () => {
    const suspend = act(signatory, 'suspend_permit');
    const suspended = (await call(bind(w.permits, 'suspendPermit'), { name, act: suspend })).response;
    expect(suspended.status).to.equal(PermitStatus.PERMIT_STATUS_SUSPENDED);
    expect(await reasons()).to.deep.equal([CheckReason.CHECK_REASON_SUSPENDED]);
    expect((await callFails(bind(w.permits, 'suspendPermit'), { name, act: suspend }, grpc.status.FAILED_PRECONDITION)).status.errorInfo?.reason).to.equal('ALREADY_SUSPENDED');

    expect((await call(bind(w.permits, 'reinstatePermit'), { name, act: act(signatory, 'reinstate_permit') })).response.status).to.equal(PermitStatus.PERMIT_STATUS_VALID);
    expect(await reasons()).to.deep.equal([]);
    // The same signed suspension again would suspend again: it is accepted once only.
    expect((await callFails(bind(w.permits, 'suspendPermit'), { name, act: suspend }, grpc.status.ALREADY_EXISTS)).status.errorInfo?.reason).to.equal('ACT_ALREADY_USED');
    expect(await reasons()).to.deep.equal([]);

    expect((await call(bind(w.permits, 'revokePermit'), { name, act: act(signatory, 'revoke_permit') })).response.status).to.equal(PermitStatus.PERMIT_STATUS_REVOKED);
    expect(await reasons()).to.deep.equal([CheckReason.CHECK_REASON_REVOKED]);
    expect((await callFails(bind(w.permits, 'reinstatePermit'), { name, act: act(signatory, 'reinstate_permit') }, grpc.status.FAILED_PRECONDITION)).status.errorInfo?.reason).to.equal('PERMIT_REVOKED');

    const rows: { action: string; actor: string }[] = await w.store.db.table('audit_log').where({ resource: name }).orderBy('position').select('action', 'actor');
    expect(rows.map((r) => r.action)).to.deep.equal(['permit_suspended', 'permit_active', 'permit_revoked']);
    expect(rows[0]!.actor).to.include('IIN920702400470').and.include('(signatory)');
    expect((await verifyChain(w.store.db)).ok).to.equal(true);
  });
});
