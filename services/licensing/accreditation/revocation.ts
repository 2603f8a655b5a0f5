// Procedures B (paras 21–23, a complaint) and C (para 24, the centre's change notice) on the case flow: the case names a
// certificate in force; each act is kept as signed; the examination's act is what members sign; the signed decision
// revokes the certificate (ground "violations", para 19.2) and the Root CA revokes the centre after the transaction.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { OfficialHooks } from '../../kit/cases/officials-api.ts';
import { almatyDate } from '../../kit/cases/officials-api.ts';
import { applicationName, fromEnvelope } from '../../kit/cases/view.ts';
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';
import { invalidArgument, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import { caseFromJson, type CaseState } from '../../kit/workflow/index.ts';
import { CHANGES_SERVICE } from './changes.ts';
import { TERMINATION_SERVICE } from './termination.ts';
import { accreditationName } from './publish.ts';
import { recordRevocationAct } from './revocation-acts.ts';
import { CESSATION_OF_OPERATION, type RootRegistrar } from './root.ts';
import type { AccreditationStore } from './store.ts';

export const REVOCATION_SERVICE = 'accreditation.revocation';
const ACCREDITATION_NAME = /^accreditations\/([^/]+)$/;

type Publish = (trx: Knex.Transaction, id: string) => Promise<void>;

/** The complaint names a certificate in force and states what the centre breached. */
export async function complaintSubmission(store: AccreditationStore, act: Record<string, unknown>): Promise<{ violations: FieldViolation[]; details: Record<string, unknown> }> {
  const v: FieldViolation[] = [];
  const id = typeof act.accreditation === 'string' ? ACCREDITATION_NAME.exec(act.accreditation)?.[1] : undefined;
  const row = id ? await store.accreditation(id) : undefined;
  if (!row) v.push({ field: 'application.payload.accreditation', description: 'names the certificate complained of, "accreditations/{accreditation}"' });
  else if (row.status !== 'active') v.push({ field: 'application.payload.accreditation', description: `the certificate is ${row.status}` });
  if (typeof act.complaint !== 'string' || act.complaint.trim() === '' || act.complaint.length > 10_000) v.push({ field: 'application.payload.complaint', description: 'states the breach of the Rules complained of' });
  return v.length > 0 ? { violations: v, details: {} } : { violations: [], details: { accreditation: id, complaint: act.complaint } };
}

const accreditationOf = (row: { details: Record<string, unknown> }) => row.details.accreditation as string;

export function revocationHooks(store: AccreditationStore, publish: Publish, root: () => RootRegistrar): OfficialHooks {
  return {
    async vetAct(trx, { row, state, event, act, envelope, official }) {
      const before = caseFromJson(row.state).step!;
      await recordRevocationAct(trx, store, { row, step: before, state, event, act, envelope });
      if (event.type === 'convene_commission') {
        const table = new Map((await store.commission(trx)).map((m) => [m.iin, m]));
        const unknown = event.members.filter((m) => table.get(m.id)?.body !== m.body || table.get(m.id)?.position !== m.position);
        if (unknown.length > 0) throw invalidArgument(unknown.map((m) => ({ field: 'act.payload.members', description: `${m.id} is not a commission member from ${m.body} as ${m.position}` })));
      }
      if (event.type === 'record_finding' && before === 'examination') {
        // The examination act (para 22) as the bytes members sign: violations found, or the mark that there are none.
        const bytes = Buffer.from(canonicalJson({ document: 'ruqsat.accreditation_examination_act', application: applicationName(row.id), accreditation: accreditationName(accreditationOf(row)), violations_found: event.complies, findings: event.reasons ?? [], date: almatyDate(new Date()) } as unknown as JsonValue), 'utf8');
        const empty = Buffer.alloc(0);
        await store.insertInspection(trx, { application_id: row.id, document: bytes, sha256: createHash('sha256').update(bytes).digest('hex'), ca_certificate: empty, user_certificate: empty, crl: empty });
      }
      if (event.type === 'vote') {
        const inspection = await store.inspection(row.id, trx);
        if (!inspection) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NO_INSPECTION_ACT', 'there is no examination act to sign yet');
        if (act.act_sha256 !== inspection.sha256) throw invalidArgument([{ field: 'act.payload.act_sha256', description: `the signature must be over the examination act, sha256 ${inspection.sha256}` }]);
        const member = state.commission!.find((m) => m.id === official.iin)!;
        await store.insertVote(trx, { application_id: row.id, step: before, iin: official.iin, body: member.body, signs: event.signs, reasons: event.reasons ?? [], envelope: fromEnvelope(envelope), at: new Date() });
      }
      if (row.service === TERMINATION_SERVICE) return vetTermination(row, caseFromJson(row.state), event, act);
      // Para 19.2 (§6.9): a revocation for violations states the damage they caused to the centre's users.
      if (event.type === 'draft_result' && state.draft === 'issue' && (typeof act.damage_to_users !== 'string' || act.damage_to_users.trim() === '')) {
        throw invalidArgument([{ field: 'act.payload.damage_to_users', description: 'the revocation for unremedied violations states the damage caused to users (para 19.2)' }]);
      }
    },

    async draftIssue(trx, row, state, act) {
      const acc = (await store.accreditation(accreditationOf(row), trx))!;
      return Buffer.from(canonicalJson({
        document: 'ruqsat.accreditation_revocation',
        accreditation: accreditationName(acc.id),
        number: acc.number,
        legal_entity: { bin: acc.holder_identifier, name: acc.holder_name },
        ...groundAndOrigin(row, act),
        findings: state.finding?.reasons ?? [],
        registration_number: state.registrationNo ?? '',
        date: almatyDate(new Date()),
      } as unknown as JsonValue), 'utf8');
    },

    async issued(trx, { row }) {
      const acc = await store.accreditation(accreditationOf(row), trx);
      if (!acc || (acc.status !== 'active' && acc.status !== 'pending_root_registration')) {
        throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ACCREDITATION_NOT_IN_FORCE', `the certificate is ${acc?.status ?? 'gone'}`);
      }
      const ground = row.service === TERMINATION_SERVICE ? String(row.details.ground) : 'violations';
      await store.updateAccreditation(trx, acc.id, { status: 'revoked', revocation_ground: ground, root_revocation_reason: CESSATION_OF_OPERATION });
      await publish(trx, acc.id);
    },

    async committed(row, event) {
      if (event.type === 'sign') await root().revokeAtRoot(accreditationOf(row)).catch(() => undefined);
    },
  };
}

/** Procedure A: the period recorded is the one the notification names, and its end can be recorded only after that. */
function vetTermination(row: { details: Record<string, unknown> }, before: CaseState, event: { type: string }, act: Record<string, unknown>): void {
  if (event.type === 'agree_period' && act.until !== row.details.period_end) {
    throw invalidArgument([{ field: 'act.payload.until', description: `the period the notification names ends on ${String(row.details.period_end)}` }]);
  }
  const open = before.steps.find((r) => r.step === before.step && !r.completedAt);
  if (event.type === 'record_finding' && before.step === 'period' && !open?.agreed) {
    throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'PERIOD_NOT_RECORDED', `record the period the notification names (agree_period until ${String(row.details.period_end)}) first`);
  }
}

/** The decision's ground (para 19.1 for A, 19.2 for B and C) and the case it came from. */
function groundAndOrigin(row: { id: string; service: string; details: Record<string, unknown> }, act: Record<string, unknown>): Record<string, unknown> {
  const origin = applicationName(row.id);
  if (row.service === TERMINATION_SERVICE) {
    const what = row.details.ground === 'reregistration' ? 're-registration' : 'termination of activity';
    return { ground: `the legal entity's ${what} (para 19.1)`, notification: { application: origin, period_end: row.details.period_end } };
  }
  const violations = { ground: 'violations not eliminated under written recommendations, with damage to users (para 19.2)', damage_to_users: String(act.damage_to_users ?? '') };
  if (row.service === CHANGES_SERVICE) return { ...violations, change_notice: { application: origin, change_date: row.details.change_date, notice_due: row.details.notice_due, late: row.details.late } };
  return { ...violations, complaint: origin };
}
