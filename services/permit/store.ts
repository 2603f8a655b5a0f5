// The permit service's tables: permits, their goods lines, the signed documents and the consumptions.
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';
import type { LiveState, PermitStatus } from './domain/check.ts';
import { validityOf, type Movement, type PermitDocument } from './domain/document.ts';
import { toMicros } from './domain/quantity.ts';
import { ProcessStates, statesFor, type PermitStates } from './states.ts';

export type MovementType = Movement;

export interface PermitRow {
  id: string;
  number: string;
  kind: string;
  holder_type: PartyKind;
  holder_identifier: string;
  holder_name: string;
  movement_type: MovementType | null;
  status: PermitStatus;
  valid_from: Date;
  valid_until: Date;
  contract_reference?: string;
  issued_at?: Date | null;
  signatory?: string;
  version?: string | number;
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

export interface ConsumptionRow {
  permit_id: string;
  declaration_id: string;
  line: number;
  quantity: string;
  request_hash: string;
  released: boolean;
  consumed_at: Date;
  released_at: Date | null;
}

// The columns a register read needs; the document bytes stay out of lists.
const REGISTER_COLUMNS = ['id', 'number', 'kind', 'holder_type', 'holder_identifier', 'holder_name', 'movement_type', 'status', 'valid_from', 'valid_until', 'contract_reference', 'issued_at', 'signatory', 'version', 'seq'];

const chainText = (chain: Uint8Array[]) => chain.map((c) => Buffer.from(c).toString('base64')).join(',');
const chainOf = (text: string | null) => (text ? text.split(',').map((c) => Buffer.from(c, 'base64')) : []);

export class PermitStore {
  /** The live state CheckPermit reads, cached where that is exact (see states.ts). */
  readonly states: PermitStates;

  /** `cache` makes the states cache on first use per database and schema; by default nothing is cached. */
  constructor(readonly db: ServiceDb, cache: (read: (number: string) => Promise<LiveState | undefined>) => PermitStates = (read) => new ProcessStates(read, false)) {
    this.states = statesFor(db.knex, db.schema, () => cache((number) => this.liveState(number)));
  }

