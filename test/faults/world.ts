// The fault suite's world: trust and permit on loopback, officials and an importer with real certificates,
// one permit with a large quantity for consumption, and permits to revoke while a fault is on.
import { PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import type { ServiceName } from '../../services/kit/config.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { startPermitInstances, type Instance } from './instances.ts';
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
  /** The permit instances under test, beside the mesh's own. */
  instances: Instance[];
  /** A permit client over the instances under test (round_robin). */
  client(): InstanceType<typeof PermitServiceClient>;
}

export async function startFaultWorld(dir: string, options: { instances?: number; revocables?: number; services?: ServiceName[]; env?: Record<string, string> } = {}): Promise<FaultWorld> {
  const t = await startTestMesh(options.services ?? ['trust', 'permit'], { HEALTH_PROBE_MS: '200', ...options.env });
  try {
    const parts = await populate(t, dir, options.revocables ?? 24);
    // After the officials and permits are made: processes starting beside them starve the test on 2 cores.
    const instances = await startPermitInstances(t, options.instances ?? 3);
    return { ...parts, t, nextRevocable: 0, consumed: new Set(), instances, client: () => clientFor(PermitServiceClient, instances.map((i) => i.address).join(',')) };
  } catch (err) {
    await t.stop();
    throw err;
  }
}

async function populate(t: TestMesh, dir: string, count: number): Promise<Pick<FaultWorld, 'w' | 'signatory' | 'importer' | 'revocables'>> {
  const w = await permitWorld(t, dir);
  const signatory = await makeSigner(w, dir, '920702400470');
  const importer = await makeSigner(w, dir, '870601300126', 'individual_sign');
  await w.store.addStaff(signatory.iin, 'signatory');
  const main = permitDocument(MAIN, signatory, { goods: [{ name: 'Hardware encryptor', hs_code: HS, quantity: String(STOCK), unit: 'pcs', manufacturer: 'Acme GmbH', origin_country: 'DE', destination_country: 'KZ' }] });
  await issue(w, main, signDocument(main, signatory));
  const revocables: FaultWorld['revocables'] = [];
  for (let i = 0; i < count; i++) {
    const doc = permitDocument(revocable(i), signatory);
    revocables.push({ number: doc.number, name: `permits/${await issue(w, doc, signDocument(doc, signatory))}` });
  }
  await trustReady(w);
  return { w, signatory, importer, revocables };
}
