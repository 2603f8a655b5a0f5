// The Licensing Department's acts on licence cases: the kit's CaseService, with the licence as the result.
import type { Knex } from 'knex';
import type { CaseServiceServer } from '../../gen/ruqsat/cases/v1/cases.ts';
import type { CaseDeps } from '../kit/cases/applicant-api.ts';
import { almatyDate, officialsApi, type OfficialHooks } from '../kit/cases/officials-api.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import { applicationName, fromEnvelope } from '../kit/cases/view.ts';
import type { CaseState } from '../kit/workflow/index.ts';
import { encodeLicence, licenceNumber } from './domain/document.ts';
import type { LicensingStore } from './store.ts';
import { CHANGES_SERVICE } from './accreditation/changes.ts';
import { TERMINATION_SERVICE } from './accreditation/termination.ts';
import { REVOCATION_SERVICE } from './accreditation/revocation.ts';
import { ACCREDITATION_SERVICE } from './accreditation/submission.ts';

/** Forms the licence document at the draft, and writes the licence register's row at the signature. */
export function licenceHooks(store: LicensingStore, deps: CaseDeps, publish: Publish): OfficialHooks {
  const reissued = (row: ApplicationRow) => (typeof row.details.license === 'string' ? row.details.license : undefined);
  return {
    async draftIssue(trx: Knex.Transaction, row: ApplicationRow, state: CaseState) {
      const now = new Date();
      const previous = reissued(row) ? await store.license(reissued(row)!, trx) : undefined;
      const number = previous?.number ?? licenceNumber(Number(almatyDate(now).slice(0, 4)), await store.db.nextval(trx, 'license_number_seq'));
      const def = deps.definitions.get(row.service, row.definition_version);
      return encodeLicence({
        number,
        kind: row.service,
        kind_title: def.title.en,
        sub_kinds: state.subKinds,
        holder: { type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name },
        application: applicationName(row.id),
        registration_number: state.registrationNo ?? '',
        date: almatyDate(now),
        reissue: previous !== undefined,
      });
    },

    async issued(trx, { row, document, official }) {
      const doc = JSON.parse(Buffer.from(document.payload).toString('utf8')) as { number: string; sub_kinds: string[] };
      const signed = { document: fromEnvelope(document), application: applicationName(row.id), signatory: official.label.replace(/ \([a-z_]+\)$/, '') };
      const previous = reissued(row);
      if (previous) {
        // Re-issue (қайта ресімдеу): the same licence, its new document and sub-kinds.
        await store.updateLicense(trx, previous, { ...signed, sub_kinds: doc.sub_kinds, holder_name: row.applicant_name });
        await publish(trx, previous);
        return;
      }
      await store.insertLicense(
        {
          id: row.id,
          number: doc.number,
          kind: row.service,
          sub_kinds: doc.sub_kinds,
          holder_type: row.applicant_type,
          holder_identifier: row.applicant_identifier,
          holder_name: row.applicant_name,
          status: 'active',
          issued_at: new Date(),
          updated_at: new Date(),
          status_reason: '',
          ...signed,
        },
        trx,
      );
      await publish(trx, row.id);
    },
  };
}

/** Puts the licence, as it now stands, in the outbox to registry (same transaction). */
export type Publish = (trx: Knex.Transaction, licenseId: string) => Promise<void>;

/** One CaseService for every licensing case: each act goes to the hooks of its application's service. */
function byService(licence: OfficialHooks, accreditation: OfficialHooks, revocation: OfficialHooks): OfficialHooks {
  // Procedures A and C end as B does (C runs B's examination and follow-up), so their acts go to the same hooks.
  const revoking = [REVOCATION_SERVICE, CHANGES_SERVICE, TERMINATION_SERVICE];
  const of = (row: ApplicationRow) => (row.service === ACCREDITATION_SERVICE ? accreditation : revoking.includes(row.service) ? revocation : licence);
  return {
    draftIssue: (trx, row, state, act) => of(row).draftIssue(trx, row, state, act),
    vetAct: async (trx, ctx) => of(ctx.row).vetAct?.(trx, ctx),
    issued: async (trx, ctx) => of(ctx.row).issued?.(trx, ctx),
    committed: async (row, event) => of(row).committed?.(row, event),
  };
}

export function caseHandlers(deps: CaseDeps & { store: LicensingStore }, rolePolicy: Record<string, string | undefined>, publish: Publish, accreditation: { grant: OfficialHooks; revocation: OfficialHooks }): CaseServiceServer {
  return officialsApi(deps, byService(licenceHooks(deps.store, deps, publish), accreditation.grant, accreditation.revocation), rolePolicy);
}
