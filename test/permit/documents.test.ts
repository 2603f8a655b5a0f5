// The signed permit document: verified offline (RPC and CLI), tampering and a revoked signatory caught.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CheckReason } from '../../gen/ruqsat/permit/v1/permit.ts';
import { exportSignedDocument } from '../../services/kit/documents/export.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { pem, signAct } from '../trust/helpers.ts';
import { checkRequest, issue, makeSigner, permitDocument, permitWorld, signDocument, trustReady, type PermitWorld, type Signer } from './helpers.ts';

const exec = promisify(execFile);

async function ruqsat(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['bin/ruqsat.js', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('permit: the signed permit document, verified offline', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let w: PermitWorld;
  let signatory: Signer;
  let env: Record<string, string | undefined>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-permit-doc-'));
    t = await startTestMesh(['trust', 'permit']);
    w = await permitWorld(t, dir);
    signatory = await makeSigner(w, dir, '920702400470');
    await trustReady(w);
    env = testEnv({ TRUST_ADDRESS: t.address('trust') });
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The Root CA and every authority's current full and delta CRLs, as files a post with no connection keeps. */
  async function trustFiles(): Promise<string[]> {
    const { anchors } = (await call(bind(w.trust, 'listTrustAnchors'), {})).response;
    writeFileSync(join(dir, 'root.pem'), anchors.map((a) => pem(a.certificateDer)).join(''));
    const args = ['--ca', join(dir, 'root.pem')];
    const { authorities } = (await call(bind(w.trust, 'listAuthorities'), { pageSize: 100, pageToken: '' })).response;
    for (const [i, a] of authorities.entries()) {
      for (const delta of [false, true]) {
        const crl = await call(bind(w.trust, 'getCrl'), { authority: a.name, delta }).catch(() => undefined);
        if (!crl) continue;
        const file = join(dir, `crl-${i}-${delta}.pem`);
        writeFileSync(file, pem(crl.response.crlDer, 'X509 CRL'));
        args.push('--crl', file);
      }
    }
    return args;
  }

  it('verifies an issued permit by RPC with no database read, and returns the document decoded', async () => {
    const doc = permitDocument('KZ-DOC-0001', signatory);
    const id = await issue(w, doc, signDocument(doc, signatory));
    const envelope = (await call(bind(w.permits, 'getPermitDocument'), { name: `permits/${id}` })).response;
    const { response } = await call(bind(w.permits, 'verifyPermitDocument'), { document: envelope, time: undefined });
    expect(response.ok).to.equal(true);
    expect(response.verification).to.include({ ok: true, code: 'OK' });
    expect(response.verification!.chain).to.have.length(3);
    expect(JSON.parse(response.documentJson)).to.deep.equal(doc);
    expect(response.permit).to.include({ number: 'KZ-DOC-0001', kind: 'permit.customs_crypto' });
    expect(response.permit!.goods.map((g) => [g.hsCode, g.quantity])).to.deep.equal([['8543709000', 10], ['8471500000', 2.5]]);
    await callFails(bind(w.permits, 'verifyPermitDocument'), { document: undefined, time: undefined }, grpc.status.INVALID_ARGUMENT);
  });

  it('catches a tampered document, one signed by a non-signatory, and one naming another signatory', async () => {
    const doc = permitDocument('KZ-DOC-0002', signatory);
    const good = signDocument(doc, signatory);
    const tampered = { ...good, payload: Buffer.from(good.payload.toString().replace('"quantity":"10"', '"quantity":"1000"')) };
    expect(tampered.payload.toString()).to.include('"quantity":"1000"');
    const verify = async (document: typeof good) => (await call(bind(w.permits, 'verifyPermitDocument'), { document, time: undefined })).response;
    expect((await verify(tampered)).verification).to.include({ ok: false, code: 'BAD_SIGNATURE' });
    // The register holds what the workflow recorded; a tampered copy there fails every customs check.
    await issue(w, doc, tampered);
    const r = (await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-DOC-0002'))).response;
    expect(r).to.include({ valid: false, verificationCode: 'BAD_SIGNATURE' });
    expect(r.reasons).to.deep.equal([CheckReason.CHECK_REASON_SIGNATURE_INVALID]);

    const executor = await makeSigner(w, dir, '851120300359', 'official_executor');
    const byExecutor = permitDocument('KZ-DOC-0003', executor);
    expect((await verify(signDocument(byExecutor, executor))).verification).to.include({ ok: false, code: 'NOT_SIGNATORY' });
    const misnamed = permitDocument('KZ-DOC-0004', signatory, { signatory: { iin: '851120300359', name: 'Someone Else' } });
    expect((await verify(signDocument(misnamed, signatory))).verification).to.include({ ok: false, code: 'SIGNATORY_MISMATCH' });
  });

  it('verify-document checks an export file against trust, and offline against --ca/--crl files', async () => {
    const doc = permitDocument('KZ-DOC-0005', signatory);
    const envelope = signDocument(doc, signatory);
    await issue(w, doc, envelope);
    const file = join(dir, 'KZ-DOC-0005.json');
    writeFileSync(file, exportSignedDocument(envelope));
    const online = await ruqsat(['verify-document', file], env);
    expect(online.code, online.stderr).to.equal(0);
    expect(online.stdout).to.include(`${file}: OK permit KZ-DOC-0005 (permit.customs_crypto, import) for Shekara Import LLP (111240003452)`);
    // A post with no connection: the trust service's address is unreachable, the files suffice.
    const offlineEnv = { ...env, TRUST_ADDRESS: '127.0.0.1:1' };
    const offline = await ruqsat(['verify-document', ...(await trustFiles()), '--json', file], offlineEnv);
    expect(offline.code, offline.stderr).to.equal(0);
    expect(JSON.parse(offline.stdout)).to.deep.include({ ok: true, code: 'OK', document: doc });

    const bad = join(dir, 'tampered.json');
    writeFileSync(bad, exportSignedDocument({ ...envelope, payload: Buffer.from(envelope.payload.toString().replace('2030-12-31', '2039-12-31')) }));
    const refused = await ruqsat(['verify-document', ...(await trustFiles()), bad], offlineEnv);
    expect(refused.code).to.equal(2);
    expect(refused.stdout).to.include(`${bad}: FAIL BAD_SIGNATURE`);
    const noTrust = await ruqsat(['verify-document', file], offlineEnv);
    expect(noTrust.code).to.equal(2);
    expect(noTrust.stderr).to.include('unreachable');
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"format":"something else"}');
    expect((await ruqsat(['verify-document', ...(await trustFiles()), junk], offlineEnv)).stdout).to.include('FAIL MALFORMED');
  });

  it('says SIGNATORY_REVOKED once trust revokes the signatory\u2019s certificate, online and in the CLI', async () => {
    const kim = await makeSigner(w, dir, '780103500569');
    const doc = permitDocument('KZ-DOC-0006', kim, { signatory: { iin: '780103500569', name: 'Kim Viktor' } });
    const envelope = signDocument(doc, kim);
    await issue(w, doc, envelope);
    const file = join(dir, 'KZ-DOC-0006.json');
    writeFileSync(file, exportSignedDocument(envelope));
    expect((await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-DOC-0006'))).response.valid).to.equal(true);

    const act = { act: 'revoke_certificate', certificate: kim.name, reason: 1 };
    await call(bind(w.trust, 'revokeCertificate'), { name: kim.name, reason: 1, request: signAct(kim.key, act, [kim.chain[0]!]) });
    const revokedAt = Date.now();
    let r = (await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-DOC-0006'))).response;
    while (r.valid && Date.now() - revokedAt < 5_000) {
      await new Promise((res) => setTimeout(res, 20));
      r = (await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-DOC-0006'))).response;
    }
    expect(r.reasons).to.deep.equal([CheckReason.CHECK_REASON_SIGNATORY_REVOKED]);
    expect(r.verificationCode).to.equal('REVOKED');
    expect(Date.now() - revokedAt).to.be.lessThan(2_000);
    const verified = (await call(bind(w.permits, 'verifyPermitDocument'), { document: envelope, time: undefined })).response;
    expect(verified.verification).to.include({ ok: false, code: 'SIGNATORY_REVOKED', revocationReason: 1 });
    expect(verified.verification!.message).to.match(/^REVOKED: /);

    const cli = await ruqsat(['verify-document', file], env);
    expect(cli.code).to.equal(2);
    expect(cli.stdout).to.include('FAIL SIGNATORY_REVOKED REVOKED: ');
    // The earlier permit's signatory is untouched.
    expect((await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-DOC-0001'))).response.valid).to.equal(true);
  });
});
