// The officials' acts on the registry's own state services: the kit's CaseService, with the signed registration
// certificate (EIR/IS, §2.2) or conformity conclusion (KKM, §2.3) as the result, written into the registry's own
// register in the transaction that closes the case — through the same store call PublishEntry makes.
//
// Refusals (the definitions' gaps, INFORMATIZATION_GAPS): the engine has one linear chain with one final step, so a
// refusal decided at A4 (EIR/IS) or at step 4 / the inspection (KKM) after the hearing (preliminary_refusal, the
// objection window, then the negative finding) is carried through the later steps at once with the negative finding
// (the Organization's steps included, though on paper it would never see the file), and the Committee Head signs the
// reasoned refusal (the kit's ruqsat.refusal document) at the last step. Nothing is written to a register then.
//
// The EIR/IS entry: on paper the Organization enters the IR/IS at B11a, before the Certificate exists; here B11a is a
// recorded finding and the entry is written when the Committee Head signs (C18), so the register never shows an
// entry without its signed Certificate. The number is taken when the Organization drafts the Certificate (B11b).
import * as grpc from '@grpc/grpc-js';
import type { CaseServiceServer } from '../../gen/ruqsat/cases/v1/cases.ts';
import { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { EntryStatus, PublishEntryRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { canonicalJson } from '../kit/audit.ts';
import type { CaseDeps } from '../kit/cases/applicant-api.ts';
import { withAfterResultActs } from '../kit/cases/after-result-acts.ts';
import { almatyDate, officialsApi, type OfficialHooks } from '../kit/cases/officials-api.ts';
import type { ApplicationRow, CaseStore } from '../kit/cases/store.ts';
import { applicationName } from '../kit/cases/view.ts';
import { invalidArgument, RuqsatError } from '../kit/errors.ts';
import { isValidIinBin, toParty, type PartyKind } from '../kit/party.ts';
import { CONFORMITY_KKM_COMPUTER_SYSTEM, REGISTRY_EIR_IS } from '../kit/workflow/index.ts';
import type { RegistrationDetails } from './applications.ts';
import { entryName } from './domain/names.ts';
import { validatePublish } from './domain/publish.ts';
import { encodeEntry } from './entries.ts';
import type { RegistryStore } from './store.ts';

export const EIR_IS_DOCUMENT = 'ruqsat.eir-is-registration';
export const KKM_DOCUMENT = 'ruqsat.kkm-conformity-conclusion';

/** Registration numbers in the State Register of EIR and IS: stable and sortable, e.g. "EIR-IS-2026-000042". */
export const eirIsNumber = (year: string, serial: number) => `EIR-IS-${year}-${String(serial).padStart(6, '0')}`;
/** Conformity conclusion numbers for KKM computer systems, e.g. "KKM-CS-2026-000007". */
export const kkmNumber = (year: string, serial: number) => `KKM-CS-${year}-${String(serial).padStart(6, '0')}`;

interface Signatory {
  iin: string;
  name: string;
}

/** The EIR/IS registration certificate (куәлік) as the Committee Head signs it: exactly these canonical JSON bytes. */
export interface EirIsCertificate {
  document: typeof EIR_IS_DOCUMENT;
  number: string;
  owner: { type: PartyKind; identifier: string; name: string };
  name: string;
  class: string;
  purpose: string;
  date: string;
  signatory: Signatory;
}

/** The KKM conformity conclusion (қорытынды) as the Committee Head signs it. */
export interface KkmConclusion {
  document: typeof KKM_DOCUMENT;
  number: string;
  applicant: { type: PartyKind; identifier: string; name: string };
  model: string;
  manufacturer: string;
  software_version: string;
  conclusion: 'conforms';
  date: string;
  signatory: Signatory;
}

type ResultDocument = EirIsCertificate | KkmConclusion;

const parse = (bytes: Uint8Array | null): ResultDocument | undefined => {
  if (!bytes) return undefined;
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as ResultDocument;
    return doc.document === EIR_IS_DOCUMENT || doc.document === KKM_DOCUMENT ? doc : undefined;
  } catch {
    return undefined;
  }
};

export function registrationHooks(cases: CaseStore, registry: RegistryStore, onCommitted: (seq: string) => void): OfficialHooks {
  return {
    /**
     * The draft names the Committee Head who will sign it (§5.4: the Certificate is signed by the Committee Head,
     * not the Organization's). EIR/IS drafts twice (B11b the Organization, C17 the Committee): the second draft keeps
     * the first one's number, so a case takes one number from the sequence.
     */
    async draftIssue(trx, row, _state, act) {
      const iin = act.signatory_iin;
      if (typeof iin !== 'string' || !isValidIinBin(iin)) throw invalidArgument([{ field: 'act.payload.signatory_iin', description: 'the draft names the head who will sign it (IIN)' }]);
      // PGlite has one connection: every read here goes through the open transaction.
      const staff = await cases.staff(trx);
      if (!staff.some((s) => s.iin === iin && s.role === 'head')) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_A_SIGNATORY', `${iin} is not a head here`);
      const signatory = { iin, name: staff.find((s) => s.iin === iin && s.full_name)?.full_name ?? `IIN${iin}` };
      const d = row.details as RegistrationDetails;
      const today = almatyDate(new Date());
      const earlier = parse(row.draft_document);
      let doc: ResultDocument;
      if (row.service === REGISTRY_EIR_IS.id) {
        const number = earlier?.document === EIR_IS_DOCUMENT ? earlier.number : eirIsNumber(today.slice(0, 4), await cases.db.nextval(trx, 'eir_is_number_seq'));
        doc = { document: EIR_IS_DOCUMENT, number, owner: d.owner!, name: d.name!, class: d.class!, purpose: d.purpose!, date: today, signatory };
      } else if (row.service === CONFORMITY_KKM_COMPUTER_SYSTEM.id) {
        const number = earlier?.document === KKM_DOCUMENT ? earlier.number : kkmNumber(today.slice(0, 4), await cases.db.nextval(trx, 'kkm_conclusion_number_seq'));
        doc = {
          document: KKM_DOCUMENT,
          number,
          applicant: { type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name },
          model: d.model!,
          manufacturer: d.manufacturer!,
          software_version: d.software_version!,
          conclusion: 'conforms',
          date: today,
          signatory,
        };
      } else {
        throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'UNKNOWN_SERVICE', `${row.service} is not a registry service`);
      }
      return Buffer.from(canonicalJson(doc as never), 'utf8');
    },

    async issued(trx, { row, document, official }) {
      const doc = parse(Buffer.from(document.payload));
      if (!doc) throw new RuqsatError(grpc.status.INTERNAL, 'DRAFT_INVALID', 'the drafted certificate no longer reads');
      if (official.iin !== doc.signatory.iin) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_THE_NAMED_SIGNATORY', `the draft is addressed to ${doc.signatory.name}; only that head signs it`);
      }
      const eir = doc.document === EIR_IS_DOCUMENT;
      const registerId = eir ? 'eir-is' : 'kkm-computer-systems';
      const holder = eir ? doc.owner : doc.applicant;
      // The same checks and the same store call as PublishEntry, with registry as the source service.
      const req = PublishEntryRequest.fromPartial({
        register: `registers/${registerId}`,
        sourceService: 'registry',
        sourceResource: applicationName(row.id),
        sequence: 1,
        number: doc.number,
        title: (eir ? doc.name : `${doc.manufacturer} ${doc.model}, software ${doc.software_version}`).slice(0, 500),
        holder: toParty(holder),
        status: EntryStatus.ENTRY_STATUS_ACTIVE,
        effectiveTime: new Date(),
        document,
        attributes: eir
          ? { kind: doc.class, purpose: doc.purpose.slice(0, 500), application: applicationName(row.id) }
          : { kind: 'kkm_computer_system', model: doc.model, manufacturer: doc.manufacturer, software_version: doc.software_version, conclusion: doc.conclusion, application: applicationName(row.id) },
      });
      const { input, violations } = validatePublish(req, registerId);
      if (!input) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ENTRY_INVALID', `the register entry cannot be written: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`);
      const outcome = await registry.publish(input, Buffer.from(SignedEnvelope.encode(document).finish()), encodeEntry, trx);
      if (outcome.change) onCommitted(outcome.change.seq);
      const details: RegistrationDetails = { ...(row.details as RegistrationDetails), number: doc.number, entry: entryName(registerId, outcome.row.id) };
      await cases.db.table('applications', trx).where({ id: row.id }).update({ details: JSON.stringify(details) });
    },
  };
}

/**
 * The officials' CaseService. A register change written by a signature is told to the watchers (EntryChanges) only
 * once the act's transaction has committed: the hook notes its seq, the answered call announces it.
 */
export function caseHandlers(deps: CaseDeps, registry: RegistryStore, rolePolicy: Record<string, string | undefined>, changes: { committed(seq: string): Promise<void> }): CaseServiceServer {
  const written: string[] = [];
  // C19 (dispatch of the paper Certificate or refusal) is an act after the result, as deposit's dispatch is.
  const api = withAfterResultActs(officialsApi(deps, registrationHooks(deps.store, registry, (seq) => written.push(seq)), rolePolicy), deps, rolePolicy);
  return {
    ...api,
    performAct: (call, callback) =>
      api.performAct(call, (err, value) => {
        // Announced after any act (a failed one wrote nothing, and watchers read the database, the one truth).
        for (const seq of written.splice(0)) void changes.committed(seq);
        callback(err, value);
      }),
  };
}
