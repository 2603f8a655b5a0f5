// The register of certificates of accreditation (reads), revocation by the provider's head (procedure A, para 20),
// and the commission's inspection act with its signatures.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { AccreditationStatus, type Accreditation, type LicensingServiceServer } from '../../../gen/ruqsat/licensing/v1/licensing.ts';
import type { AuditLog } from '../../kit/audit.ts';
import { officialOf, verifySigned } from '../../kit/cases/signers.ts';
import type { CaseStore } from '../../kit/cases/store.ts';
import { toEnvelope } from '../../kit/cases/view.ts';
import { invalidArgument, notFound, RuqsatError } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { parseName } from '../../kit/names.ts';
import { listPage } from '../../kit/paging.ts';
import { identifierFilter, toParty } from '../../kit/party.ts';
import { requireAct } from '../../kit/signed.ts';
import type { TrustFollower } from '../../kit/trust-follower.ts';
import { caseFromJson } from '../../kit/workflow/index.ts';
import { accreditationName } from './publish.ts';
import { CA_COMPROMISE, CESSATION_OF_OPERATION, type RootRegistrar } from './root.ts';
import type { AccreditationRow, AccreditationStatusName, AccreditationStore } from './store.ts';
import { CHANGES_SERVICE } from './changes.ts';
import { TERMINATION_GROUNDS, TERMINATION_SERVICE } from './termination.ts';
import { REVOCATION_SERVICE } from './revocation.ts';
import { ACCREDITATION_SERVICE } from './submission.ts';

const ACCREDITATION = 'accreditations/{accreditation}';
const APPLICATION = 'applications/{application}';
// Para 19.1: re-registration or termination of the legal entity (procedure A); the head decides.
const GROUNDS_A = TERMINATION_GROUNDS;
const REVOKING_ROLE = 'head';

const STATUSES: Record<AccreditationStatusName, AccreditationStatus> = {
  pending_root_registration: AccreditationStatus.ACCREDITATION_STATUS_PENDING_ROOT_REGISTRATION,
  active: AccreditationStatus.ACCREDITATION_STATUS_ACTIVE,
  revoked: AccreditationStatus.ACCREDITATION_STATUS_REVOKED,
  expired: AccreditationStatus.ACCREDITATION_STATUS_EXPIRED,
};

export const toAccreditation = (row: AccreditationRow): Accreditation => ({
  name: accreditationName(row.id),
  number: row.number,
  status: STATUSES[row.status],
  legalEntity: toParty({ type: 'legal_entity', identifier: row.holder_identifier, name: row.holder_name }),
  caName: row.ca_name,
  issueTime: row.issued_at,
  expireTime: row.expires_at,
  actSha256: row.act_sha256,
  decisionReference: row.decision_reference,
  application: row.application,
  authority: row.authority,
  rootCertificateSerial: row.root_serial,
  rootCertificateSha256: row.root_sha256,
  policies: row.policies,
  crlDistributionPoints: row.crl_distribution_points,
  revocationGround: row.revocation_ground,
  document: toEnvelope(row.document),
  rootChainCheck: row.root_chain_check,
  updateTime: row.updated_at,
});

export interface AccreditationDeps {
  store: AccreditationStore;
  cases: CaseStore;
  audit: AuditLog;
  trust: TrustFollower;
  logger: Logger;
  rolePolicy: Record<string, string | undefined>;
  publish: (trx: Parameters<Parameters<AccreditationStore['db']['transaction']>[0]>[0], id: string) => Promise<void>;
  root: RootRegistrar;
}

type Handlers = Pick<LicensingServiceServer, 'getAccreditation' | 'listAccreditations' | 'revokeAccreditation' | 'getInspectionAct' | 'listRevocationActs'>;
const REVOCATION_CASES = [REVOCATION_SERVICE, CHANGES_SERVICE, TERMINATION_SERVICE];

