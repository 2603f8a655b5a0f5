// The trust service's tables: certifying centres and the certificates they issued.
import type { ServiceDb } from '../kit/db.ts';

export interface AuthorityRow {
  id: string;
  kind: string;
  display_name: string;
  subject: string;
  certificate_der: Buffer;
  created_at: Date;
  seq: string;
}

export interface CertificateRow {
  authority_id: string;
  serial_number: string;
  subject: string;
  not_before: Date;
  not_after: Date;
  status: 'valid' | 'suspended' | 'revoked';
  revocation_reason: number | null;
  revocation_time: Date | null;
  sha256_fingerprint: string;
  certificate_der: Buffer;
  seq: string;
}

export class TrustStore {
  constructor(private readonly db: ServiceDb) {}

  async authority(id: string): Promise<AuthorityRow | undefined> {
    return this.db.table<AuthorityRow>('authorities').where({ id }).first();
  }

  /** Oldest first, so the Root CA leads; `afterSeq` resumes a page. */
  async authorities(limit: number, afterSeq?: string): Promise<AuthorityRow[]> {
    const q = this.db.table<AuthorityRow>('authorities').orderBy('seq', 'asc').limit(limit);
    if (afterSeq !== undefined) q.where('seq', '>', afterSeq);
    return q;
  }

  async certificate(authorityId: string, serial: string): Promise<CertificateRow | undefined> {
    return this.db.table<CertificateRow>('certificates').where({ authority_id: authorityId, serial_number: serial }).first();
  }

  /** Newest first; `authorityId` undefined lists every authority's. */
  async certificates(authorityId: string | undefined, limit: number, beforeSeq?: string): Promise<CertificateRow[]> {
    const q = this.db.table<CertificateRow>('certificates').orderBy('seq', 'desc').limit(limit);
    if (authorityId !== undefined) q.where('authority_id', authorityId);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertAuthority(row: Omit<AuthorityRow, 'seq' | 'created_at'>): Promise<void> {
    await this.db.table('authorities').insert(row);
  }

  async insertCertificate(row: Omit<CertificateRow, 'seq'>): Promise<void> {
    await this.db.table('certificates').insert(row);
  }
}