  async permit(id: string): Promise<PermitWithGoods | undefined> {
    const row = await this.db.table<PermitRow>('permits').where({ id }).first(REGISTER_COLUMNS);
    return row && (await this.withGoods([row]))[0];
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async permits(holder: string | undefined, limit: number, beforeSeq?: string): Promise<PermitWithGoods[]> {
    const q = this.db.table<PermitRow>('permits').select(REGISTER_COLUMNS).orderBy('seq', 'desc').limit(limit);
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

  /**
   * Records a signed permit in `trx` with each goods line's full quantity remaining; returns its id.
   * The caller (the workflow's signing step) has verified `envelope` and decoded `document` from its payload.
   */
  async issuePermit(trx: Knex.Transaction, document: PermitDocument, envelope: SignedEnvelope, issuedAt = new Date()): Promise<string> {
    const id = randomUUID();
    const { from, until } = validityOf(document);
    await this.db.table('permits', trx).insert({
      id,
      number: document.number,
      kind: document.kind,
      holder_type: document.holder.type,
      holder_identifier: document.holder.identifier,
      holder_name: document.holder.name,
      movement_type: document.movement_type ?? null,
      status: 'active',
      valid_from: from,
      valid_until: until,
      contract_reference: document.contract_reference ?? '',
      issued_at: issuedAt,
      signatory: `${document.signatory.name} (IIN${document.signatory.iin})`,
      document: Buffer.from(envelope.payload),
      signature: Buffer.from(envelope.signature),
      certificate_chain: chainText(envelope.certificateChain),
    });
    if (document.goods.length > 0) {
      await this.db.table('permit_goods', trx).insert(
        document.goods.map((g, i) => ({
          permit_id: id, line: i + 1, description: g.name, hs_code: g.hs_code, quantity: g.quantity, remaining_quantity: g.quantity,
          unit: g.unit, manufacturer: g.manufacturer, origin_country: g.origin_country, destination_country: g.destination_country,
        })),
      );
    }
    return id;
  }

  /** Everything a customs check reads, in one indexed query: status, holder, movement, validity, each line's remainder. */
  async liveState(number: string, trx?: Knex.Transaction): Promise<LiveState | undefined> {
    const rows: { id: string; status: PermitStatus; holder_identifier: string; movement_type: Movement | null; valid_from: Date; valid_until: Date; line: number | null; hs_code: string | null; remaining_quantity: string | null }[] = await (trx ?? this.db.knex)
      .from(`${this.db.schema}.permits as p`)
      .leftJoin(`${this.db.schema}.permit_goods as g`, 'g.permit_id', 'p.id')
      .where('p.number', number)
      .orderBy('g.line')
      .select('p.id', 'p.status', 'p.holder_identifier', 'p.movement_type', 'p.valid_from', 'p.valid_until', 'g.line', 'g.hs_code', 'g.remaining_quantity');
    const first = rows[0];
    if (!first) return undefined;
    return {
      id: first.id,
      status: first.status,
      holderIdentifier: first.holder_identifier,
      movement: first.movement_type,
      validFrom: new Date(first.valid_from),
      validUntil: new Date(first.valid_until),
      lines: rows.filter((r) => r.line !== null).map((r) => ({ line: r.line!, hsCode: r.hs_code!, remaining: toMicros(String(r.remaining_quantity!)) })),
    };
  }

  /** The signed document as issued; undefined for a permit recorded without one. */
  async envelope(by: { id: string } | { number: string }): Promise<(SignedEnvelope & { id: string; number: string }) | undefined> {
    const row = await this.db.table<{ id: string; number: string; document: Buffer | null; signature: Buffer | null; certificate_chain: string | null }>('permits').where(by).first('id', 'number', 'document', 'signature', 'certificate_chain');
    if (!row?.document || !row.signature) return undefined;
    return { id: row.id, number: row.number, payload: Buffer.from(row.document), signature: Buffer.from(row.signature), certificateChain: chainOf(row.certificate_chain) };
  }

  /** Locks the permit row until `trx` ends: every change of a permit's quantities or status queues here. */
  async lockPermit(trx: Knex.Transaction, number: string): Promise<{ id: string; status: PermitStatus; version: string } | undefined> {
    await this.states.fence(trx, number);
    return this.db.table('permits', trx).where('number', number).first('id', 'status', 'version').forUpdate() as Promise<{ id: string; status: PermitStatus; version: string } | undefined>;
  }

  async consumptions(trx: Knex.Transaction, permitId: string, declarationId: string): Promise<ConsumptionRow[]> {
    return this.db.table<ConsumptionRow>('permit_consumptions', trx).where({ permit_id: permitId, declaration_id: declarationId }).orderBy('line');
  }

  /** Takes `quantity` off a line only if that much remains; false when it does not. */
  async takeFromLine(trx: Knex.Transaction, permitId: string, line: number, quantity: string): Promise<boolean> {
    const n = await this.db
      .table('permit_goods', trx)
      .where({ permit_id: permitId, line })
      .andWhere('remaining_quantity', '>=', quantity)
      .update({ remaining_quantity: this.db.knex.raw('remaining_quantity - ?::numeric', [quantity]) });
    return Number(n) === 1;
  }

  async giveBackToLine(trx: Knex.Transaction, permitId: string, line: number, quantity: string): Promise<void> {
    await this.db.table('permit_goods', trx).where({ permit_id: permitId, line }).update({ remaining_quantity: this.db.knex.raw('remaining_quantity + ?::numeric', [quantity]) });
  }

  async insertConsumptions(trx: Knex.Transaction, rows: Omit<ConsumptionRow, 'released' | 'released_at'>[]): Promise<void> {
    await this.db.table('permit_consumptions', trx).insert(rows);
  }

  async markReleased(trx: Knex.Transaction, permitId: string, declarationId: string, at: Date): Promise<void> {
    await this.db.table('permit_consumptions', trx).where({ permit_id: permitId, declaration_id: declarationId }).update({ released: true, released_at: at });
  }

  async staffRoles(iin: string): Promise<string[]> {
    const rows: { role: string }[] = await this.db.table('staff').where({ iin }).select('role');
    return rows.map((r) => r.role);
  }

  async addStaff(iin: string, role: string, fullName = ''): Promise<void> {
    await this.db.table('staff').insert({ iin, role, full_name: fullName }).onConflict(['iin', 'role']).ignore();
  }

  /** Records a signed act once; false when its fingerprint was already accepted. */
  async recordAct(trx: Knex.Transaction, fingerprint: string, permitId: string, act: string, at: Date): Promise<boolean> {
    const rows = await this.db.table('permit_acts', trx).insert({ fingerprint, permit_id: permitId, act, at }).onConflict('fingerprint').ignore().returning('fingerprint');
    return rows.length === 1;
  }

  async bumpVersion(trx: Knex.Transaction, permitId: string, status?: PermitStatus): Promise<void> {
    await this.db.table('permits', trx).where({ id: permitId }).update({ version: this.db.knex.raw('version + 1'), ...(status ? { status } : {}) });
  }
}
