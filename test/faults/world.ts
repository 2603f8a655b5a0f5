// The fault suite's world: trust and permit on loopback, officials and an importer with real certificates,
// one permit with a large quantity for consumption, and permits to revoke while a fault is on.
import { PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import type { ServiceName } from '../../services/kit/config.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { HS, issue, makeSigner, permitDocument, permitWorld, signDocument, trustReady, type PermitWorld, type Signer } from '../permit/helpers.ts';

/** Units on the consumed permit's line: far more than a run consumes, so a check of 1 unit stays valid. */
export const STOCK = 100_000;
export const MAIN = 'KZ-FAULT-MAIN';
export const revocable = (i: number) => `KZ-FAULT-REV-${String(i).padStart(3, '0')}`;

export interface FaultWorld {
  t: TestMesh;
  w: PermitWorld;
  signatory: Signer;
  importer: Signer;
  revocables: { number: string; name: string }[];
  /** The next revocable permit a run revokes (runs share them). */
  nextRevocable: number;
  /** Every declaration acknowledged by any run, for the books on the one consumed permit. */
  consumed: Set<string>;
  /** A permit client over these addresses (round_robin when several). */
  client(addresses: string): InstanceType<typeof PermitServiceClient>;
}

export async function startFaultWorld(dir: string, options: { revocables?: number; services?: ServiceName[]; env?: Record<string, string> } = {}): Promise<FaultWorld> {
  const t = await startTestMesh(options.services ?? ['trust', 'permit'], { HEALTH_PROBE_MS: '200', ...options.env });
  const w = await permitWorld(t, dir);
  const signatory = await makeSigner(w, dir, '920702400470');
  const importer = await makeSigner(w, dir, '870601300126', 'individual_sign');
  await w.store.addStaff(signatory.iin, 'signatory');
  const staff = new CaseStore(w.store.db);
  await staff.addStaff(signatory.iin, 'signatory', 'Abenova Aigerim');
  const main = permitDocument(MAIN, signatory, { goods: [{ name: 'Hardware encryptor', hs_code: HS, quantity: String(STOCK), unit: 'pcs', manufacturer: 'Acme GmbH', origin_country: 'DE', destination_country: 'KZ' }] });
  await issue(w, main, signDocument(main, signatory));
  const revocables: FaultWorld['revocables'] = [];
  for (let i = 0; i < (options.revocables ?? 24); i++) {
    const doc = permitDocument(revocable(i), signatory);
    revocables.push({ number: doc.number, name: `permits/${await issue(w, doc, signDocument(doc, signatory))}` });
  }
  await trustReady(w);
  return { t, w, signatory, importer, revocables, nextRevocable: 0, consumed: new Set(), client: (addresses) => clientFor(PermitServiceClient, addresses) };
}
