// The load scenarios: what each sets up once (coordinator) and the one call each worker repeats.
import * as grpc from '@grpc/grpc-js';
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { CheckPermitRequest } from '../../gen/ruqsat/permit/v1/permit.ts';
import type { SearchEntriesRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import type { VerifyChainRequest } from '../../gen/ruqsat/trust/v1/trust.ts';
import type { ServiceName } from '../../services/kit/config.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import type { PermitDocument } from '../../services/permit/domain/document.ts';
import type { SetupTarget } from './setup.ts';

// Modules load when a scenario needs them: a worker starts quickly and loads one service's client only.
const gen = {
  trust: () => import('../../gen/ruqsat/trust/v1/trust.ts'),
  permit: () => import('../../gen/ruqsat/permit/v1/permit.ts'),
  licensing: () => import('../../gen/ruqsat/licensing/v1/licensing.ts'),
  registry: () => import('../../gen/ruqsat/registry/v1/registry.ts'),
};
const setupKit = () => import('./setup.ts');

/** Inputs travel to the workers over IPC: JSON only (bytes as base64). */
export type Inputs = Record<string, unknown>;

/** One call; `done` gets "OK", the gRPC status name, or WRONG_ANSWER when a call succeeded but said no. */
export type Call = (seq: number, done: (outcome: string) => void) => void;

export interface Scenario {
  name: string;
  summary: string;
  /** The service under load (what --target names). */
  service: ServiceName;
  /** Services the tool starts on its own mesh (setup may need more than the one under load). */
  starts: ServiceName[];
  setup(t: SetupTarget): Promise<Inputs>;
  /** Size of one request, so the echo baseline carries as many bytes. */
  requestBytes(inputs: Inputs): Promise<number>;
  /** In a worker: the call, bound to a client for `address`. */
  caller(inputs: Inputs, address: string, tag: string): Promise<Call>;
}

const b64 = (s: unknown) => Buffer.from(String(s), 'base64');
const toB64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const DEADLINE_MS = 10_000;
const opts = () => ({ deadline: Date.now() + DEADLINE_MS });

/** Adapts a gRPC callback to an outcome; `ok` says whether a successful answer is the right one. */
function outcome<Res>(done: (o: string) => void, ok: (res: Res) => boolean) {
  return (err: grpc.ServiceError | null, res: Res) => done(err ? (grpc.status[err.code] ?? `CODE_${err.code}`) : ok(res) ? 'OK' : 'WRONG_ANSWER');
}

const APPLICANT_IIN = '870601300126'; // in the demo reference registry
const SIGNATORY_IIN = '920702400470';
const STATE_BODY = '050940002344'; // NSC
const IMPORTER = '111240003452';
const HS = '8543709000';

async function leafFor(t: SetupTarget, profile: string) {
  const { issueCertificate, provisionOperator } = await setupKit();
  const operator = await provisionOperator(t);
  return issueCertificate(t, operator, `load-${profile}`, APPLICANT_IIN, profile);
}

const verifyChain: Scenario = {
  name: 'verify-chain',
  summary: 'trust VerifyChain on a real NCA-issued leaf, whole chain revocation-checked',
  service: 'trust',
  starts: ['trust'],
  async setup(t) {
    const holder = await leafFor(t, 'individual_sign');
    return { leaf: toB64(holder.chain[0]!) };
  },
  requestBytes: async (i) => (await gen.trust()).VerifyChainRequest.encode(chainRequest(i)).finish().length,
  async caller(inputs, address) {
    const trust = clientFor((await gen.trust()).TrustServiceClient, address);
    const req = chainRequest(inputs);
    return (_seq, done) => trust.verifyChain(req, new grpc.Metadata(), opts(), outcome(done, (r) => r.ok));
  },
};

function chainRequest(i: Inputs): VerifyChainRequest {
  return { certificate: b64(i.leaf), intermediates: [], time: undefined, checkWholeChain: true, purpose: '', policies: [] };
}

const verifySignature: Scenario = {
  name: 'verify-signature',
  summary: 'trust VerifySignature on a freshly signed ~200-byte document per call (chain leaf + NCA)',
  service: 'trust',
  starts: ['trust'],
  async setup(t) {
    const holder = await leafFor(t, 'individual_sign');
    return { key: holder.key.privatePem, chain: holder.chain.map(toB64) };
  },
  requestBytes: async (i) => 200 + 64 + (i.chain as string[]).reduce((n, c) => n + b64(c).length, 0),
  async caller(inputs, address, tag) {
    const trust = clientFor((await gen.trust()).TrustServiceClient, address);
    const key = createPrivateKey(String(inputs.key));
    const chain = (inputs.chain as string[]).map(b64);
    return (seq, done) => {
      const payload = Buffer.from(JSON.stringify({ document: 'load.test', caller: tag, seq, text: 'x'.repeat(150) }));
      const envelope = { payload, signature: sign(null, payload, key), certificateChain: chain };
      trust.verifySignature({ envelope, time: undefined }, new grpc.Metadata(), opts(), outcome(done, (r) => r.ok));
    };
  },
};

const checkPermit: Scenario = {
  name: 'check-permit',
  summary: 'permit CheckPermit on a valid signed permit (as customs asks at the border)',
  service: 'permit',
  starts: ['trust', 'permit'],
  async setup(t) {
    const { issueCertificate, provisionOperator, unary, whileUnavailable } = await setupKit();
    const { encodePermitDocument, PERMIT_DOCUMENT } = await import('../../services/permit/domain/document.ts');
    const { PermitStore } = await import('../../services/permit/store.ts');
    const { ServiceDb } = await import('../../services/kit/db.ts');
    const { PermitServiceClient } = await gen.permit();
    const operator = await provisionOperator(t);
    const signatory = await issueCertificate(t, operator, 'load-signatory', SIGNATORY_IIN, 'official_signatory', STATE_BODY);
    const number = `LOAD-${t.runId}`;
    const doc: PermitDocument = {
      document: PERMIT_DOCUMENT,
      version: 1,
      number,
      kind: 'permit.customs_crypto',
      movement_type: 'import',
      holder: { type: 'legal_entity', identifier: IMPORTER, name: 'Shekara Import LLP' },
      contract_reference: 'Contract No. 17/2026 of 2026-02-03 with Acme GmbH',
      goods: [{ name: 'Hardware encryptor', hs_code: HS, quantity: '1000000000', unit: 'pcs', manufacturer: 'Acme GmbH', origin_country: 'DE', destination_country: 'KZ' }],
      valid_from: '2026-01-01',
      valid_until: '2030-12-31',
      issue_date: '2026-01-01',
      signatory: { iin: SIGNATORY_IIN, name: 'Serikbayev Arman' },
    };
    const payload = Buffer.from(encodePermitDocument(doc));
    const envelope = { payload, signature: sign(null, payload, createPrivateKey(signatory.key.privatePem)), certificateChain: signatory.chain.map((c) => Buffer.from(c)) };
    if (!t.knex) throw new Error('check-permit records its permit on the permit database: set DATABASE_URL (and DB_SCHEMA_PREFIX) as the target mesh has them');
    const store = new PermitStore(new ServiceDb(t.knex, t.schemaPrefix + 'permit'));
    await store.db.transaction((trx) => store.issuePermit(trx, doc, envelope));
    // Permit answers once its trust follower has the anchors and CRLs; the answer must be "valid".
    const permits = clientFor(PermitServiceClient, t.addresses.permit!);
    const res = await whileUnavailable('permit CheckPermit', async () => unary(permits, permits.checkPermit, await permitRequest({ number })));
    if (!res.valid) throw new Error(`the load test's permit is not valid: ${JSON.stringify(res.reasons)}`);
    return { number };
  },
  requestBytes: async (i) => (await gen.permit()).CheckPermitRequest.encode(await permitRequest(i)).finish().length,
  async caller(inputs, address) {
    const permits = clientFor((await gen.permit()).PermitServiceClient, address);
    const req = await permitRequest(inputs);
    return (_seq, done) => permits.checkPermit(req, new grpc.Metadata(), opts(), outcome(done, (r) => r.valid));
  },
};

async function permitRequest(i: Inputs): Promise<CheckPermitRequest> {
  const { MovementType } = await gen.permit();
  return { number: String(i.number), declarantIdentifier: IMPORTER, hsCode: HS, quantity: 1, movementType: MovementType.MOVEMENT_TYPE_IMPORT, date: undefined };
}

const FORM = createHash('sha256').update('qualification form').digest('hex');
const application = (runId: string, tag: string, seq: number) => ({
  act: 'submit_application',
  service: 'license.crypto_dev',
  sub_kinds: ['development'],
  payment_reference: `EGOV-PAY-${runId}-${tag}-${seq}`,
  attachments: [{ id: 'qualification_requirements_form', sha256: FORM }],
});

const submitApplication: Scenario = {
  name: 'submit-application',
  summary: 'licensing SubmitApplication: an EDS-signed licence application, a new request_id per call (writes)',
  service: 'licensing',
  starts: ['trust', 'licensing'],
  async setup(t) {
    const { signJson, unary, whileUnavailable } = await setupKit();
    const holder = await leafFor(t, 'individual_sign');
    const licensing = clientFor((await gen.licensing()).LicensingServiceClient, t.addresses.licensing!);
    // Licensing verifies signatures once its trust follower has loaded: the first application proves it.
    await whileUnavailable('licensing SubmitApplication', () =>
      unary(licensing, licensing.submitApplication, { requestId: `load-${t.runId}-probe`, application: signJson(holder.key.privatePem, application(t.runId, 'probe', 0), [holder.chain[0]!]) }),
    );
    return { key: holder.key.privatePem, cert: toB64(holder.chain[0]!), runId: t.runId };
  },
  requestBytes: async (i) => 80 + 64 + 300 + b64(i.cert).length,
  async caller(inputs, address, tag) {
    const licensing = clientFor((await gen.licensing()).LicensingServiceClient, address);
    const key: KeyObject = createPrivateKey(String(inputs.key));
    const chain = [b64(inputs.cert)];
    const runId = String(inputs.runId);
    return (seq, done) => {
      const payload = Buffer.from(JSON.stringify(application(runId, tag, seq)));
      const envelope = { payload, signature: sign(null, payload, key), certificateChain: chain };
      licensing.submitApplication({ requestId: `load-${runId}-${tag}-${seq}`, application: envelope }, new grpc.Metadata(), opts(), outcome(done, (r) => r.name !== ''));
    };
  },
};

const WORDS = ['Қорғау', 'Ақпарат', 'Сенім', 'Защита', 'Инфобез', 'Криптосервис', 'Телеком', 'Шифр', 'Альфа', 'Байтерек'];
const SEED = 500;

/** A valid IIN/BIN near `n` (the last digit is a check digit). */
function validIdentifier(n: number, isValidIinBin: (s: string) => boolean): string {
  for (let base = n; ; base++) {
    const eleven = String(10_000_000_000 + (base % 89_999_999_999)).slice(0, 11);
    for (let d = 0; d <= 9; d++) if (isValidIinBin(eleven + d)) return eleven + d;
  }
}

const searchRegistry: Scenario = {
  name: 'search-registry',
  summary: 'registry SearchEntries: a mix of holder, number, full-text and filter queries over the register',
  service: 'registry',
  starts: ['registry'],
  async setup(t) {
    const { unary } = await setupKit();
    const { isValidIinBin } = await import('../../services/kit/party.ts');
    const { PartyType } = await import('../../gen/ruqsat/common/v1/common.ts');
    const { EntryStatus, RegistryServiceClient, SearchEntriesRequest } = await gen.registry();
    const identifier = (n: number) => validIdentifier(n, isValidIinBin);
    const registry = clientFor(RegistryServiceClient, t.addresses.registry!);
    // Only the tool's own mesh gets seed entries: a target's register is searched as it is.
    if (t.own) {
      for (let i = 0; i < SEED; i++) {
        await unary(registry, registry.publishEntry, {
          register: 'registers/nsc-licenses', sourceService: 'licensing', sourceResource: `licenses/load-${i}`, sequence: 1,
          number: `KZ-L-2026-${String(i).padStart(6, '0')}`, title: `Лицензия ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`,
          holder: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: identifier(1_000_000 + (i % 100) * 7_919), displayName: `ЖШС «${WORDS[(i * 3) % WORDS.length]}»` },
          status: i % 10 === 0 ? EntryStatus.ENTRY_STATUS_SUSPENDED : EntryStatus.ENTRY_STATUS_ACTIVE,
          effectiveTime: new Date(Date.UTC(2020 + (i % 6), i % 12, 1 + (i % 28))), expireTime: undefined, document: undefined,
          attributes: { kind: i % 2 ? 'crypto_development' : 'special_technical_means' },
        });
      }
    }
    const sample = await unary(registry, registry.searchEntries, SearchEntriesRequest.fromPartial({ pageSize: 100 }));
    const queries: Partial<SearchEntriesRequest>[] = [
      ...sample.entries.slice(0, 20).map((e) => ({ holder: e.holder?.identifier ?? '' })),
      ...sample.entries.slice(0, 20).map((e) => ({ number: e.number })),
      ...WORDS.map((w) => ({ query: w })),
      { filter: 'status = ACTIVE AND kind = "crypto_development"', pageSize: 20 },
      { filter: 'effective_time >= "2023-01-01T00:00:00Z"', pageSize: 20 },
    ];
    return { queries, entries: sample.entries.length };
  },
  requestBytes: async (i) => {
    const { SearchEntriesRequest } = await gen.registry();
    return SearchEntriesRequest.encode(SearchEntriesRequest.fromPartial((i.queries as object[])[0]!)).finish().length;
  },
  async caller(inputs, address) {
    const { RegistryServiceClient, SearchEntriesRequest } = await gen.registry();
    const registry = clientFor(RegistryServiceClient, address);
    const queries = (inputs.queries as Partial<SearchEntriesRequest>[]).map((q) => SearchEntriesRequest.fromPartial(q));
    return (seq, done) => registry.searchEntries(queries[seq % queries.length]!, new grpc.Metadata(), opts(), outcome(done, () => true));
  },
};

export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  [verifyChain, verifySignature, checkPermit, submitApplication, searchRegistry].map((s) => [s.name, s]),
);

/** Loads a scenario's client code ahead of its first call (a worker does this while setup runs). */
export function preload(name: string): Promise<unknown> {
  const service = SCENARIOS[name]?.service;
  return service && service in gen ? gen[service as keyof typeof gen]() : Promise.resolve();
}
