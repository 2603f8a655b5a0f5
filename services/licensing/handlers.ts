// Licences (лицензиялар): decode, validate, read the store, encode. No SQL here.
import { LicenseStatus, type License, type LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { notFound } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import type { Logger } from 'pino';
import { LICENSE, licenseName } from './domain/names.ts';
import type { LicensingStore, LicenseRow } from './store.ts';

const STATUSES: Record<LicenseRow['status'], LicenseStatus> = {
  active: LicenseStatus.LICENSE_STATUS_ACTIVE,
  suspended: LicenseStatus.LICENSE_STATUS_SUSPENDED,
  terminated: LicenseStatus.LICENSE_STATUS_TERMINATED,
};

const toLicense = (row: LicenseRow): License => ({
  name: licenseName(row.id),
  number: row.number,
  kind: row.kind,
  subKinds: row.sub_kinds,
  holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
  status: STATUSES[row.status],
  issueTime: row.issued_at,
  signatory: row.signatory,
});

export function licenseHandlers(store: LicensingStore, logger: Logger): Pick<LicensingServiceServer, 'getLicense' | 'listLicenses'> {
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
  };
}
