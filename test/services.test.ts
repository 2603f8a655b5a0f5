// Each service's Get/List RPCs over real servers and a real database, with their refusals.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { DepositServiceClient, ObjectType } from '../gen/ruqsat/deposit/v1/deposit.ts';
import { LicenseStatus, LicensingServiceClient } from '../gen/ruqsat/licensing/v1/licensing.ts';
import { MovementType, PermitServiceClient } from '../gen/ruqsat/permit/v1/permit.ts';
import { EntryStatus, RegistryServiceClient } from '../gen/ruqsat/registry/v1/registry.ts';
import { AuthorityKind, CertificateStatus, TrustServiceClient } from '../gen/ruqsat/trust/v1/trust.ts';
import { PartyType } from '../gen/ruqsat/common/v1/common.ts';
import { ServiceDb } from '../services/kit/db.ts';
import { clientFor } from '../services/kit/grpc/client.ts';
import { DepositStore } from '../services/deposit/store.ts';
import { LicensingStore } from '../services/licensing/store.ts';
import { PermitStore } from '../services/permit/store.ts';
import { RegistryStore } from '../services/registry/store.ts';
import { REGISTERS } from '../services/registry/domain/registers.ts';
import { TrustStore } from '../services/trust/store.ts';
import { bind, call, callFails } from './helpers/grpc.ts';
import { withCheckDigit } from './helpers/iin.ts';
import { startTestMesh, type TestMesh } from './helpers/mesh.ts';

const HOLDER = withCheckDigit('87060130012');
const COMPANY = withCheckDigit('01044000123');

