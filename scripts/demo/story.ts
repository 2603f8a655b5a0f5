// The demo's story, step by step, against a running mesh: an importer's certificate, an import conclusion for
// encryption means through the officials' signed acts, the customs posts, and a revoked signatory.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { CheckReason, MovementType, PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { PERMIT_CUSTOMS_CRYPTO } from '../../services/kit/workflow/index.ts';
import type { PermitDocument } from '../../services/permit/domain/document.ts';
import { obtainCertificate, operatorOf, type Identity } from './identities.ts';
import { checkOffline, commandLine, exportDocument, syncOfflineKit } from './offline.ts';
import { DEMO_OFFICIALS, NSC_BIN, readDemoOperator } from './provision.ts';
import { ask, refusal, refused, signAct, signBytes } from './rpc.ts';

export interface DemoOptions {
  addresses: { trust: string; permit: string; registry: string };
  /** Where `npm start` left the RA operator (RUQSAT_DEMO_DIR). */
  demoDir: string;
  /** Where the exported permit and the customs post's files go. */
  outDir: string;
  print(line: string): void;
}

const IMPORTER = { iin: '870601300126', bin: '111240003452', person: 'Seitkali Aidar', company: 'Shekara Import LLP' };
const HS_CODE = '8543709000';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const when = (d?: Date) => (d ? `${d.toLocaleString('sv-SE', { timeZone: 'Asia/Almaty' }).slice(0, 16)} Astana time` : '—');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown when the mesh answered, but not as the story needs. */
class StoryBroken extends Error {}
function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StoryBroken(message);
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new StoryBroken(`${what}: still not so after ${seconds} s`);
    await sleep(200);
  }
}

