// The permit service's tables.
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';

export type MovementType = 'import' | 'export' | 'transit';

export interface PermitRow {
  id: string;
  number: string;
  kind: string;
  holder_type: PartyKind;
  holder_identifier: string;
  holder_name: string;
  movement_type: MovementType | null;
  status: 'valid' | 'suspended' | 'revoked' | 'exhausted';
  valid_from: Date;
  valid_until: Date;
  seq: string;
}

export interface GoodsRow {
  permit_id: string;
  line: number;
  description: string;
  hs_code: string;
  quantity: string;
  remaining_quantity: string;
  unit: string;
  manufacturer: string;
  origin_country: string;
  destination_country: string;
}

export interface PermitWithGoods extends PermitRow {
  goods: GoodsRow[];
}

export class PermitStore {
  constructor(private readonly db: ServiceDb) {}

  async permit(id: string): Promise<PermitWithGoods | undefined> {
    const row = await this.db.table<PermitRow>('permits').where({ id }).first();
    return row && (await this.withGoods([row]))[0];
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async permits(holder: string | undefined, limit: number, beforeSeq?: string): Promise<PermitWithGoods[]> {
    const q = this.db.table<PermitRow>('permits').orderBy('seq', 'desc').limit(limit);
    if (holder !== undefined) q.where('holder_identifier', holder);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return this.withGoods(await q);
  }

  // One query for the goods of a whole page, not one per permit.
  private async withGoods(rows: PermitRow[]): Promise<PermitWithGoods[]> {
    if (rows.length === 0) return [];
    const goods: GoodsRow[] = await this.db
      .table<GoodsRow>('permit_goods')
      .whereIn('permit_id', rows.map((r) => r.id))
      .orderBy(['permit_id', 'line']);
    return rows.map((r) => ({ ...r, goods: goods.filter((g) => g.permit_id === r.id) }));
  }

  async insertPermit(row: Omit<PermitRow, 'seq'>, goods: Omit<GoodsRow, 'permit_id' | 'line'>[]): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.db.table('permits', trx).insert(row);
      if (goods.length > 0) await this.db.table('permit_goods', trx).insert(goods.map((g, i) => ({ ...g, permit_id: row.id, line: i + 1 })));
    });
  }
}