describe('services: Get/List over their own tables', () => {
  let t: TestMesh;
  const db = (name: string) => new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + name);

  before(async () => {
    t = await startTestMesh();
  });
  after(async () => t?.stop());

  describe('trust', () => {
    let client: InstanceType<typeof TrustServiceClient>;
    before(async () => {
      client = clientFor(TrustServiceClient, t.address('trust'));
      // The key ceremony at start made root, nca and mesh; these rows stand for NCA-issued certificates.
      const store = new TrustStore(db('trust'));
      for (let i = 1; i <= 5; i++) {
        const der = Buffer.from(`cert-${i}`);
        await store.insertCertificate({
          authority_id: 'nca',
          serial_number: (0xa0 + i).toString(16),
          subject: `CN=Person ${i},SERIALNUMBER=IIN${HOLDER}`,
          not_before: new Date('2026-01-01T00:00:00Z'),
          not_after: new Date('2027-01-01T00:00:00Z'),
          status: i === 5 ? 'revoked' : 'valid',
          revocation_reason: i === 5 ? 1 : null,
          revocation_time: i === 5 ? new Date('2026-06-01T00:00:00Z') : null,
          sha256_fingerprint: createHash('sha256').update(der).digest('hex'),
          certificate_der: der,
        });
      }
    });

    it('gets an authority and lists them Root CA first', async () => {
      const { response } = await call(bind(client, 'getAuthority'), { name: 'authorities/nca' });
      expect(response).to.include({ name: 'authorities/nca', kind: AuthorityKind.AUTHORITY_KIND_NATIONAL });
      expect(response.subject).to.include('NCA');
      expect(response.certificateDer.length).to.be.greaterThan(100);
      const list = await call(bind(client, 'listAuthorities'), { pageSize: 0, pageToken: '' });
      expect(list.response.authorities.map((a) => a.name)).to.deep.equal(['authorities/root', 'authorities/nca', 'authorities/mesh']);
    });

    it('gets a certificate by serial, with or without leading zeros and in any case', async () => {
      const { response } = await call(bind(client, 'getCertificate'), { name: 'authorities/nca/certificates/00a5' });
      expect(response.serialNumber).to.equal('a5');
      expect(response.status).to.equal(CertificateStatus.CERTIFICATE_STATUS_REVOKED);
      expect(response.revocationReason).to.equal(1);
      expect(response.sha256Fingerprint).to.equal(createHash('sha256').update('cert-5').digest('hex'));
    });

    it('pages through certificates newest first, and across all authorities with "-"', async () => {
      const seen: string[] = [];
      let pageToken = '';
      do {
        const { response } = await call(bind(client, 'listCertificates'), { parent: 'authorities/nca', pageSize: 2, pageToken });
        expect(response.certificates.length).to.be.at.most(2);
        seen.push(...response.certificates.map((c) => c.serialNumber));
        pageToken = response.nextPageToken;
      } while (pageToken);
      expect(seen).to.deep.equal(['a5', 'a4', 'a3', 'a2', 'a1']);
      // The Root CA issued the NCA's and the mesh CA's certificates at the ceremony.
      const all = await call(bind(client, 'listCertificates'), { parent: 'authorities/-', pageSize: 10, pageToken: '' });
      expect(all.response.certificates).to.have.length(7);
      const root = await call(bind(client, 'listCertificates'), { parent: 'authorities/root', pageSize: 10, pageToken: '' });
      expect(root.response.certificates.map((c) => c.subject)).to.have.length(2);
    });

    it('refuses malformed names, unknown ids and foreign page tokens', async () => {
      const bad = await callFails(bind(client, 'getCertificate'), { name: 'authorities/nca/certificates/not-hex' }, grpc.status.INVALID_ARGUMENT);
      expect(bad.status.fieldViolations.map((v) => v.field)).to.deep.equal(['name']);
      expect(bad.status.errorInfo).to.include({ reason: 'INVALID_ARGUMENT', domain: 'ruqsat.kz' });
      await callFails(bind(client, 'getAuthority'), { name: 'certificates/nca' }, grpc.status.INVALID_ARGUMENT);
      await callFails(bind(client, 'getAuthority'), { name: '' }, grpc.status.INVALID_ARGUMENT);
      const missing = await callFails(bind(client, 'getCertificate'), { name: 'authorities/nca/certificates/ff' }, grpc.status.NOT_FOUND);
      expect(missing.status.errorInfo?.metadata).to.include({ resource: 'authorities/nca/certificates/ff' });
      await callFails(bind(client, 'listCertificates'), { parent: 'authorities/nowhere', pageSize: 0, pageToken: '' }, grpc.status.NOT_FOUND);
      const first = await call(bind(client, 'listCertificates'), { parent: 'authorities/nca', pageSize: 1, pageToken: '' });
      const foreign = await callFails(bind(client, 'listCertificates'), { parent: 'authorities/-', pageSize: 1, pageToken: first.response.nextPageToken }, grpc.status.INVALID_ARGUMENT);
      expect(foreign.status.fieldViolations[0]).to.include({ field: 'page_token' });
      await callFails(bind(client, 'listCertificates'), { parent: 'authorities/nca', pageSize: 1, pageToken: 'garbage!' }, grpc.status.INVALID_ARGUMENT);
      for (const pageSize of [-1, 1001]) {
        const { status } = await callFails(bind(client, 'listAuthorities'), { pageSize, pageToken: '' }, grpc.status.INVALID_ARGUMENT);
        expect(status.fieldViolations[0]).to.include({ field: 'page_size' });
      }
    });
  });

  describe('licensing', () => {
    let client: InstanceType<typeof LicensingServiceClient>;
    before(async () => {
      client = clientFor(LicensingServiceClient, t.address('licensing'));
      const store = new LicensingStore(db('licensing'));
      for (const [i, holder] of [HOLDER, COMPANY, COMPANY].entries()) {
        await store.insertLicense({
          id: `lic-${i}`,
          number: `KZ-L-2026-00${i}`,
          kind: 'license.crypto_dev',
          sub_kinds: ['development'],
          holder_type: holder === HOLDER ? 'individual' : 'legal_entity',
          holder_identifier: holder,
          holder_name: holder === HOLDER ? 'Aidar Seitkali' : 'Qorgau LLP',
          status: 'active',
          issued_at: new Date('2026-03-02T06:00:00Z'),
          signatory: 'Head of the Licensing Department',
        });
      }
    });

    it('gets a licence and lists a holder\u2019s licences', async () => {
      const { response } = await call(bind(client, 'getLicense'), { name: 'licenses/lic-1' });
      expect(response).to.include({ number: 'KZ-L-2026-001', kind: 'license.crypto_dev', status: LicenseStatus.LICENSE_STATUS_ACTIVE });
      expect(response.holder).to.deep.equal({ type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: 'Qorgau LLP' });
      expect(response.subKinds).to.deep.equal(['development']);
      const list = await call(bind(client, 'listLicenses'), { pageSize: 10, pageToken: '', holderIdentifier: COMPANY });
      expect(list.response.licenses.map((l) => l.name)).to.deep.equal(['licenses/lic-2', 'licenses/lic-1']);
    });

    it('refuses an IIN/BIN filter with a wrong check digit, naming the field', async () => {
      const wrong = COMPANY.slice(0, 11) + String((Number(COMPANY[11]) + 1) % 10);
      const { status } = await callFails(bind(client, 'listLicenses'), { pageSize: 0, pageToken: '', holderIdentifier: wrong }, grpc.status.INVALID_ARGUMENT);
      expect(status.fieldViolations[0]).to.include({ field: 'holder_identifier' });
      await callFails(bind(client, 'getLicense'), { name: 'licenses/none' }, grpc.status.NOT_FOUND);
    });

    it('binds a page token to its filter', async () => {
      const first = await call(bind(client, 'listLicenses'), { pageSize: 1, pageToken: '', holderIdentifier: COMPANY });
      expect(first.response.nextPageToken).to.not.equal('');
      await callFails(bind(client, 'listLicenses'), { pageSize: 1, pageToken: first.response.nextPageToken, holderIdentifier: '' }, grpc.status.INVALID_ARGUMENT);
    });
  });

  describe('permit', () => {
    let client: InstanceType<typeof PermitServiceClient>;
    before(async () => {
      client = clientFor(PermitServiceClient, t.address('permit'));
      await new PermitStore(db('permit')).insertPermit(
        {
          id: 'p-1',
          number: 'KZ-C-2026-0001',
          kind: 'permit.customs_crypto',
          holder_type: 'legal_entity',
          holder_identifier: COMPANY,
          holder_name: 'Qorgau LLP',
          movement_type: 'import',
          status: 'active',
          valid_from: new Date('2026-04-01T00:00:00Z'),
          valid_until: new Date('2027-04-01T00:00:00Z'),
        },
        [
          { description: 'Hardware encryptor', hs_code: '8543709000', quantity: '10', remaining_quantity: '7.5', unit: 'pcs', manufacturer: 'Acme', origin_country: 'DE', destination_country: 'KZ' },
          { description: 'HSM', hs_code: '8471500000', quantity: '2', remaining_quantity: '2', unit: 'pcs', manufacturer: 'Acme', origin_country: 'DE', destination_country: 'KZ' },
        ],
      );
    });

    it('gets a permit with its goods lines in order', async () => {
      const { response } = await call(bind(client, 'getPermit'), { name: 'permits/p-1' });
      expect(response.movementType).to.equal(MovementType.MOVEMENT_TYPE_IMPORT);
      expect(response.goods.map((g) => [g.hsCode, g.quantity, g.remainingQuantity])).to.deep.equal([
        ['8543709000', 10, 7.5],
        ['8471500000', 2, 2],
      ]);
      const list = await call(bind(client, 'listPermits'), { pageSize: 0, pageToken: '', holderIdentifier: '' });
      expect(list.response.permits).to.have.length(1);
      expect(list.response.permits[0]!.goods).to.have.length(2);
    });

    it('refuses a remaining quantity above the permitted one at the database', async () => {
      const store = new PermitStore(db('permit'));
      const row = { id: 'p-bad', number: 'KZ-C-BAD', kind: 'permit.customs_crypto', holder_type: 'legal_entity' as const, holder_identifier: COMPANY, holder_name: 'X', movement_type: null, status: 'active' as const, valid_from: new Date(), valid_until: new Date() };
      let failed = false;
      await store.insertPermit(row, [{ description: 'x', hs_code: '8543709000', quantity: '1', remaining_quantity: '2', unit: 'pcs', manufacturer: '', origin_country: '', destination_country: '' }]).catch(() => (failed = true));
      expect(failed).to.equal(true);
      await callFails(bind(client, 'getPermit'), { name: 'permits/p-bad' }, grpc.status.NOT_FOUND);
    });
  });

  describe('deposit', () => {
    it('gets a deposit and lists by depositor', async () => {
      const client = clientFor(DepositServiceClient, t.address('deposit'));
      const root = createHash('sha256').update('merkle').digest();
      await new DepositStore(db('deposit')).insertDeposit({
        id: 'd-1',
        deposit_number: 'DEP-2026-000001',
        object_type: 'program_code',
        title: 'Customs gateway',
        version: '1.2.0',
        depositor_type: 'legal_entity',
        depositor_identifier: COMPANY,
        depositor_name: 'Qorgau LLP',
        merkle_root: root,
        file_count: '42',
        total_size_bytes: '123456789',
        registered_at: new Date('2026-05-05T05:00:00Z'),
      });
      const { response } = await call(bind(client, 'getDeposit'), { name: 'deposits/d-1' });
      expect(response).to.include({ depositNumber: 'DEP-2026-000001', objectType: ObjectType.OBJECT_TYPE_PROGRAM_CODE, fileCount: 42, totalSizeBytes: 123456789 });
      expect(Buffer.from(response.merkleRoot).equals(root)).to.equal(true);
      const none = await call(bind(client, 'listDeposits'), { pageSize: 0, pageToken: '', depositorIdentifier: HOLDER });
      expect(none.response.deposits).to.have.length(0);
      await callFails(bind(client, 'getDeposit'), { name: 'deposits/D-1' }, grpc.status.INVALID_ARGUMENT);
    });
  });

  describe('registry', () => {
    let client: InstanceType<typeof RegistryServiceClient>;
    before(() => {
      client = clientFor(RegistryServiceClient, t.address('registry'));
    });

    it('lists the state registers from the legal acts, in order, across pages', async () => {
      const names: string[] = [];
      let pageToken = '';
      do {
        const { response } = await call(bind(client, 'listRegisters'), { pageSize: 3, pageToken });
        names.push(...response.registers.map((r) => r.name));
        pageToken = response.nextPageToken;
      } while (pageToken);
      expect(names).to.deep.equal(REGISTERS.map((r) => `registers/${r.id}`));
      const { response } = await call(bind(client, 'getRegister'), { name: 'registers/deposited-software' });
      expect(response.titleKk).to.equal('Депозитке салынған бағдарламалық өнімдердің тізілімі');
    });

    it('gets and lists entries of one register or of all', async () => {
      await new RegistryStore(db('registry')).insertEntry({
        register_id: 'nsc-licenses',
        id: 'lic-1',
        number: 'KZ-L-2026-001',
        title: 'Licence for development of CIPM',
        holder_type: 'legal_entity',
        holder_identifier: COMPANY,
        holder_name: 'Qorgau LLP',
        status: 'active',
        source_resource: 'licenses/lic-1',
      });
      const { response } = await call(bind(client, 'getEntry'), { name: 'registers/nsc-licenses/entries/lic-1' });
      expect(response).to.include({ number: 'KZ-L-2026-001', status: EntryStatus.ENTRY_STATUS_ACTIVE, sourceResource: 'licenses/lic-1' });
      expect(response.createTime).to.be.instanceOf(Date);
      const all = await call(bind(client, 'listEntries'), { parent: 'registers/-', pageSize: 0, pageToken: '' });
      expect(all.response.entries.map((e) => e.name)).to.deep.equal(['registers/nsc-licenses/entries/lic-1']);
      const other = await call(bind(client, 'listEntries'), { parent: 'registers/eir-is', pageSize: 0, pageToken: '' });
      expect(other.response.entries).to.have.length(0);
      await callFails(bind(client, 'listEntries'), { parent: 'registers/unknown', pageSize: 0, pageToken: '' }, grpc.status.NOT_FOUND);
      await callFails(bind(client, 'getEntry'), { name: 'registers/nsc-licenses/entries/none' }, grpc.status.NOT_FOUND);
    });
  });
});
