// The customs check at the border over gRPC: every reason, bad input, batches, consumption races, release.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckReason, MovementType, PermitStatus, type CheckPermitsResponse } from '../../gen/ruqsat/permit/v1/permit.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { checkRequest, HS, IMPORTER, issue, makeSigner, OTHER, permitDocument, permitWorld, signDocument, trustReady, type PermitWorld, type Signer } from './helpers.ts';

describe('permit: the customs check and consumption', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let w: PermitWorld;
  let signatory: Signer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-permit-'));
    t = await startTestMesh(['trust', 'permit']);
    w = await permitWorld(t, dir);
    signatory = await makeSigner(w, dir, '920702400470');
    await trustReady(w);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const issueNew = async (number: string, over = {}) => {
    const doc = permitDocument(number, signatory, over);
    const id = await issue(w, doc, signDocument(doc, signatory));
    return { doc, id };
  };
  const check = async (number: string, over: Record<string, unknown> = {}) => (await call(bind(w.permits, 'checkPermit'), checkRequest(number, over))).response;
  const consume = (number: string, declarationId: string, quantity: number, over: Record<string, unknown> = {}) =>
    call(bind(w.permits, 'consumePermit'), { number, declarationId, declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity, line: 0 }], ...over });

  it('says valid for a covered declaration, with the remaining quantity, and shows the issued permit in the register', async () => {
    const { id } = await issueNew('KZ-CC-2026-0001');
    const r = await check('KZ-CC-2026-0001', { quantity: 10 });
    expect(r).to.include({ valid: true, remainingQuantity: 10, permit: `permits/${id}`, line: 1, verificationCode: '' });
    expect(r.reasons).to.deep.equal([]);
    const hsm = await check('KZ-CC-2026-0001', { hsCode: '8471500000', quantity: 2.5 });
    expect(hsm).to.include({ valid: true, remainingQuantity: 2.5, line: 2 });
    const permit = (await call(bind(w.permits, 'getPermit'), { name: `permits/${id}` })).response;
    expect(permit).to.include({ number: 'KZ-CC-2026-0001', kind: 'permit.customs_crypto', status: PermitStatus.PERMIT_STATUS_VALID, contractReference: 'Contract No. 17/2026 of 2026-02-03 with Acme GmbH' });
    expect(permit.signatory).to.include('IIN920702400470');
  });

  it('answers every reason a permit does not cover a declaration, several at once', async () => {
    await issueNew('KZ-CC-2026-0002');
    const reasons = async (number: string, over: Record<string, unknown> = {}) => {
      const r = await check(number, over);
      expect(r.valid).to.equal(false);
      return r.reasons;
    };
    // An unknown number is an answer, not an error: customs needs one for every declaration.
    expect(await reasons('KZ-NO-SUCH')).to.deep.equal([CheckReason.CHECK_REASON_UNKNOWN]);
    expect(await reasons('KZ-CC-2026-0002', { declarantIdentifier: OTHER })).to.deep.equal([CheckReason.CHECK_REASON_NOT_THIS_DECLARANT]);
    expect(await reasons('KZ-CC-2026-0002', { hsCode: '8471300000' })).to.deep.equal([CheckReason.CHECK_REASON_GOODS_NOT_COVERED]);
    const over = await check('KZ-CC-2026-0002', { quantity: 10.5 });
    expect(over).to.include({ valid: false, remainingQuantity: 10 });
    expect(over.reasons).to.deep.equal([CheckReason.CHECK_REASON_QUANTITY_EXCEEDS_REMAINDER]);
    expect(await reasons('KZ-CC-2026-0002', { movementType: MovementType.MOVEMENT_TYPE_EXPORT })).to.deep.equal([CheckReason.CHECK_REASON_WRONG_MOVEMENT]);
    // Validity is by Almaty dates, both days inclusive.
    expect(await reasons('KZ-CC-2026-0002', { date: new Date('2031-01-01T00:00:00+05:00') })).to.deep.equal([CheckReason.CHECK_REASON_EXPIRED]);
    expect((await check('KZ-CC-2026-0002', { date: new Date('2030-12-31T23:59:00+05:00') })).valid).to.equal(true);
    expect(await reasons('KZ-CC-2026-0002', { date: new Date('2025-12-31T23:59:00+05:00') })).to.deep.equal([CheckReason.CHECK_REASON_NOT_YET_VALID]);
    expect(await reasons('KZ-CC-2026-0002', { declarantIdentifier: OTHER, movementType: MovementType.MOVEMENT_TYPE_TRANSIT, quantity: 11 })).to.have.members([
      CheckReason.CHECK_REASON_NOT_THIS_DECLARANT, CheckReason.CHECK_REASON_WRONG_MOVEMENT, CheckReason.CHECK_REASON_QUANTITY_EXCEEDS_REMAINDER,
    ]);
  });

  it('says SUSPENDED and REVOKED at once after the change, on a permit it had just said valid', async () => {
    await issueNew('KZ-CC-2026-0003');
    expect((await check('KZ-CC-2026-0003')).valid).to.equal(true);
    await w.consumptions.setStatus('KZ-CC-2026-0003', 'suspended', 'test', 'inspection');
    expect((await check('KZ-CC-2026-0003')).reasons).to.deep.equal([CheckReason.CHECK_REASON_SUSPENDED]);
    const refused = await callFails(bind(w.permits, 'consumePermit'), { number: 'KZ-CC-2026-0003', declarationId: 'D-S', declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: 1, line: 0 }] }, grpc.status.FAILED_PRECONDITION);
    expect(refused.status.errorInfo?.reason).to.equal('SUSPENDED');
    await w.consumptions.setStatus('KZ-CC-2026-0003', 'active', 'test', 'inspection passed');
    expect((await check('KZ-CC-2026-0003')).valid).to.equal(true);
    await w.consumptions.setStatus('KZ-CC-2026-0003', 'revoked', 'test', 'licence withdrawn');
    expect((await check('KZ-CC-2026-0003')).reasons).to.deep.equal([CheckReason.CHECK_REASON_REVOKED]);
    const { response } = await call(bind(w.permits, 'listPermits'), { pageSize: 100, pageToken: '', holderIdentifier: IMPORTER });
    expect(response.permits.find((p) => p.number === 'KZ-CC-2026-0003')!.status).to.equal(PermitStatus.PERMIT_STATUS_REVOKED);
  });

  it('refuses bad input with INVALID_ARGUMENT naming each field', async () => {
    const bad = await callFails(bind(w.permits, 'checkPermit'), checkRequest('', { hsCode: '85437090', quantity: 0, declarantIdentifier: '111240003453', movementType: MovementType.MOVEMENT_TYPE_UNSPECIFIED }), grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations.map((v) => v.field)).to.have.members(['number', 'hs_code', 'quantity', 'declarant_identifier', 'movement_type']);
    for (const quantity of [-1, 0, 1.0000001, Number.NaN]) {
      const r = await callFails(bind(w.permits, 'checkPermit'), checkRequest('KZ-CC-2026-0001', { quantity }), grpc.status.INVALID_ARGUMENT);
      expect(r.status.fieldViolations.map((v) => v.field)).to.deep.equal(['quantity']);
    }
    const letters = await callFails(bind(w.permits, 'checkPermit'), checkRequest('KZ-CC-2026-0001', { hsCode: '85437090AB' }), grpc.status.INVALID_ARGUMENT);
    expect(letters.status.fieldViolations[0]).to.include({ field: 'hs_code' });
    const consume = await callFails(bind(w.permits, 'consumePermit'), { number: 'KZ-CC-2026-0001', declarationId: '', declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: -2, line: 0 }] }, grpc.status.INVALID_ARGUMENT);
    expect(consume.status.fieldViolations.map((v) => v.field)).to.have.members(['declaration_id', 'lines[0].quantity']);
    await callFails(bind(w.permits, 'consumePermit'), { number: 'KZ-NO-SUCH', declarationId: 'D-1', declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: 1, line: 0 }] }, grpc.status.NOT_FOUND);
  });

  it('checks a batch on one stream, in order, a bad line failing alone', async () => {
    await issueNew('KZ-CC-2026-0004');
    const stream = w.permits.checkPermits();
    const got: CheckPermitsResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (r: CheckPermitsResponse) => got.push(r));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    stream.write({ correlationId: 'd1/1', check: checkRequest('KZ-CC-2026-0004', { quantity: 3 }) });
    stream.write({ correlationId: 'd1/2', check: checkRequest('KZ-CC-2026-0004', { hsCode: '12345' }) });
    stream.write({ correlationId: 'd2/1', check: checkRequest('KZ-NO-SUCH') });
    stream.write({ correlationId: 'd3/1', check: checkRequest('KZ-CC-2026-0004', { quantity: 11 }) });
    stream.end();
    await done;
    expect(got.map((r) => r.correlationId)).to.deep.equal(['d1/1', 'd1/2', 'd2/1', 'd3/1']);
    expect(got[0]!.result).to.include({ valid: true, remainingQuantity: 10 });
    expect(got[1]!.error?.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(got[1]!.error?.message).to.include('check.hs_code');
    expect(got[2]!.result!.reasons).to.deep.equal([CheckReason.CHECK_REASON_UNKNOWN]);
    expect(got[3]!.result!.reasons).to.deep.equal([CheckReason.CHECK_REASON_QUANTITY_EXCEEDS_REMAINDER]);
  });

  it('lets exactly 10 of 50 concurrent consumptions of one unit through on 10 remaining', async () => {
    await issueNew('KZ-CC-2026-0005');
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => consume('KZ-CC-2026-0005', `RACE-${i}`, 1)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).to.have.length(10);
    expect(lost.map((r) => grpc.status[(r.reason as grpc.ServiceError).code])).to.deep.equal(Array(40).fill('FAILED_PRECONDITION'));
    const last = await check('KZ-CC-2026-0005');
    expect(last).to.include({ valid: false, remainingQuantity: 0 });
    expect(last.reasons).to.deep.equal([CheckReason.CHECK_REASON_QUANTITY_EXCEEDS_REMAINDER]);
    const permit = (await call(bind(w.permits, 'listPermits'), { pageSize: 100, pageToken: '', holderIdentifier: IMPORTER })).response.permits.find((p) => p.number === 'KZ-CC-2026-0005')!;
    expect(permit.goods[0]!.remainingQuantity).to.equal(0);
  });

  it('consumes once per declaration id, refuses the same id with another body, and releases once', async () => {
    const { id } = await issueNew('KZ-CC-2026-0006');
    const first = (await consume('KZ-CC-2026-0006', 'DECL-42', 4)).response;
    expect(first).to.include({ permit: `permits/${id}`, declarationId: 'DECL-42', released: false });
    expect(first.remainingQuantities).to.deep.equal([6]);
    const again = (await consume('KZ-CC-2026-0006', 'DECL-42', 4)).response;
    expect(again).to.deep.equal(first);
    expect((await check('KZ-CC-2026-0006')).remainingQuantity).to.equal(6);
    const other = await callFails(bind(w.permits, 'consumePermit'), { number: 'KZ-CC-2026-0006', declarationId: 'DECL-42', declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: 5, line: 0 }] }, grpc.status.ALREADY_EXISTS);
    expect(other.status.errorInfo?.reason).to.equal('DECLARATION_ALREADY_USED');
    // Two lines of one declaration on the same permit line are summed against the remainder.
    const both = (await consume('KZ-CC-2026-0006', 'DECL-43', 0, { lines: [{ hsCode: HS, quantity: 1.5, line: 0 }, { hsCode: '8471500000', quantity: 0.5, line: 2 }, { hsCode: HS, quantity: 0.5, line: 1 }] })).response;
    expect(both.lines.map((l) => [l.line, l.quantity])).to.deep.equal([[1, 2], [2, 0.5]]);
    expect(both.remainingQuantities).to.deep.equal([4, 2]);

    const released = (await call(bind(w.permits, 'releaseConsumption'), { number: 'KZ-CC-2026-0006', declarationId: 'DECL-42' })).response;
    expect(released).to.include({ released: true });
    expect(released.remainingQuantities).to.deep.equal([8]);
    const twice = (await call(bind(w.permits, 'releaseConsumption'), { number: 'KZ-CC-2026-0006', declarationId: 'DECL-42' })).response;
    expect(twice).to.deep.equal(released);
    expect((await check('KZ-CC-2026-0006')).remainingQuantity).to.equal(8);
    await callFails(bind(w.permits, 'releaseConsumption'), { number: 'KZ-CC-2026-0006', declarationId: 'DECL-NEVER' }, grpc.status.NOT_FOUND);
    // Every consumption and release is in the service's hash-chained audit log.
    const chain = await verifyChain(w.store.db);
    expect(chain.ok).to.equal(true);
    const rows: { action: string }[] = await w.store.db.table('audit_log').where({ resource: `permits/${id}` }).orderBy('position').select('action');
    expect(rows.map((r) => r.action)).to.deep.equal(['consume_permit', 'consume_permit', 'release_consumption']);
  });
});
