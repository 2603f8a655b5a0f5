// Accredited centres' own CRLs as trust accepted them, their distribution points, and the feed rows they add.
import type { ServiceDb } from '../kit/db.ts';
import type { AuthorityRow, CertificateRow, CrlRow, RevocationEventRow, Tx } from './store.ts';

export interface AccreditedCrlRow {
  authority_id: string;
  delta: boolean;
  crl_number: string;
  base_crl_number: string | null;
  this_update: Date;
  next_update: Date;
  der: Buffer;
  sha256: string;
  source: string;
  received_at?: Date;
}

export interface NewRevocation {
  serial_number: string;
  reason: number;
  revocation_time: Date;
}

const INSERT_CHUNK = 500;

export class AccreditedCrlStore {
  constructor(readonly db: ServiceDb) {}

  /** The authority row, locked: acceptances of one centre's CRLs run one after another on every instance. */
  async lockAuthority(trx: Tx, id: string): Promise<AuthorityRow | undefined> {
    return this.db.table<AuthorityRow>('authorities', trx).where({ id }).forUpdate().first();
  }

  async latest(authorityId: string, delta: boolean, trx?: Tx): Promise<AccreditedCrlRow | undefined> {
    return this.db.table<AccreditedCrlRow>('accredited_crls', trx).where({ authority_id: authorityId, delta }).orderBy('crl_number', 'desc').first();
  }

  /** The CRL with this number; the complete one when a delta shares its number (it lists everything the delta does). */
  async byNumber(authorityId: string, crlNumber: bigint, trx?: Tx): Promise<AccreditedCrlRow | undefined> {
    return this.db.table<AccreditedCrlRow>('accredited_crls', trx).where({ authority_id: authorityId, crl_number: String(crlNumber) }).orderBy('delta', 'asc').first();
  }

  async insert(row: AccreditedCrlRow, trx: Tx): Promise<void> {
    await this.db.table<AccreditedCrlRow>('accredited_crls', trx).insert(row);
  }

  /** Appends the CRL's new revocations to the feed, already published by that CRL. */
  async appendToFeed(trx: Tx, authorityId: string, crlNumber: bigint, revocations: NewRevocation[]): Promise<RevocationEventRow[]> {
    const out: RevocationEventRow[] = [];
    for (let i = 0; i < revocations.length; i += INSERT_CHUNK) {
      const rows = revocations.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, authority_id: authorityId, delta_crl_number: String(crlNumber) }));
      out.push(...(await this.db.table('revocation_events', trx).insert(rows).returning<RevocationEventRow[]>('*')));
    }
    return out.sort((a, b) => Number(BigInt(a.sequence) - BigInt(b.sequence)));
  }

  async setDistributionPoints(trx: Tx, authorityId: string, urls: string[]): Promise<void> {
    await this.db.table('authorities', trx).where({ id: authorityId }).update({ crl_distribution_points: JSON.stringify(urls) });
  }

  /** Active accredited centres (CA certificate valid at the Root CA) with the URLs they registered for their CRL. */
  async withDistributionPoints(now = new Date()): Promise<{ id: string; urls: string[] }[]> {
    const rows = await this.db
      .table('authorities')
      .where({ kind: 'accredited' })
      .whereNotNull('crl_distribution_points')
      .select<(Pick<AuthorityRow, 'id' | 'parent_id' | 'certificate_der'> & { crl_distribution_points: unknown })[]>('id', 'parent_id', 'certificate_der', 'crl_distribution_points');
    const out: { id: string; urls: string[] }[] = [];
    for (const r of rows) {
      const atRoot = await this.db.table<CertificateRow>('certificates').where({ authority_id: r.parent_id ?? 'root', certificate_der: r.certificate_der }).first();
      const urls = distributionPoints(r.crl_distribution_points);
      if (atRoot?.status === 'valid' && atRoot.not_after > now && urls.length > 0) out.push({ id: r.id, urls });
    }
    return out;
  }

  /** An accredited centre's newest accepted CRL in the shape trust's own CRLs are served in. */
  async asServed(authorityId: string, delta: boolean): Promise<CrlRow | undefined> {
    const row = await this.latest(authorityId, delta);
    if (!row) return undefined;
    return { authority_id: row.authority_id, crl_number: row.crl_number, base_crl_number: row.base_crl_number, this_update: row.this_update, next_update: row.next_update, der: row.der, last_sequence: '0' };
  }
}

// jsonb comes back parsed from PostgreSQL and, depending on the driver, as text from PGlite.
export function distributionPoints(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : [];
}