/** Runs the story; returns how many steps failed (0 when the whole story went as told). */
export async function runDemo(o: DemoOptions): Promise<number> {
  const run = randomBytes(3).toString('hex');
  const trust = clientFor(TrustServiceClient, o.addresses.trust);
  const permits = clientFor(PermitServiceClient, o.addresses.permit);
  const cases = clientFor(CaseServiceClient, o.addresses.permit);
  const registry = clientFor(RegistryServiceClient, o.addresses.registry);
  const out = join(o.outDir, `run-${run}`);
  mkdirSync(out, { recursive: true });
  const say = (line = '') => o.print(line ? `    ${line}` : '');

  // What the steps hand on to each other.
  const s = {} as {
    operator: ReturnType<typeof operatorOf>;
    importer: Identity;
    officials: Record<(typeof DEMO_OFFICIALS)[number]['key'], Identity>;
    application: string;
    draft: Buffer;
    document: PermitDocument;
    permit: string;
    file: string;
  };
  const act = async (who: Identity, body: object) => ask(cases.performAct.bind(cases), { application: s.application, act: signAct(who.key, { application: s.application, ...body }, who.chain) });
  const get = () => ask(permits.getApplication.bind(permits), { name: s.application });
  const check = (quantity: number) =>
    ask(permits.checkPermit.bind(permits), { number: s.document.number, declarantIdentifier: IMPORTER.bin, hsCode: HS_CODE, quantity, movementType: MovementType.MOVEMENT_TYPE_IMPORT, date: undefined });
  const reasons = (r: CheckReason[]) => r.map((x) => CheckReason[x]!.replace('CHECK_REASON_', '')).join(', ');

  const steps: [string, () => Promise<void>][] = [
    ['The mesh is up and the demo mode has an RA operator', async () => {
      const files = readDemoOperator(o.demoDir);
      expect(files, `no RA operator in ${o.demoDir}: start the mesh with \`npm start\` (embedded database, or RUQSAT_DEMO=on) and run the demo from the same directory`);
      s.operator = operatorOf(files);
      await ask(trust.listTrustAnchors.bind(trust), {}, 5_000).catch((e: grpc.ServiceError) => {
        throw new StoryBroken(`trust does not answer at ${o.addresses.trust} (${e.details}): is \`npm start\` running, with the same port settings?`);
      });
      // permit verifies signatures with its own copy of the PKI, loaded from trust at start.
      await until('permit loading the trust anchors', 30, async () => {
        const r = await ask(permits.checkPermit.bind(permits), { number: 'NSC-P-0000-000000', declarantIdentifier: IMPORTER.bin, hsCode: HS_CODE, quantity: 1, movementType: MovementType.MOVEMENT_TYPE_IMPORT, date: undefined }).catch((e: grpc.ServiceError) => (e.code === grpc.status.UNAVAILABLE ? undefined : Promise.reject(e)));
        return r ? true : undefined;
      });
      say(`trust ${o.addresses.trust}, permit ${o.addresses.permit}, registry ${o.addresses.registry}; run ${run}; files in ${out}`);
      say(`RA operator on duty: operators/${files.id} (Omarova Dana, Public Service Centre of Astana)`);
    }],

    [`${IMPORTER.company} gets a signing certificate from the National Certifying Centre (flow A)`, async () => {
      s.importer = await obtainCertificate(trust, s.operator, { iin: IMPORTER.iin, bin: IMPORTER.bin, profile: 'legal_entity_sign' }, `demo-${run}-importer`);
      say(`${IMPORTER.person}, the company's director, made a key pair and a certificate request (CSR) and applied as its representative.`);
      say(`trust found him and BIN ${IMPORTER.bin} in the reference registry; the RA operator confirmed application ${s.importer.applicationNumber} with her EDS.`);
      say(`certificate ${s.importer.certificate} issued: ${s.importer.subject}, valid until ${s.importer.notAfter.toISOString().slice(0, 10)}`);
    }],

    ['The NSC officials get their role certificates the same way', async () => {
      s.officials = {} as typeof s.officials;
      for (const official of DEMO_OFFICIALS) {
        s.officials[official.key] = await obtainCertificate(trust, s.operator, { iin: official.iin, bin: NSC_BIN, profile: official.profile }, `demo-${run}-${official.key}`);
        say(`${official.name.padEnd(20)} ${official.profile.padEnd(20)} → ${s.officials[official.key].certificate}`);
      }
      say('permit accepts an official\u2019s act only in a role both the certificate (its policy) and permit\u2019s staff table give.');
    }],

    [`${IMPORTER.company} applies for a conclusion to import encryption means (permit.customs_crypto)`, async () => {
      const goods = [{ name: 'VPN gateway with AES-256 encryption', hs_code: HS_CODE, quantity: '10', unit: 'pcs', manufacturer: 'Example Networks Ltd', origin_country: 'CN', destination_country: 'KZ' }];
      const attachments = PERMIT_CUSTOMS_CRYPTO.requiredAttachments.map((a) => ({ id: a.id, sha256: sha256(`${a.id} of ${IMPORTER.company}, demo run ${run}`) }));
      const body = { act: 'submit_application', service: 'permit.customs_crypto', variant: 'import', contract_reference: `Contract No. SI-${run}/2026 with Example Networks Ltd`, goods, attachments };
      const app = await ask(permits.submitApplication.bind(permits), { requestId: `demo-${run}-application`, application: signAct(s.importer.key, body, s.importer.chain) });
      s.application = app.name;
      expect(app.status === ApplicationStatus.APPLICATION_STATUS_REGISTERED, `the application should be registered on receipt, it is ${ApplicationStatus[app.status]}`);
      say(`signed with the director's EDS: 10 pcs of "${goods[0]!.name}" (HS ${HS_CODE}) from CN, ${body.contract_reference}; ${attachments.length} attachments (${attachments.map((a) => a.id).join(', ')}).`);
      say(`${app.name} is registered on receipt (this service has no office registration step), due ${when(app.dueTime)} (8 working days).`);
    }],

    ['The head of the Licensing Department assigns the executor, on the day of receipt', async () => {
      const c = await act(s.officials.head, { act: 'assign_executor', executor_id: DEMO_OFFICIALS[2].iin });
      say(`Kim Viktor signed the assignment: executor Zhaksybekov Yerlan; now at step "${c.currentStep}", due ${when(c.stepDueTime)}.`);
    }],

    ['The executor asks for samples: the clock stops', async () => {
      await act(s.officials.executor, { act: 'request_samples', what: 'two VPN gateways for laboratory examination' });
      const app = await get();
      expect(app.status === ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT, `the application should wait for the applicant, it is ${ApplicationStatus[app.status]}`);
      say(`notice in the importer's cabinet: "${app.notice?.details.join('; ')}"; the importer has up to 5 calendar days, not counted in the term.`);
    }],

    ['The importer delivers the samples: the clock runs again', async () => {
      const before = await get();
      const app = await ask(permits.submitDocuments.bind(permits), { name: s.application, answer: signAct(s.importer.key, { act: 'submit_documents', application: s.application, attachments: [{ id: 'samples_receipt', sha256: sha256(`receipt ${run}`) }] }, s.importer.chain) });
      expect(app.status === ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS, `the case should be back in progress, it is ${ApplicationStatus[app.status]}`);
      const pause = app.pausedIntervals[app.pausedIntervals.length - 1];
      const stood = pause?.startTime && pause.endTime ? (pause.endTime.getTime() - pause.startTime.getTime()) / 1000 : 0;
      say(`samples receipt signed and sent; the clock stood still for ${stood.toFixed(1)} s (in real life up to 5 calendar days).`);
      say(`due ${when(app.dueTime)} (was ${when(before.dueTime)}): a pause moves the due time by the office hours it covered.`);
    }],

    ['The executor drafts the conclusion and addresses it to the authorized signatory', async () => {
      const c = await act(s.officials.executor, { act: 'draft_result', signatory_iin: DEMO_OFFICIALS[3].iin });
      s.draft = c.draftDocument;
      s.document = JSON.parse(s.draft.toString('utf8')) as PermitDocument;
      const d = s.document;
      say(`draft ${d.number}: ${d.kind}, ${d.movement_type}, holder ${d.holder.name} (${d.holder.identifier}), valid ${d.valid_from} to ${d.valid_until}.`);
      say(`goods: ${d.goods.map((g) => `${g.quantity} ${g.unit} ${g.name} (HS ${g.hs_code})`).join('; ')}; signatory ${d.signatory.name}.`);
    }],

    ['The authorized signatory signs exactly those bytes', async () => {
      // Anyone else's signature on the draft is refused: the draft names who signs it.
      const byHead = await refused('the head signing', act(s.officials.head, { act: 'sign', document_signature: signBytes(s.officials.head.key, s.draft) }));
      say(`the head tried to sign it: refused (${byHead.code} ${byHead.reason}).`);
      await act(s.officials.signatory, { act: 'sign', document_signature: signBytes(s.officials.signatory.key, s.draft) });
      const app = await get();
      expect(app.status === ApplicationStatus.APPLICATION_STATUS_ISSUED && app.permit, `the application should be issued, it is ${ApplicationStatus[app.status]}`);
      s.permit = app.permit;
      say(`Abenova Aigerim signed: conclusion ${s.document.number} issued as ${app.permit}; history: ${app.history.map((h) => h.action).join(' → ')}.`);
    }],

    ['The conclusion appears in the public register of NSC permits (through permit\u2019s outbox)', async () => {
      const entry = await until('the register entry', 30, async () => (await ask(registry.searchEntries.bind(registry), { parent: 'registers/nsc-permits', query: '', holder: '', number: s.document.number, kind: '', status: 0, filter: '', pageSize: 1, pageToken: '' })).entries[0]);
      say(`${entry.name}: ${entry.number} "${entry.title}", holder ${entry.holder?.displayName} (${entry.holder?.identifier}).`);
    }],

    ['A customs post with no connection checks the exported document offline', async () => {
      s.file = join(out, `${s.document.number}.json`);
      exportDocument(await ask(permits.getPermitDocument.bind(permits), { name: s.permit }), s.file);
      const kit = await syncOfflineKit(trust, out);
      const verdict = checkOffline(s.file, kit);
      expect(verdict.ok, `the offline check should pass: ${verdict.code} ${verdict.message}`);
      say(`exported ${s.file}; the post keeps the Root CA, the CA certificates and ${kit.crls} CRLs as files.`);
      say(`OK ${verdict.summary}`);
      say(`(the same check on the command line: ${commandLine(s.file, kit)})`);
    }],

    ['Customs post "Khorgos" checks the declaration and consumes the permit', async () => {
      const answer = await check(10);
      expect(answer.valid, `the check should say valid: ${reasons(answer.reasons)}`);
      say(`CheckPermit(${s.document.number}, BIN ${IMPORTER.bin}, HS ${HS_CODE}, 10 pcs, import): valid, ${answer.remainingQuantity} pcs remain.`);
      const declaration = { number: s.document.number, declarationId: `KZ-KHORGOS-${run}-1`, lines: [{ hsCode: HS_CODE, quantity: 10, line: 0 }], declarantIdentifier: IMPORTER.bin, movementType: MovementType.MOVEMENT_TYPE_IMPORT };
      const used = await ask(permits.consumePermit.bind(permits), declaration);
      say(`ConsumePermit(declaration ${declaration.declarationId}, 10 pcs): done, ${used.remainingQuantities[0]} pcs remain.`);
      const again = await ask(permits.consumePermit.bind(permits), declaration);
      expect(again.remainingQuantities[0] === 0, 'a repeated declaration must not consume twice');
      say('the post\u2019s system sent the same declaration again after a timeout: answered with the same consumption, nothing consumed twice.');
    }],

    ['Customs post "Dostyk" is refused: the quantity is used up', async () => {
      const answer = await check(2);
      expect(!answer.valid, 'the check should say not valid');
      say(`CheckPermit(…, 2 pcs): not valid — ${reasons(answer.reasons)}; ${answer.remainingQuantity} pcs remain.`);
      const refusal = await refused('the second consumption', ask(permits.consumePermit.bind(permits), { number: s.document.number, declarationId: `KZ-DOSTYK-${run}-1`, lines: [{ hsCode: HS_CODE, quantity: 2, line: 0 }], declarantIdentifier: IMPORTER.bin, movementType: MovementType.MOVEMENT_TYPE_IMPORT }));
      say(`ConsumePermit(declaration KZ-DOSTYK-${run}-1, 2 pcs): refused, ${refusal.code} ${refusal.reason}.`);
    }],

    ['The signatory\u2019s certificate is revoked', async () => {
      const signatory = s.officials.signatory;
      const request = signAct(s.operator.key, { act: 'revoke_certificate', certificate: signatory.certificate, reason: 1 }, s.operator.chain);
      const revoked = await ask(trust.revokeCertificate.bind(trust), { name: signatory.certificate, reason: 1, request });
      say(`Abenova Aigerim reported her token lost; the RA operator revoked ${revoked.name} (keyCompromise) at ${when(revoked.revocationTime)}.`);
      const answer = await until('permit learning of the revocation', 15, async () => {
        const r = await check(1);
        return r.reasons.includes(CheckReason.CHECK_REASON_SIGNATORY_REVOKED) ? r : undefined;
      });
      say(`online, permit learned it from trust's revocation feed: CheckPermit now says ${reasons(answer.reasons)}.`);
    }],

    ['The offline check of the same document now fails', async () => {
      // The post syncs its CRLs again; trust publishes a delta CRL right after each revocation.
      let kit = await syncOfflineKit(trust, out);
      let verdict = checkOffline(s.file, kit);
      for (let i = 0; verdict.ok && i < 50; i++) {
        await sleep(200);
        kit = await syncOfflineKit(trust, out);
        verdict = checkOffline(s.file, kit);
      }
      expect(!verdict.ok && verdict.code === 'SIGNATORY_REVOKED', `the offline check should fail with SIGNATORY_REVOKED, it says ${verdict.ok ? 'OK' : `${verdict.code} ${verdict.message}`}`);
      say(`with the fresh CRLs: FAIL ${verdict.code} — ${verdict.message}`);
      say(`(${commandLine(s.file, kit)} now exits 2)`);
    }],
  ];

  let failures = 0;
  for (const [i, [title, body]] of steps.entries()) {
    o.print(`${String(i + 1).padStart(2)}. ${title}`);
    if (failures > 0) {
      say('skipped: an earlier step failed');
      continue;
    }
    try {
      await body();
    } catch (err) {
      failures++;
      const r = typeof (err as grpc.ServiceError).code === 'number' ? refusal(err) : undefined;
      say(`FAILED: ${r ? `${r.code} ${r.reason} ${r.message}` : (err as Error).message}`);
    }
  }
  o.print('');
  o.print(failures === 0 ? `The whole story went as told (${steps.length} steps).` : `${failures} step(s) failed; the steps after the first failure were skipped.`);
  return failures;
}
