// Appends entries to a service's hash-chained audit log inside the caller's transaction.
import type { Knex } from 'knex';
import type { ServiceDb } from '../db.ts';
import { canonicalJson, entryHash, type JsonValue } from './canonical.ts';

/** What a transition records: who did what to which resource, with the transition's data. */
export interface AuditInput {
  /** A certificate subject or serial, or a system name for acts of the service itself. */
  actor: string;
  action: string;
  /** The resource name, e.g. `licenses/123`. */
  resource: string;
  payload: JsonValue;
  /** Defaults to now; stored and hashed to the millisecond. */
  at?: Date;
}

export interface AuditEntry {
  seq: number;
  /** 1, 2, 3, … with no gaps: the entry's place in the chain. */
  position: number;
  at: Date;
  actor: string;
  action: string;
  resource: string;
  payload: JsonValue;
  prevHash: string;
  hash: string;
}

// Control characters would let one field's text pass for a field boundary in the hashed text.
const CONTROL = /[\u0000-\u001f\u007f]/;

export class AuditLog {
  constructor(private readonly db: ServiceDb) {}

  /**
   * Appends one entry in `trx`, so the transition and its entry commit or roll back together.
   * It locks the chain's head until `trx` ends: append last in the transaction to hold it briefly.
   */
  async append(trx: Knex.Transaction, input: AuditInput): Promise<AuditEntry> {
    for (const field of ['actor', 'action', 'resource'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '' || CONTROL.test(input[field])) {
        throw new TypeError(`audit ${field} must be a non-empty string without control characters`);
      }
    }
    // The stored payload is exactly what is hashed: undefined dropped, dates as strings.
    const payload = JSON.parse(JSON.stringify(input.payload ?? null)) as JsonValue;
    const at = new Date(input.at ? input.at.getTime() : Date.now());
    if (Number.isNaN(at.getTime())) throw new TypeError('audit at must be a valid date');

    const head = await this.db.table<{ position: string | number; hash: string }>('audit_head', trx).first('position', 'hash').forUpdate();
    if (!head) throw new Error(`${this.db.schema}.audit_head has no row: was auditLogMigration run?`);
    const fields = { position: Number(head.position) + 1, prevHash: head.hash, at, actor: input.actor, action: input.action, resource: input.resource, payload };
    const hash = entryHash(fields);
    const [row] = await this.db
      .table('audit_log', trx)
      .insert({
        position: fields.position,
        at,
        actor: fields.actor,
        action: fields.action,
        resource: fields.resource,
        // A string, so the driver never turns a JSON array into a PostgreSQL array.
        payload: canonicalJson(payload),
        prev_hash: fields.prevHash,
        hash,
      })
      .returning('seq');
    await this.db.table('audit_head', trx).update({ position: fields.position, hash });
    return { seq: Number((row as { seq: string | number }).seq), ...fields, hash };
  }
}
