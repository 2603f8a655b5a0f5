// The NSC officials' acts on permit cases: the kit's CaseService, with the signed conclusion or permit as the result.
import * as grpc from '@grpc/grpc-js';
import type { CaseServiceServer } from '../../gen/ruqsat/cases/v1/cases.ts';
import { EntryStatus } from '../../gen/ruqsat/registry/v1/registry.ts';
import { addDays, wallClock } from '../kit/calendar/zone.ts';
import type { CaseDeps } from '../kit/cases/applicant-api.ts';
import { officialsApi, type OfficialHooks } from '../kit/cases/officials-api.ts';
import type { CaseStore } from '../kit/cases/store.ts';
import { invalidArgument, RuqsatError } from '../kit/errors.ts';
import type { Outbox } from '../kit/outbox.ts';
import { isValidIinBin, toParty } from '../kit/party.ts';
import type { PermitDetails } from './applications.ts';
import { CUSTOMS_KINDS, decodePermitDocument, encodePermitDocument, PERMIT_DOCUMENT, PERMIT_DOCUMENT_VERSION, validatePermitDocument, validityOf, type Movement, type PermitDocument, type PermitKind } from './domain/document.ts';
import { permitName } from './domain/names.ts';
import type { PermitStore } from './store.ts';

// A best reading (A-validity): the regulation sets no term; a permit runs at most a year, or to the date the applicant asked.
const MAX_VALIDITY_DAYS = 365;

/** Permit numbers: stable and sortable, e.g. "NSC-P-2026-000042". */
export const permitNumber = (year: string, serial: number) => `NSC-P-${year}-${String(serial).padStart(6, '0')}`;

export function permitHooks(cases: CaseStore, permits: PermitStore, outbox: Outbox): OfficialHooks {
  return {
    /** The executor forms the draft and sends it to a named authorized person (уәкілетті адам), who alone may sign it. */
    async draftIssue(trx, row, state, act) {
      const iin = act.signatory_iin;
      if (typeof iin !== 'string' || !isValidIinBin(iin)) throw invalidArgument([{ field: 'act.payload.signatory_iin', description: 'the draft names the authorized person who will sign it (IIN)' }]);
      if (!(await cases.staffRoles(iin, trx)).includes('signatory')) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_A_SIGNATORY', `${iin} is not an authorized signatory here`);
      // PGlite has one connection: every read here goes through the open transaction.
      const name = (await cases.staff(trx)).find((s) => s.iin === iin && s.full_name)?.full_name ?? `IIN${iin}`;
      const details = row.details as Partial<PermitDetails>;
      const today = wallClock(new Date()).date;
      const cap = addDays(today, MAX_VALIDITY_DAYS - 1);
      const kind = row.service as PermitKind;
      const doc: PermitDocument = {
        document: PERMIT_DOCUMENT,
        version: PERMIT_DOCUMENT_VERSION,
        number: permitNumber(today.slice(0, 4), await cases.db.nextval(trx, 'permit_number_seq')),
        kind,
        ...(CUSTOMS_KINDS.includes(kind) ? { movement_type: state.definition.variant as Movement, contract_reference: details.contract_reference ?? '' } : {}),
        holder: { type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name },
        goods: details.goods ?? [],
        valid_from: today,
        valid_until: details.valid_until && details.valid_until < cap ? details.valid_until : cap,
        issue_date: today,
        signatory: { iin, name },
      };
      const violations = validatePermitDocument(doc);
      if (violations.length > 0) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'DRAFT_INVALID', `the permit cannot be drafted: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`);
      return Buffer.from(encodePermitDocument(doc));
    },

    async issued(trx, { row, document, official }) {
      const decoded = decodePermitDocument(document.payload);
      if (!decoded.ok) throw new RuqsatError(grpc.status.INTERNAL, 'DRAFT_INVALID', 'the drafted permit no longer reads');
      const doc = decoded.document;
      if (official.iin !== doc.signatory.iin) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_THE_NAMED_SIGNATORY', `the draft is addressed to ${doc.signatory.name}; only that authorized person signs it`);
      }
      const id = await permits.issuePermit(trx, doc, document);
      await cases.db.table('applications', trx).where({ id: row.id }).update({ details: JSON.stringify({ ...row.details, permit: id }) });
      // The permit register: published with the permit, delivered even if registry is down now.
      await outbox.enqueue(trx, {
        register: 'registers/nsc-permits',
        sourceService: 'permit',
        sourceResource: permitName(id),
        sequence: 0,
        number: doc.number,
        title: `${doc.kind}${doc.movement_type ? ` (${doc.movement_type})` : ''}: ${doc.goods.map((g) => g.name).join(', ')}`.slice(0, 500),
        holder: toParty(doc.holder),
        status: EntryStatus.ENTRY_STATUS_ACTIVE,
        effectiveTime: validityOf(doc).from,
        expireTime: validityOf(doc).until,
        document,
        attributes: { kind: doc.kind, movement_type: doc.movement_type ?? '', hs_codes: doc.goods.map((g) => g.hs_code).join(','), application: `applications/${row.id}` },
      });
    },
  };
}

export function caseHandlers(deps: CaseDeps, permits: PermitStore, outbox: Outbox, rolePolicy: Record<string, string | undefined>): CaseServiceServer {
  return officialsApi(deps, permitHooks(deps.store, permits, outbox), rolePolicy);
}
