// The Information Security Committee's and the commission's acts on an accreditation case: the commission named
// from its table, the minutes of a documentary refusal, the on-site act with its 15 items and chain check, each
// member's signature over that act, the certificate drafted at the decision and recorded when it is signed.
import * as grpc from '@grpc/grpc-js';
import type { Knex } from 'knex';
import { parseCertificate } from '../../../core-wasm/src/index.ts';
import type { OfficialHooks } from '../../kit/cases/officials-api.ts';
import { almatyDate } from '../../kit/cases/officials-api.ts';
import type { ApplicationRow } from '../../kit/cases/store.ts';
import { applicationName, fromEnvelope } from '../../kit/cases/view.ts';
import { invalidArgument, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import { caseFromJson, type CaseState } from '../../kit/workflow/index.ts';
import { accreditationNumber, encodeAccreditation, validUntil } from './document.ts';
import { chainMaterial, checklistOf, encodeInspectionAct, runChainCheck } from './inspection.ts';
import type { RootRegistrar } from './root.ts';
import type { AccreditationStore } from './store.ts';
import type { AccreditationForm } from './submission.ts';

type Publish = (trx: Knex.Transaction, id: string) => Promise<void>;
const NATIONAL_SECURITY = 'national_security';

export const formOf = (row: ApplicationRow) => row.details.accreditation as AccreditationForm;

const failed = (reason: string, message: string) => new RuqsatError(grpc.status.FAILED_PRECONDITION, reason, message);

export function accreditationHooks(store: AccreditationStore, publish: Publish, root: () => RootRegistrar): OfficialHooks {
  return {
    async vetAct(trx, { row, state, event, act, envelope, official }) {
      const before = caseFromJson(row.state).step;
      if (event.type === 'convene_commission') {
        // The letter names members the provider's order appointed, as the commission table has them.
        const table = new Map((await store.commission(trx)).map((m) => [m.iin, m]));
        const v: FieldViolation[] = [];
        for (const m of event.members) {
          const known = table.get(m.id);
          if (!known || known.body !== m.body || known.position !== m.position) v.push({ field: 'act.payload.members', description: `${m.id} is not a commission member from ${m.body} as ${m.position}` });
        }
        if (!event.members.some((m) => m.body === NATIONAL_SECURITY)) v.push({ field: 'act.payload.members', description: 'the commission includes the national-security representative (para 3), without whom no act is adopted' });
        if (v.length > 0) throw invalidArgument(v);
      }
      if (event.type === 'refuse' && before === 'documentary_inspection' && (typeof act.minutes !== 'string' || act.minutes.trim() === '')) {
        throw invalidArgument([{ field: 'act.payload.minutes', description: 'the documentary refusal is recorded in the commission\u2019s minutes (хаттама): their number and date' }]);
      }
      if (event.type === 'record_finding' && before === 'onsite_inspection') await recordInspection(trx, row, state, act);
      if (event.type === 'vote') {
        const inspection = await store.inspection(row.id, trx);
        if (!inspection) throw failed('NO_INSPECTION_ACT', 'there is no inspection act to sign yet');
        if (act.act_sha256 !== inspection.sha256) throw invalidArgument([{ field: 'act.payload.act_sha256', description: `the signature must be over the inspection act, sha256 ${inspection.sha256}` }]);
        const member = state.commission!.find((m) => m.id === official.iin)!;
        await store.insertVote(trx, { application_id: row.id, step: before!, iin: official.iin, body: member.body, signs: event.signs, reasons: event.reasons ?? [], envelope: fromEnvelope(envelope), at: new Date() });
      }
    },

    async draftIssue(trx, row, state) {
      const form = formOf(row);
      const inspection = (await store.inspection(row.id, trx))!;
      const date = almatyDate(new Date());
      return encodeAccreditation({
        number: accreditationNumber(Number(date.slice(0, 4)), await store.db.nextval(trx, 'accreditation_number_seq')),
        legal_entity: { ...form.legal_entity, legal_address: form.legal_address },
        ca_name: form.ca_name,
        policies: form.policies,
        crl_distribution_points: form.crl_distribution_points,
        act_sha256: inspection.sha256,
        decision: decisionOf(state, date),
        application: applicationName(row.id),
        date,
        valid_until: validUntil(date).lastDay,
      });
    },

    async issued(trx, { row, document, official }) {
      const doc = JSON.parse(Buffer.from(document.payload).toString('utf8')) as { number: string; date: string; act_sha256: string; decision: string };
      const form = formOf(row);
      await store.insertAccreditation(trx, {
        id: row.id,
        number: doc.number,
        status: 'pending_root_registration',
        holder_identifier: form.legal_entity.bin,
        holder_name: form.legal_entity.name,
        ca_name: form.ca_name,
        issued_at: new Date(),
        expires_at: validUntil(doc.date).endsAt,
        act_sha256: doc.act_sha256,
        decision_reference: doc.decision,
        application: applicationName(row.id),
        authority: `authorities/${doc.number.toLowerCase()}`,
        csr: form.ca_csr,
        policies: form.policies,
        crl_distribution_points: form.crl_distribution_points,
        document: fromEnvelope(document),
        signatory: official.label.replace(/ \([a-z_]+\)$/, ''),
      });
      await publish(trx, row.id);
    },

    async committed(row, event) {
      // The Root CA certifies the centre now; if trust is away, the scan does it later.
      if (event.type === 'sign') await root().register(row.id).catch(() => undefined);
    },
  };

  async function recordInspection(trx: Knex.Transaction, row: ApplicationRow, state: CaseState, act: Record<string, unknown>) {
    const form = formOf(row);
    const v: FieldViolation[] = [];
    const material = chainMaterial(act, v);
    let check;
    if (material) {
      let anchor;
      try {
        anchor = parseCertificate(material.caCertificate);
      } catch {
        v.push({ field: 'act.payload.chain_check.ca_certificate', description: 'is not a certificate (DER)' });
      }
      // Before the grant the Root CA has not certified the centre: the chain is checked up to the centre's own CA
      // certificate, whose key must be the CSR's; at grant it is checked again from the Root CA.
      if (anchor) check = runChainCheck(material, [anchor], [], form.policies, form.ca_csr);
    }
    const checklist = checklistOf(act, check, v);
    const finding = state.finding!;
    if (checklist && check && v.length === 0) {
      const allComply = Object.values(checklist).every((i) => i.complies) && check.ok;
      if (finding.complies && !allComply) v.push({ field: 'act.payload.complies', description: 'the act cannot find the centre compliant with a non-compliant item or a failed chain check' });
    }
    if (v.length > 0) throw invalidArgument(v);
    const encoded = encodeInspectionAct({
      application: applicationName(row.id),
      registration_number: state.registrationNo ?? '',
      legal_entity: form.legal_entity,
      ca_name: form.ca_name,
      date: almatyDate(new Date()),
      checklist: checklist!,
      chain_check: check!,
      complies: finding.complies,
      reasons: finding.reasons,
      recommendations: typeof act.recommendations === 'string' ? act.recommendations : '',
    });
    await store.insertInspection(trx, { application_id: row.id, document: encoded.bytes, sha256: encoded.sha256, ca_certificate: material!.caCertificate, user_certificate: material!.userCertificate, crl: material!.crl });
  }
}

/** The decision (para 14): the registration number and the day the provider decided. */
function decisionOf(state: CaseState, date: string): string {
  return `decision on ${state.registrationNo ?? ''} of ${date}`;
}
