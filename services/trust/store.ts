// The trust service's tables: certifying centres, certificates, CRLs and the revocation feed.
import type { Knex } from 'knex';
import type { ServiceDb } from '../kit/db.ts';

export interface AuthorityRow {
  id: string;
  kind: string;
  display_name: string;
  subject: string;
  certificate_der: Buffer;
  parent_id: string | null;
  key_envelope: string | null;
  next_crl_number: string;
  created_at: Date;
  seq: string;
  /** jsonb: an accredited centre's CRL URLs (driver-dependent: parsed or text). */
  crl_distribution_points?: unknown;
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
  profile: string | null;
  subject_identifier: string | null;
  seq: string;
}

export interface CrlRow {
  authority_id: string;
  crl_number: string;
  base_crl_number: string | null;
  this_update: Date;
  next_update: Date;
  der: Buffer;
  last_sequence: string;
}

export interface RevocationEventRow {
  sequence: string;
  authority_id: string;
  serial_number: string;
  reason: number;
  revocation_time: Date;
  delta_crl_number: string | null;
}

export type Tx = Knex.Transaction;

export class TrustStore {
  constructor(readonly db: ServiceDb) {}

  async authority(id: string, trx?: Tx): Promise<AuthorityRow | undefined> {
    return this.db.table<AuthorityRow>('authorities', trx).where({ id }).first();
  }

  /** Oldest first, so the Root CA leads; `afterSeq` resumes a page. */
  async authorities(limit: number, afterSeq?: string): Promise<AuthorityRow[]> {
    const q = this.db.table<AuthorityRow>('authorities').orderBy('seq', 'asc').limit(limit);
    if (afterSeq !== undefined) q.where('seq', '>', afterSeq);
    return q;
  }

  async allAuthorities(trx?: Tx): Promise<AuthorityRow[]> {
    return this.db.table<AuthorityRow>('authorities', trx).orderBy('seq', 'asc');
  }

  async insertAuthority(row: Omit<AuthorityRow, 'seq' | 'created_at' | 'next_crl_number' | 'parent_id' | 'key_envelope'> & Partial<AuthorityRow>, trx?: Tx): Promise<void> {
    await this.db.table('authorities', trx).insert(row);
  }

  /** Takes the next CRL number of an authority; the row lock orders concurrent publishers. */
  async takeCrlNumber(trx: Tx, authorityId: string): Promise<bigint> {
    const [row] = await this.db
      .table('authorities', trx)
      .where({ id: authorityId })
      .increment('next_crl_number', 1)
      .returning<{ next_crl_number: string }[]>('next_crl_number');
    if (!row) throw new Error(`no authority ${authorityId}`);
    return BigInt(row.next_crl_number) - 1n;
  }

  async certificate(authorityId: string, serial: string, trx?: Tx): Promise<CertificateRow | undefined> {
    return this.db.table<CertificateRow>('certificates', trx).where({ authority_id: authorityId, serial_number: serial }).first();
  }

