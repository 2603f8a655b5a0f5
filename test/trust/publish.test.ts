// Trust publishes registration certificates and their status to registry's register through its outbox.
import { expect } from 'chai';
import { verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntryStatus, RegistryServiceClient, type Entry } from '../../gen/ruqsat/registry/v1/registry.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, pem, provisionOperator, signAct, type TestOperator } from './helpers.ts';

describe('trust: registration certificates published to registry', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let operator: TestOperator;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-trust-publish-'));
    t = await startTestMesh(['trust', 'registry']);
    operator = await provisionOperator(t, dir);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function entryOf(source: string, status: EntryStatus): Promise<Entry> {
    const registry = clientFor(RegistryServiceClient, t.address('registry'));
    for (let i = 0; i < 100; i++) {
      const { response } = await call(bind(registry, 'listEntries'), { parent: 'registers/registration-certificates', pageSize: 100, pageToken: '' } as never);
      const entry = (response as { entries: Entry[] }).entries.find((e) => e.sourceResource === source);
      if (entry?.status === status) return entry;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${source} did not reach the register as ${EntryStatus[status]}`);
  }

  it('publishes an issued certificate with the CA signature over it, then its revocation', async () => {
    const trust = clientFor(TrustServiceClient, t.address('trust'));
    const key = makeKey(dir, 'holder', 'ed25519');
    const holder = await issueCertificate(trust, operator, key, 'req-publish-1', '851120300359');
    const entry = await entryOf(holder.name, EntryStatus.ENTRY_STATUS_ACTIVE);
    expect(entry.attributes.kind).to.equal('individual_sign');
    expect(entry.holder?.identifier).to.match(/^\d{12}$/);
    // The document is the CA's signature over the TBSCertificate, verifiable with the issuer's key.
    const doc = entry.document!;
    const issuer = doc.certificateChain[0]!;
    expect(verify(null, doc.payload, { key: pem(issuer), format: 'pem' } as never, doc.signature)).to.equal(true);

    const act = { act: 'revoke_certificate', certificate: holder.name, reason: 1 };
    await call(bind(trust, 'revokeCertificate'), { name: holder.name, reason: 1, request: signAct(key, act, [holder.der]) });
    const revoked = await entryOf(holder.name, EntryStatus.ENTRY_STATUS_REVOKED);
    expect(revoked.attributes.revocation_reason).to.equal('keyCompromise');
  });

  it('keeps CA certificates and mesh identities out of the register', async () => {
    const registry = clientFor(RegistryServiceClient, t.address('registry'));
    const { response } = await call(bind(registry, 'listEntries'), { parent: 'registers/registration-certificates', pageSize: 100, pageToken: '' } as never);
    for (const e of (response as { entries: Entry[] }).entries) expect(e.sourceResource).to.not.match(/^authorities\/(root|mesh)\//);
  });
});
