// A permit world for tests: trust and permit on loopback, a signatory with a real certificate from trust,
// signed permit documents recorded through issuePermit exactly as the workflow's signing step will.
import * as grpc from '@grpc/grpc-js';
import { createPrivateKey, sign } from 'node:crypto';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { MovementType, PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../../services/kit/audit.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { PermitChanges } from '../../services/permit/changes.ts';
import { Consumptions } from '../../services/permit/consumptions.ts';
import { encodePermitDocument, PERMIT_DOCUMENT, type PermitDocument } from '../../services/permit/domain/document.ts';
import { PermitStore } from '../../services/permit/store.ts';
import { bind, call } from '../helpers/grpc.ts';
import type { TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, type TestKey, type TestOperator } from '../trust/helpers.ts';

export const STATE_BODY = '050940002344'; // NSC, the provider, in the demo reference registry
export const IMPORTER = '111240003452'; // Shekara Import LLP
export const OTHER = '010440001231';
export const HS = '8543709000';

export interface Signer {
  key: TestKey;
  /** The signatory's certificate, then the NCA certificate that issued it. */
  chain: Uint8Array[];
  name: string;
  iin: string;
}

export interface PermitWorld {
  trust: InstanceType<typeof TrustServiceClient>;
  permits: InstanceType<typeof PermitServiceClient>;
  operator: TestOperator;
  store: PermitStore;
  consumptions: Consumptions;
}

export async function permitWorld(t: TestMesh, dir: string): Promise<PermitWorld> {
  const trust = clientFor(TrustServiceClient, t.address('trust'));
  const permits = clientFor(PermitServiceClient, t.address('permit'));
  const operator = await provisionOperator(t, dir);
  const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'permit');
  const store = new PermitStore(db);
  // The service's own status transitions, on the same database and bus (their signed-act RPC is not built yet).
  const consumptions = new Consumptions(store, new AuditLog(db), new PermitChanges(t.mesh.shared.bus));
  return { trust, permits, operator, store, consumptions };
}

/** An official with a real certificate from trust (profile official_signatory unless said otherwise). */
export async function makeSigner(w: PermitWorld, dir: string, iin: string, profile = 'official_signatory'): Promise<Signer> {
  const key = makeKey(dir, `signer-${iin}-${profile}`, 'ed25519');
  const cert = await issueCertificate(w.trust, w.operator, key, `req-${iin}-${profile}`, iin, profile, profile.startsWith('official_') ? STATE_BODY : undefined);
  const leaf = parseCertificate(cert.der);
  const { authorities } = (await call(bind(w.trust, 'listAuthorities'), { pageSize: 100, pageToken: '' })).response;
  const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text)!;
  return { key, chain: [cert.der, issuer.certificateDer], name: cert.name, iin };
}

export function permitDocument(number: string, signer: Signer, over: Partial<PermitDocument> = {}): PermitDocument {
  return {
    document: PERMIT_DOCUMENT,
    version: 1,
    number,
    kind: 'permit.customs_crypto',
    movement_type: 'import',
    holder: { type: 'legal_entity', identifier: IMPORTER, name: 'Shekara Import LLP' },
    contract_reference: 'Contract No. 17/2026 of 2026-02-03 with Acme GmbH',
    goods: [
      { name: 'Hardware encryptor', hs_code: HS, quantity: '10', unit: 'pcs', manufacturer: 'Acme GmbH', origin_country: 'DE', destination_country: 'KZ' },
      { name: 'HSM', hs_code: '8471500000', quantity: '2.5', unit: 'pcs', manufacturer: 'Acme GmbH', origin_country: 'DE', destination_country: 'KZ' },
    ],
    valid_from: '2026-01-01',
    valid_until: '2030-12-31',
    issue_date: '2026-01-01',
    signatory: { iin: signer.iin, name: 'Serikbayev Arman' },
    ...over,
  };
}

export function signDocument(doc: PermitDocument, signer: Signer): SignedEnvelope {
  const payload = Buffer.from(encodePermitDocument(doc));
  return { payload, signature: sign(null, payload, createPrivateKey(signer.key.privatePem)), certificateChain: signer.chain.map((c) => Buffer.from(c)) };
}

/** issuePermit as the workflow's signing step calls it, in its own transaction; returns the permit id. */
export async function issue(w: PermitWorld, doc: PermitDocument, envelope: SignedEnvelope): Promise<string> {
  return w.store.db.transaction((trx) => w.store.issuePermit(trx, doc, envelope));
}

export const checkRequest = (number: string, over: Record<string, unknown> = {}) => ({
  number,
  declarantIdentifier: IMPORTER,
  hsCode: HS,
  quantity: 1,
  movementType: MovementType.MOVEMENT_TYPE_IMPORT,
  date: undefined,
  ...over,
});

/** Waits until permit's trust follower has loaded anchors and CRLs (checks answer instead of UNAVAILABLE). */
export async function trustReady(w: PermitWorld): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await call(bind(w.permits, 'checkPermit'), checkRequest('NO-SUCH-PERMIT')).catch((e: grpc.ServiceError) => e);
    if (!(r instanceof Error)) return;
    if ((r as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) throw r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('permit never loaded the trust anchors');
}
