// Reads: certifying centres and the certificates they issued.
import { AuthorityKind, CertificateStatus, type Authority, type Certificate, type Crl, type TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { invalidArgument, notFound } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { parseName } from '../../kit/names.ts';
import { listPage } from '../../kit/paging.ts';
import { AUTHORITY, authorityName, CERTIFICATE, certificateName, normalizeSerial } from '../domain/names.ts';
import type { TrustContext } from '../context.ts';
import { distributionPoints } from '../accredited-crl-store.ts';
import type { AuthorityRow, CertificateRow, CrlRow } from '../store.ts';

const KINDS: Record<string, AuthorityKind> = {
  root: AuthorityKind.AUTHORITY_KIND_ROOT,
  national: AuthorityKind.AUTHORITY_KIND_NATIONAL,
  accredited: AuthorityKind.AUTHORITY_KIND_ACCREDITED,
  mesh: AuthorityKind.AUTHORITY_KIND_MESH,
};

const STATUSES: Record<CertificateRow['status'], CertificateStatus> = {
  valid: CertificateStatus.CERTIFICATE_STATUS_VALID,
  suspended: CertificateStatus.CERTIFICATE_STATUS_SUSPENDED,
  revoked: CertificateStatus.CERTIFICATE_STATUS_REVOKED,
};

export const toAuthority = (row: AuthorityRow): Authority => ({
  name: authorityName(row.id),
  kind: KINDS[row.kind] ?? AuthorityKind.AUTHORITY_KIND_UNSPECIFIED,
  displayName: row.display_name,
  subject: row.subject,
  certificateDer: row.certificate_der,
  createTime: row.created_at,
  crlDistributionPoints: distributionPoints(row.crl_distribution_points),
});

export const toCertificate = (row: CertificateRow): Certificate => ({
  name: certificateName(row.authority_id, row.serial_number),
  serialNumber: row.serial_number,
  subject: row.subject,
  notBefore: row.not_before,
  notAfter: row.not_after,
  status: STATUSES[row.status],
  revocationReason: row.revocation_reason ?? 0,
  revocationTime: row.revocation_time ?? undefined,
  sha256Fingerprint: row.sha256_fingerprint,
  certificateDer: row.certificate_der,
});

/** A CRL as GetCrl and PublishCrl answer it: trust's own or an accredited centre's. */
export const toCrl = (row: Pick<CrlRow, 'authority_id' | 'crl_number' | 'base_crl_number' | 'this_update' | 'next_update' | 'der'>): Crl => ({
  authority: authorityName(row.authority_id),
  crlNumber: Number(row.crl_number),
  baseCrlNumber: row.base_crl_number === null ? 0 : Number(row.base_crl_number),
  thisUpdate: row.this_update,
  nextUpdate: row.next_update,
  crlDer: row.der,
});

export function readHandlers({ store, logger }: TrustContext): Pick<TrustServiceServer, 'getAuthority' | 'listAuthorities' | 'getCertificate' | 'listCertificates'> {
  return {
    getAuthority: unary(logger, async (req) => {
      const { authority } = parseName(req.name, AUTHORITY, 'name');
      const row = await store.authority(authority!);
      if (!row) throw notFound(req.name);
      return toAuthority(row);
    }),

    listAuthorities: unary(logger, async (req) => {
      const page = await listPage(req, { rpc: 'ListAuthorities' }, (limit, after) => store.authorities(limit, after), toAuthority);
      return { authorities: page.items, nextPageToken: page.nextPageToken };
    }),

    getCertificate: unary(logger, async (req) => {
      const { authority, certificate } = parseName(req.name, CERTIFICATE, 'name');
      const serial = normalizeSerial(certificate!);
      if (!serial) throw invalidArgument([{ field: 'name', description: 'the certificate id must be the serial number in hex' }]);
      const row = await store.certificate(authority!, serial);
      if (!row) throw notFound(req.name);
      return toCertificate(row);
    }),

    listCertificates: unary(logger, async (req) => {
      const { authority } = parseName(req.parent, AUTHORITY, 'parent', true);
      // An unknown authority is NOT_FOUND, not an empty list that hides a typo.
      if (authority !== '-' && !(await store.authority(authority!))) throw notFound(req.parent);
      const issuer = authority === '-' ? undefined : authority;
      const query = { rpc: 'ListCertificates', parent: req.parent };
      const page = await listPage(req, query, (limit, before) => store.certificates(issuer, limit, before), toCertificate);
      return { certificates: page.items, nextPageToken: page.nextPageToken };
    }),
  };
}