export function accreditationHandlers({ store, cases, audit, trust, logger, rolePolicy, publish, root }: AccreditationDeps): Handlers {
  return {
    getAccreditation: unary(logger, async (req) => {
      const { accreditation } = parseName(req.name, ACCREDITATION, 'name');
      const row = await store.accreditation(accreditation!);
      if (!row) throw notFound(req.name);
      return toAccreditation(row);
    }),

    listAccreditations: unary(logger, async (req) => {
      const holder = identifierFilter(req.holderIdentifier, 'holder_identifier');
      const page = await listPage(req, { rpc: 'ListAccreditations', holder }, (limit, before) => store.accreditations(holder, limit, before), toAccreditation);
      return { accreditations: page.items, nextPageToken: page.nextPageToken };
    }),

    revokeAccreditation: unary(logger, async (req) => {
      const { accreditation } = parseName(req.name, ACCREDITATION, 'name');
      const signed = verifySigned<Record<string, unknown>>(trust, req.act, 'act');
      requireAct(signed.act, 'act', { act: 'revoke_accreditation', accreditation: req.name });
      const { ground, reason } = signed.act;
      const v = [];
      if (typeof ground !== 'string' || !GROUNDS_A.includes(ground)) v.push({ field: 'act.payload.ground', description: `must be one of ${GROUNDS_A.join(', ')} (para 19.1)` });
      if (typeof reason !== 'string' || reason.trim() === '') v.push({ field: 'act.payload.reason', description: 'the decision states its grounds: the notification and the period it named' });
      if (signed.act.ca_compromise !== undefined && typeof signed.act.ca_compromise !== 'boolean') v.push({ field: 'act.payload.ca_compromise', description: 'must be true or false' });
      if (v.length > 0) throw invalidArgument(v);
      const official = await officialOf(cases, signed, rolePolicy);
      if (official.role !== REVOKING_ROLE) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the revocation is decided by the ${REVOKING_ROLE}, not ${official.role}`);
      const rootReason = signed.act.ca_compromise === true ? CA_COMPROMISE : CESSATION_OF_OPERATION;
      await store.db.transaction(async (trx) => {
        const current = await store.accreditation(accreditation!, trx);
        if (!current) throw notFound(req.name);
        if (current.status !== 'active' && current.status !== 'pending_root_registration') {
          throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ACCREDITATION_NOT_IN_FORCE', `the certificate is ${current.status}`, { status: current.status });
        }
        await store.updateAccreditation(trx, current.id, { status: 'revoked', revocation_ground: ground as string, root_revocation_reason: rootReason });
        await audit.append(trx, { actor: official.label, action: 'revoke_accreditation', resource: req.name, payload: { ground: ground as string, reason: reason as string, root_reason: rootReason } });
        await publish(trx, current.id);
      });
      logger.info({ accreditation: req.name, ground }, 'accreditation revoked');
      // The Root CA revokes the centre's CA certificate now; if trust is away, the scan does it later.
      const row = await root.revokeAtRoot(accreditation!).catch(async () => (await store.accreditation(accreditation!))!);
      return toAccreditation(row);
    }),

    getInspectionAct: unary(logger, async (req) => {
      const { application } = parseName(req.application, APPLICATION, 'application');
      const row = await cases.application(application!);
      if (!row || (row.service !== ACCREDITATION_SERVICE && !REVOCATION_CASES.includes(row.service))) throw notFound(req.application);
      const inspection = await store.inspection(application!);
      if (!inspection) throw notFound(`${req.application}: inspection act`);
      const state = caseFromJson(row.state);
      // The accreditation inspection's act (para 13) or the revocation examination's (para 22).
      const adopted = state.steps.some((s) => (s.step === 'act' || s.step === 'examination_act') && s.completedAt !== undefined);
      const votes = (await store.votes(application!)).map((x) => ({ member: x.iin, body: x.body, signs: x.signs, reasons: x.reasons }));
      return { application: req.application, document: inspection.document, sha256: inspection.sha256, votes, adopted };
    }),

    listRevocationActs: unary(logger, async (req) => {
      const { application } = parseName(req.application, APPLICATION, 'application');
      const row = await cases.application(application!);
      if (!row || !REVOCATION_CASES.includes(row.service)) throw notFound(req.application);
      const acts = await store.revocationActs(application!);
      return { acts: acts.map((a) => ({ step: a.step, act: a.act, exit: a.exit, document: toEnvelope(a.envelope), time: a.at })) };
    }),
  };
}
