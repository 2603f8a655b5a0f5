// Licences (лицензиялар): the register's reads, and suspension, resumption and termination by a signed act.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { LicenseStatus, type License, type LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import type { AuditLog } from '../kit/audit.ts';
import { officialOf, verifySigned } from '../kit/cases/signers.ts';
import { toEnvelope } from '../kit/cases/view.ts';
import { invalidArgument, notFound, RuqsatError } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import { requireAct } from '../kit/signed.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import type { Publish } from './cases.ts';
import { LICENSE, licenseName } from './domain/names.ts';
import type { LicenseRow, LicenseStatusName, LicensingStore } from './store.ts';

const STATUSES: Record<LicenseRow['status'], LicenseStatus> = {
  active: LicenseStatus.LICENSE_STATUS_ACTIVE,
  suspended: LicenseStatus.LICENSE_STATUS_SUSPENDED,
  terminated: LicenseStatus.LICENSE_STATUS_TERMINATED,
};

// Which status each act may start from, and where it leads; the head of the Licensing Department signs them.
const STATUS_ACTS = {
  suspend_license: { from: ['active'], to: 'suspended' },
  resume_license: { from: ['suspended'], to: 'active' },
  terminate_license: { from: ['active', 'suspended'], to: 'terminated' },
} as const satisfies Record<string, { from: readonly LicenseStatusName[]; to: LicenseStatusName }>;
const STATUS_ROLE = 'head_of_licensing_department';

export const toLicense = (row: LicenseRow): License => ({
  name: licenseName(row.id),
  number: row.number,
  kind: row.kind,
  subKinds: row.sub_kinds,
  holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
  status: STATUSES[row.status],
  issueTime: row.issued_at,
  signatory: row.signatory,
  document: row.document ? toEnvelope(row.document) : undefined,
  application: row.application ?? '',
  updateTime: row.updated_at ?? row.issued_at,
  statusReason: row.status_reason,
});

export interface LicenseDeps {
  store: LicensingStore;
  audit: AuditLog;
  trust: TrustFollower;
  logger: Logger;
  rolePolicy: Record<string, string | undefined>;
  /** Called in the transaction that changed a licence: it publishes the licence to the registry. */
  publish: Publish;
}

type LicenseHandlers = Pick<LicensingServiceServer, 'getLicense' | 'listLicenses' | 'suspendLicense' | 'resumeLicense' | 'terminateLicense'>;

export function licenseHandlers({ store, audit, trust, logger, rolePolicy, publish }: LicenseDeps): LicenseHandlers {
  const changeStatus = (action: keyof typeof STATUS_ACTS) => async (req: { name: string; act?: SignedEnvelope }) => {
    const { license } = parseName(req.name, LICENSE, 'name');
    const signed = verifySigned<Record<string, unknown>>(trust, req.act, 'act');
    requireAct(signed.act, 'act', { act: action, license: req.name });
    const reason = signed.act.reason;
    if (typeof reason !== 'string' || reason.trim() === '') throw invalidArgument([{ field: 'act.payload.reason', description: 'a change of licence status states its grounds' }]);
    const official = await officialOf(store, signed, rolePolicy);
    if (official.role !== STATUS_ROLE) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: ${action} is signed by the ${STATUS_ROLE}, not ${official.role}`);
    const rule = STATUS_ACTS[action];
    const row = await store.db.transaction(async (trx) => {
      const current = await store.license(license!, trx);
      if (!current) throw notFound(req.name);
      if (!(rule.from as readonly string[]).includes(current.status)) {
        throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'LICENSE_STATUS', `the licence is ${current.status}; ${action} needs it ${rule.from.join(' or ')}`, { status: current.status });
      }
      const updated = await store.updateLicense(trx, current.id, { status: rule.to, status_reason: reason });
      await audit.append(trx, { actor: official.label, action, resource: req.name, payload: { from: current.status, to: rule.to, reason } });
      await publish(trx, updated.id);
      return updated;
    });
    logger.info({ license: req.name, action }, 'licence status changed');
    return toLicense(row);
  };

  return {
    getLicense: unary(logger, async (req) => {
      const { license } = parseName(req.name, LICENSE, 'name');
      const row = await store.license(license!);
      if (!row) throw notFound(req.name);
      return toLicense(row);
    }),

    listLicenses: unary(logger, async (req) => {
      const holder = identifierFilter(req.holderIdentifier, 'holder_identifier');
      const query = { rpc: 'ListLicenses', holder };
      const page = await listPage(req, query, (limit, before) => store.licenses(holder, limit, before), toLicense);
      return { licenses: page.items, nextPageToken: page.nextPageToken };
    }),

    suspendLicense: unary(logger, changeStatus('suspend_license')),
    resumeLicense: unary(logger, changeStatus('resume_license')),
    terminateLicense: unary(logger, changeStatus('terminate_license')),
  };
}
