// Crash safety: licensing killed (SIGKILL) between two steps of a case; after a restart on the same database
// nothing acknowledged is lost or duplicated, and the deadlines are the ones the applicant was shown.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { LicensingServiceClient } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { closeClients, clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, signBytes, type TestKey } from '../trust/helpers.ts';
import { FORM, STATE_BODY } from './fixture.ts';

const exec = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('licensing: killed between two steps, restarted', function () {
  this.timeout(180_000);
  let t: TestMesh;
  let dir: string;
  let env: Record<string, string | undefined>;
  let child: ChildProcess | undefined;
  const people: Record<string, { key: TestKey; cert: Uint8Array }> = {};

  async function startLicensing(): Promise<void> {
    const proc = spawn('node', ['bin/ruqsat.js', 'start', '--service', 'licensing'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`licensing did not start:\n${out}`)), 90_000);
      proc.stdout!.on('data', () => out.includes('Press Ctrl-C to stop.') && (clearTimeout(timer), resolve()));
      proc.once('exit', (code) => reject(new Error(`licensing exited with ${code}:\n${out}`)));
    });
    child = proc;
    closeClients();
    // It verifies signatures once it has loaded trust's anchors and CRLs.
    for (let i = 0; i < 400; i++) {
      const probe = await call(bind(cases(), 'performAct'), actRequest('registrar', 'applications/probe', { act: 'register' })).catch((e: grpc.ServiceError) => e);
      if ((probe as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('licensing never became ready');
  }

  const licensing = () => clientFor(LicensingServiceClient, env.LICENSING_ADDRESS!);
  const cases = () => clientFor(CaseServiceClient, env.LICENSING_ADDRESS!);
  const actRequest = (who: string, application: string, body: object) => ({ application, act: signAct(people[who]!.key, { application, ...body }, [people[who]!.cert]) });
  const act = async (who: string, application: string, body: object) => (await call(bind(cases(), 'performAct'), actRequest(who, application, body))).response;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-crash-'));
    t = await startTestMesh(['trust']);
    const trust = clientFor(TrustServiceClient, t.address('trust'));
    const operator = await provisionOperator(t, dir);
    const port = await freePort();
    env = testEnv({ PGLITE_DIR: join(dir, 'pglite'), LICENSING_PORT: String(port), LICENSING_ADDRESS: `127.0.0.1:${port}`, TRUST_ADDRESS: t.address('trust'), METRICS_PORT: '-1', SLA_SCAN_MS: '0' });
    const staff: [string, string, string][] = [['registrar', '900315400215', 'official_registrar'], ['executor', '851120300359', 'official_executor'], ['signatory', '920702400470', 'official_signatory']];
    for (const [role, iin, profile] of staff) {
      const key = makeKey(dir, role, 'ed25519');
      people[role] = { key, cert: (await issueCertificate(trust, operator, key, `crash-${role}`, iin, profile, STATE_BODY)).der };
      // The provider's staff table, as an administrator sets it, before the service starts.
      await exec('node', ['bin/ruqsat.js', 'staff', 'add', '--service', 'licensing', '--iin', iin, '--role', role], { env });
    }
    const key = makeKey(dir, 'applicant', 'ed25519');
    people.applicant = { key, cert: (await issueCertificate(trust, operator, key, 'crash-applicant', '870601300126')).der };
  });
  after(async () => {
    child?.kill('SIGKILL');
    if (process.env.DATABASE_URL) {
      const { knex } = t.mesh.database;
      await knex.raw('drop schema if exists ?? cascade', [`${env.DB_SCHEMA_PREFIX}licensing`]).catch(() => undefined);
    }
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the case, its history and its deadlines, and a retried submit finds the same application', async () => {
    await startLicensing();
    const submit = { requestId: 'crash-1', application: signAct(people.applicant!.key, { act: 'submit_application', service: 'license.sts_ors', sub_kinds: ['development', 'repair'], payment_reference: 'EGOV-9', attachments: [{ id: 'qualification_requirements_form', sha256: FORM }] }, [people.applicant!.cert]) };
    const submitted = (await call(bind(licensing(), 'submitApplication'), submit)).response;
    await act('registrar', submitted.name, { act: 'register', registration_no: 'REG-CRASH-1' });
    await act('executor', submitted.name, { act: 'record_finding', complies: true });
    const before = (await call(bind(licensing(), 'getApplication'), { name: submitted.name })).response;

    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
    await startLicensing();

    const after = (await call(bind(licensing(), 'getApplication'), { name: submitted.name })).response;
    expect(after.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    expect(after.currentStep).to.equal('drafting');
    expect(after.dueTime).to.deep.equal(before.dueTime);
    expect(after.steps).to.deep.equal(before.steps);
    expect(after.history.map((h) => h.action)).to.deep.equal(['submit_application', 'register', 'record_finding']);
    // The portal retries the submit it never saw answered: the same application, not a second one.
    const retried = (await call(bind(licensing(), 'submitApplication'), submit)).response;
    expect(retried.name).to.equal(submitted.name);
    const mine = (await call(bind(licensing(), 'listApplications'), { pageSize: 10, pageToken: '', applicantIdentifier: '870601300126' })).response;
    expect(mine.applications.map((a) => a.name)).to.deep.equal([submitted.name]);

    // The case goes on where it stopped.
    const draft = await act('executor', submitted.name, { act: 'draft_result' });
    await act('signatory', submitted.name, { act: 'sign', document_signature: signBytes(people.signatory!.key, draft.draftDocument) });
    const done = (await call(bind(licensing(), 'getApplication'), { name: submitted.name })).response;
    expect(done.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    const { response: licence } = await call(bind(licensing(), 'getLicense'), { name: done.license });
    expect(licence.subKinds).to.deep.equal(['development', 'repair']);
    const audit = await exec('node', ['bin/ruqsat.js', 'audit', 'verify', '--service', 'licensing'], { env: { ...env } }).catch((e: { stdout: string; stderr: string }) => e);
    // With the embedded database the running service holds it; on PostgreSQL the CLI verifies alongside.
    if (process.env.DATABASE_URL) expect(audit.stdout).to.include('chain intact');
  });
});
