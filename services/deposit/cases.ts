// The depositary's officials' acts on deposit cases (the kit's CaseService): the lead specialist's finding starts
// from the computed check, the certificate carries the deposit number and the Merkle root, the Head signs it; its
// signature drafts the cover letter, which the Head signs next and the office dispatches (dispatch.ts).
import * as grpc from '@grpc/grpc-js';
import type { Knex } from 'knex';
import type { CaseServiceServer } from '../../gen/ruqsat/cases/v1/cases.ts';
import { EntryStatus } from '../../gen/ruqsat/registry/v1/registry.ts';
import { withAfterResultActs } from '../kit/cases/after-result-acts.ts';
import type { CaseDeps } from '../kit/cases/applicant-api.ts';
import { almatyDate, officialsApi, type OfficialHooks } from '../kit/cases/officials-api.ts';
import type { CaseStore } from '../kit/cases/store.ts';
import { applicationName } from '../kit/cases/view.ts';
import { RuqsatError } from '../kit/errors.ts';
import type { Outbox } from '../kit/outbox.ts';
import { toParty } from '../kit/party.ts';
import type { DepositDetails } from './applications.ts';
import { decodeCertificate, DEPOSIT_DOCUMENT, DEPOSIT_DOCUMENT_VERSION, DEPOSIT_REGISTER, depositNumber, encodeCertificate } from './domain/certificate.ts';
import { coverLetter, encodeCoverLetter } from './domain/cover-letter.ts';
import { depositName, objectName } from './domain/names.ts';
import type { DepositStore } from './store.ts';

const objectOf = (details: unknown) => (details as Partial<DepositDetails>).object ?? '';

export function depositHooks(cases: CaseStore, deposits: DepositStore, outbox: Outbox): OfficialHooks {
  /** The stored object's computed check, read inside the case's transaction. */
  async function checked(trx: Knex.Transaction, id: string) {
    const found = await deposits.object(id, trx);
    if (!found || found.object.state !== 'stored') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'OBJECT_NOT_STORED', `${objectName(id)} is not a stored object`);
    // One object, one deposit number: a second application for it is refused at the finding.
    const earlier = await deposits.depositOfObject(id, trx);
    if (earlier) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_DEPOSITED', `${objectName(id)} is already deposited as ${earlier.deposit_number}`, { deposit_number: earlier.deposit_number });
    return found.object;
  }

  return {
    /**
     * A finding of compliance (steps 6–8 restate it) must agree with the computed completeness and conformity:
     * the lead specialist may find against a clean check, never for a failed one.
     */
    async vetAct(trx, { row, event }) {
      if (event.type !== 'record_finding' || !event.complies) return;
      const o = await checked(trx, objectOf(row.details));
      if (o.complete && o.conformant) return;
      const findings = JSON.parse(o.findings ?? '[]') as string[];
      throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'FINDING_CONTRADICTS_CHECK', `the object's check failed (${findings.join('; ')}); record the finding with complies=false and these reasons`, { findings: findings.join('\n') });
    },

    /** Step 8 (deposit number) and step 9 (the draft certificate): the number is drawn here, with the document it goes in. */
    async draftIssue(trx, row, state) {
      const o = await checked(trx, objectOf(row.details));
      const today = almatyDate(new Date());
      return encodeCertificate({
        document: DEPOSIT_DOCUMENT,
        version: DEPOSIT_DOCUMENT_VERSION,
        deposit_number: depositNumber(today.slice(0, 4), await cases.db.nextval(trx, 'deposit_number_seq')),
        register: DEPOSIT_REGISTER,
        object: {
          name: objectName(o.id),
          type: o.object_type,
          title: o.title,
          version: o.version,
          merkle_root: o.merkle_root!.toString('hex'),
          file_count: Number(o.file_count),
          total_size_bytes: Number(o.total_size_bytes),
        },
        depositor: { type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name },
        application: applicationName(row.id),
        registration_number: state.registrationNo ?? '',
        date: today,
      });
    },

    /** The Head's signature enters the object in the Registry under its number and publishes the entry. */
    async issued(trx, { row, document }) {
      const doc = decodeCertificate(document.payload);
      if (!doc) throw new RuqsatError(grpc.status.INTERNAL, 'DRAFT_INVALID', 'the drafted certificate no longer reads');
      const registeredAt = new Date();
      await deposits.insertDeposit(
        {
          id: row.id,
          deposit_number: doc.deposit_number,
          object_type: doc.object.type,
          title: doc.object.title,
          version: doc.object.version,
          depositor_type: doc.depositor.type,
          depositor_identifier: doc.depositor.identifier,
          depositor_name: doc.depositor.name,
          merkle_root: Buffer.from(doc.object.merkle_root, 'hex'),
          file_count: String(doc.object.file_count),
          total_size_bytes: String(doc.object.total_size_bytes),
          registered_at: registeredAt,
          object_id: objectOf(row.details),
        },
        trx,
      );
      const details: DepositDetails = { ...(row.details as unknown as DepositDetails), deposit: row.id, deposit_number: doc.deposit_number };
      // Step 10's other half: the cover letter for this very certificate becomes the draft the Head signs next.
      const letter = encodeCoverLetter(coverLetter(doc, document.payload, depositName(row.id), almatyDate(registeredAt)));
      await cases.db.table('applications', trx).where({ id: row.id }).update({ details: JSON.stringify(details), draft_document: letter });
      // The Registry of deposited software on the registry service: delivered even if registry is down now.
      await outbox.enqueue(trx, {
        register: DEPOSIT_REGISTER,
        sourceService: 'deposit',
        sourceResource: depositName(row.id),
        sequence: 0,
        number: doc.deposit_number,
        title: `${doc.object.title}${doc.object.version ? ` ${doc.object.version}` : ''}`.slice(0, 500),
        holder: toParty(doc.depositor),
        status: EntryStatus.ENTRY_STATUS_ACTIVE,
        effectiveTime: registeredAt,
        expireTime: undefined,
        document,
        attributes: { kind: doc.object.type, merkle_root: doc.object.merkle_root, file_count: String(doc.object.file_count), total_size_bytes: String(doc.object.total_size_bytes), application: applicationName(row.id) },
      });
    },
  };
}

export function caseHandlers(deps: CaseDeps, deposits: DepositStore, outbox: Outbox, rolePolicy: Record<string, string | undefined>): CaseServiceServer {
  return withAfterResultActs(officialsApi(deps, depositHooks(deps.store, deposits, outbox), rolePolicy), deps, rolePolicy);
}
