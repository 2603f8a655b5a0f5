// Whose upload an application may name, on a mesh with mutual TLS where every caller is "BIN/system": an
// organisation's own upload, or one the submitting system made itself; another's is PERMISSION_DENIED and leaves nothing.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import { DepositServiceClient } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { identityPaths } from '../../services/kit/tls/identity.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, type TestKey, type TestOperator } from '../trust/helpers.ts';
import { chunksOf, manifestOf, project, upload } from './helpers.ts';

const RIGHTS = JSON.parse(readFileSync(new URL('../../config/access-rights.json', import.meta.url), 'utf8'));
const QORGAU = '010440001231'; // Qorgau Security LLP in the demo reference registry
const SHEKARA = '111240003452'; // Shekara Import LLP
const PORTAL = '100340000033/egov-portal';
const OPTIONS = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const ATTACHMENTS = ['deposit_application', 'deposit_objects'].map((id) => ({ id, sha256: hash(id) }));

interface Signer {
  key: TestKey;
  chain: Uint8Array[];
  identifier: string;
}

describe('deposit: the uploader bound to the applicant under mutual TLS', function () {
  this.timeout(180_000);
  let t: TestMesh;
  let root: string;
  let dir: string;
  let operator: TestOperator;
  const clients: grpc.Client[] = [];

  const client = <C extends grpc.Client>(Ctor: new (a: string, c: grpc.ChannelCredentials, o?: object) => C, service: 'trust' | 'deposit', system: string): C => {
    const p = identityPaths(dir, system);
    const c = new Ctor(t.address(service), grpc.credentials.createSsl(readFileSync(p.ca), readFileSync(p.key), readFileSync(p.cert)), OPTIONS);
    clients.push(c);
    return c;
  };
  const deposit = (system: string) => client(DepositServiceClient, 'deposit', system);

  async function signer(trust: TrustServiceClient, iin: string, profile: string, bin?: string): Promise<Signer> {
    const key = makeKey(root, `signer-${iin}-${profile}`, 'ed25519');
    const cert = await issueCertificate(trust, operator, key, `req-${iin}-${profile}`, iin, profile, bin);
    const leaf = parseCertificate(cert.der);
    const { authorities } = (await call(bind(trust, 'listAuthorities'), { pageSize: 100, pageToken: '' })).response;
    const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text)!;
    return { key, chain: [cert.der, issuer.certificateDer], identifier: bin ?? iin };
  }
  const submitRequest = (who: Signer, requestId: string, object: string) => ({
    requestId,
    application: signAct(who.key, { act: 'submit_application', service: 'deposit.software', attachments: ATTACHMENTS, object, sub_kinds: ['program_code'] }, who.chain),
  });
  const uploaded = async (system: string, id: string) => {
    const files = project(id.length);
    return (await upload(deposit(system), [manifestOf(id, files), ...chunksOf(files)])).object!.name;
  };

  let qorgau: Signer;
  let shekara: Signer;
  let person: Signer;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-mtls-'));
    // Two depositing organisations' own systems beside the portal, with the right to upload and apply.
    const rights = {
      ...RIGHTS,
      groups: { ...RIGHTS.groups, depositors: [`${QORGAU}/*`, `${SHEKARA}/*`] },
      rights: [...RIGHTS.rights, { service: 'ruqsat.deposit.v1.DepositService', methods: ['UploadObject', 'GetUploadStatus', 'SubmitApplication', 'ListApplications'], allow: ['depositors'] }],
      demo: [...RIGHTS.demo, { system: 'qorgau-ci', bin: QORGAU, organization: 'Qorgau Security LLP' }, { system: 'shekara-ci', bin: SHEKARA, organization: 'Shekara Import LLP' }],
    };
    writeFileSync(join(root, 'rights.json'), JSON.stringify(rights));
    t = await startTestMesh(['trust', 'deposit'], { MESH_TLS: 'on', MESH_TLS_DIR: join(root, 'mesh'), ACCESS_RIGHTS_FILE: join(root, 'rights.json'), DEPOSIT_BLOB_DIR: join(root, 'blobs') });
    dir = join(root, 'mesh');
    for (let i = 0; i < 100 && !t.mesh.security?.ready; i++) await new Promise((r) => setTimeout(r, 100));
    operator = await provisionOperator(t, root);
    const trust = client(TrustServiceClient, 'trust', 'ruqsat-operator');
    qorgau = await signer(trust, '870601300126', 'legal_entity_sign', QORGAU);
    shekara = await signer(trust, '920702400470', 'legal_entity_sign', SHEKARA);
    person = await signer(trust, '900315400215', 'individual_sign');
    // The service loads trust's anchors in the background: until then a signed submission is UNAVAILABLE.
    for (let i = 0; ; i++) {
      const r = await call(bind(deposit('egov-portal'), 'submitApplication'), submitRequest(person, 'probe', 'objects/none')).catch((e: grpc.ServiceError) => e);
      if ((r as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) break;
      if (i > 200) throw new Error('deposit never loaded the trust anchors');
      await new Promise((res) => setTimeout(res, 50));
    }
  });
  after(async () => {
    for (const c of clients) c.close();
    await t?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("an organisation deposits its own system's upload, directly or through the portal", async () => {
    const object = await uploaded('qorgau-ci', 'mtls-own');
    const direct = (await call(bind(deposit('qorgau-ci'), 'submitApplication'), submitRequest(qorgau, 'own-1', object))).response;
    expect(direct.object).to.equal(object);
    const viaPortal = (await call(bind(deposit('egov-portal'), 'submitApplication'), submitRequest(qorgau, 'own-2', object))).response;
    expect(viaPortal.object).to.equal(object);
  });

  it('`ruqsat deposit upload` presents the mesh identity it is given: the organisation applies for what its system uploaded', async () => {
    const tree = join(root, 'tree');
    for (const f of project(9)) {
      mkdirSync(dirname(join(tree, f.path)), { recursive: true });
      writeFileSync(join(tree, f.path), f.data);
    }
    const env = testEnv({ MESH_TLS: 'on', MESH_TLS_DIR: dir, MESH_IDENTITY: 'qorgau-ci', XDG_STATE_HOME: join(root, 'state') });
    const { stdout } = await promisify(execFile)('node', ['bin/ruqsat.js', 'deposit', 'upload', tree, '--type', 'code', '--json', '--target', t.address('deposit')], { env, timeout: 60_000 });
    const object = (JSON.parse(stdout) as { object: string }).object;
    const app = (await call(bind(deposit('qorgau-ci'), 'submitApplication'), submitRequest(qorgau, 'cli-1', object))).response;
    expect(app.object).to.equal(object);
    const err = await callFails(bind(deposit('shekara-ci'), 'submitApplication'), submitRequest(shekara, 'cli-2', object), grpc.status.PERMISSION_DENIED);
    expect(err.status.fieldViolations[0]!.description).to.contain(`uploaded by ${QORGAU}/qorgau-ci`);
  });

  it('the portal submits what it uploaded for a person; nobody else may', async () => {
    const object = await uploaded('egov-portal', 'mtls-portal');
    expect((await call(bind(deposit('egov-portal'), 'submitApplication'), submitRequest(person, 'portal-1', object))).response.object).to.equal(object);
    const err = await callFails(bind(deposit('shekara-ci'), 'submitApplication'), submitRequest(shekara, 'portal-2', object), grpc.status.PERMISSION_DENIED);
    expect(err.status.errorInfo?.reason).to.equal('FOREIGN_OBJECT');
    expect(err.status.fieldViolations[0]!.description).to.contain(`uploaded by ${PORTAL}`).and.contain(`BIN ${SHEKARA}`);
  });

  it("refuses another organisation's upload, whoever submits it, and records nothing", async () => {
    const object = await uploaded('qorgau-ci', 'mtls-foreign');
    for (const [system, requestId] of [['shekara-ci', 'foreign-1'], ['egov-portal', 'foreign-2']] as const) {
      const err = await callFails(bind(deposit(system), 'submitApplication'), submitRequest(shekara, requestId, object), grpc.status.PERMISSION_DENIED);
      expect(err.status.errorInfo?.reason).to.equal('FOREIGN_OBJECT');
      expect(err.status.fieldViolations.map((v) => v.field)).to.deep.equal(['application.payload.object']);
      expect(err.status.fieldViolations[0]!.description).to.contain(`uploaded by ${QORGAU}/qorgau-ci`);
    }
    const mine = (await call(bind(deposit('shekara-ci'), 'listApplications'), { pageSize: 10, pageToken: '', applicantIdentifier: SHEKARA })).response.applications;
    expect(mine).to.deep.equal([]);
  });
});