  /** Newest first; `authorityId` undefined lists every authority's. */
  async certificates(authorityId: string | undefined, limit: number, beforeSeq?: string): Promise<CertificateRow[]> {
    const q = this.db.table<CertificateRow>('certificates').orderBy('seq', 'desc').limit(limit);
    if (authorityId !== undefined) q.where('authority_id', authorityId);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  /** Called in the transaction that issued or revoked a certificate (trust's outbox to registry). */
  onCertificateChange?: (trx: Tx, authorityId: string, serial: string) => Promise<void>;

  async insertCertificate(row: Omit<CertificateRow, 'seq' | 'profile' | 'subject_identifier'> & Partial<CertificateRow>, trx?: Tx): Promise<void> {
    await this.db.table('certificates', trx).insert(row);
    if (trx) await this.onCertificateChange?.(trx, row.authority_id, row.serial_number);
  }

  /** Marks a valid certificate revoked and appends the feed event; undefined when it was not valid. */
  async revoke(trx: Tx, authorityId: string, serial: string, reason: number, time: Date): Promise<RevocationEventRow | undefined> {
    const updated = await this.db
      .table('certificates', trx)
      .where({ authority_id: authorityId, serial_number: serial })
      .whereNot('status', 'revoked')
      .update({ status: 'revoked', revocation_reason: reason, revocation_time: time });
    if (updated === 0) return undefined;
    await this.onCertificateChange?.(trx, authorityId, serial);
    const [event] = await this.db
      .table('revocation_events', trx)
      .insert({ authority_id: authorityId, serial_number: serial, reason, revocation_time: time })
      .returning<RevocationEventRow[]>('*');
    return event;
  }

  async revokedOf(authorityId: string, trx?: Tx): Promise<Pick<CertificateRow, 'serial_number' | 'revocation_reason' | 'revocation_time'>[]> {
    return this.db
      .table<CertificateRow>('certificates', trx)
      .where({ authority_id: authorityId, status: 'revoked' })
      .select('serial_number', 'revocation_reason', 'revocation_time');
  }

  async lastSequence(authorityId: string, trx?: Tx): Promise<bigint> {
    const row = await this.db.table('revocation_events', trx).where({ authority_id: authorityId }).max<{ max: string | null }>('sequence as max').first();
    return BigInt(row?.max ?? 0);
  }

  async eventsAfter(sequence: bigint, limit: number, authorityId?: string, trx?: Tx): Promise<RevocationEventRow[]> {
    const q = this.db.table<RevocationEventRow>('revocation_events', trx).where('sequence', '>', String(sequence)).orderBy('sequence', 'asc').limit(limit);
    if (authorityId) q.where({ authority_id: authorityId });
    return q;
  }

  /** The feed's position at start: before the first revocation no CRL carries yet, else after the newest. */
  async feedWatermark(): Promise<bigint> {
    const pending = await this.db.table('revocation_events').whereNull('delta_crl_number').min<{ min: string | null }>('sequence as min').first();
    if (pending?.min) return BigInt(pending.min) - 1n;
    const row = await this.db.table('revocation_events').max<{ max: string | null }>('sequence as max').first();
    return BigInt(row?.max ?? 0);
  }

  /** Revocations of an authority no CRL has carried yet, oldest first. */
  async unpublished(authorityId: string, trx?: Tx): Promise<RevocationEventRow[]> {
    return this.db.table<RevocationEventRow>('revocation_events', trx).where({ authority_id: authorityId }).whereNull('delta_crl_number').orderBy('sequence', 'asc');
  }

  /** Authorities with revocations no delta CRL has carried yet. */
  async authoritiesWithUnpublished(): Promise<string[]> {
    const rows = await this.db.table('revocation_events').whereNull('delta_crl_number').distinct('authority_id');
    return rows.map((r: { authority_id: string }) => r.authority_id);
  }

  async markPublished(trx: Tx, authorityId: string, upTo: bigint, crlNumber: bigint): Promise<void> {
    await this.db
      .table('revocation_events', trx)
      .where({ authority_id: authorityId })
      .where('sequence', '<=', String(upTo))
      .whereNull('delta_crl_number')
      .update({ delta_crl_number: String(crlNumber) });
  }

  async insertCrl(row: CrlRow, trx: Tx): Promise<void> {
    await this.db.table<CrlRow>('crls', trx).insert(row);
  }

  /** The newest full CRL (base_crl_number null) or delta CRL of an authority. */
  async latestCrl(authorityId: string, delta: boolean, trx?: Tx): Promise<CrlRow | undefined> {
    const q = this.db.table<CrlRow>('crls', trx).where({ authority_id: authorityId }).orderBy('crl_number', 'desc').first();
    return delta ? q.whereNotNull('base_crl_number') : q.whereNull('base_crl_number');
  }

  async crl(authorityId: string, crlNumber: bigint, trx?: Tx): Promise<CrlRow | undefined> {
    return this.db.table<CrlRow>('crls', trx).where({ authority_id: authorityId, crl_number: String(crlNumber) }).first();
  }

  /** Records a signed act once; false when the same signature was already used (a replay). */
  async useAct(trx: Tx, fingerprint: string): Promise<boolean> {
    const inserted = await this.db.table('used_acts', trx).insert({ sha256: fingerprint }).onConflict('sha256').ignore().returning('sha256');
    return inserted.length === 1;
  }
}
