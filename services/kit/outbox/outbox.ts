// The transactional outbox to registry: a publish commits with the business change or not at all,
// and a relay delivers it later, in order per source record, however long registry is away.
import * as grpc from '@grpc/grpc-js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { PublishEntryRequest, RegistryServiceClient } from '../../../gen/ruqsat/registry/v1/registry.ts';
import type { MeshConfig } from '../config.ts';
import type { ServiceDb } from '../db.ts';
import { clientFor } from '../grpc/client.ts';

export interface OutboxDeps {
  db: ServiceDb;
  logger: Logger;
  /** Registry is reached at `config.addresses.registry`, read at every delivery. */
  config: Pick<MeshConfig, 'addresses'>;
  /** The process's Prometheus registry, for the outbox's lag metrics. */
  metrics?: Registry;
}

export interface OutboxOptions {
  /**
   * How often the relay looks for work when nothing woke it (default 1000 ms). On the embedded database only this
   * process writes the table, so the relay sleeps instead until the next row is due (never sooner than this).
   */
  pollMs?: number;
  /** Heads of line claimed per round (default 50). */
  batchSize?: number;
  /** First retry after a failed delivery, doubling per attempt up to maxBackoffMs (defaults 200 ms, 60 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claim lasts before another instance may take the row over (default 30 s). */
  leaseMs?: number;
  /** Deadline of one PublishEntry call (default 5 s). */
  callDeadlineMs?: number;
  /** Delivered rows are kept this long for an operator's look, then deleted (default 7 days). */
  retainDeliveredMs?: number;
  /** How often the relay deletes delivered rows past their retention (default 1 h). */
  pruneEveryMs?: number;
}

export interface OutboxLag {
  /** Rows not yet delivered (and not refused). */
  pending: number;
  /** Age of the oldest pending row; 0 when none. */
  oldestPendingMs: number;
  /** Rows registry refused for good (INVALID_ARGUMENT). */
  dead: number;
}

export interface RelayRound {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

interface ClaimedRow {
  id: string;
  source_resource: string;
  request: Buffer;
  attempts: number;
}

// The request itself is wrong: retrying cannot help. Anything else (registry down, overloaded,
// not yet migrated, not yet authorized) is retried with backoff.
const PERMANENT = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.OUT_OF_RANGE]);
// Delivered rows deleted per statement when pruning.
const PRUNE_BATCH = 1_000;
// On the embedded database the longest idle sleep: it bounds how stale the lag gauge gets, nothing else.
const EMBEDDED_IDLE_MS = 30_000;
// The relays running in this process, by schema: a commit through any Outbox wakes every relay of its table.
const relays = new Map<string, Set<Outbox>>();
// A row's turn comes when no earlier row of its source record is still pending (`o` is the row, in `outbox`).
const headOfLine = (outbox: string) =>
  `o.delivered_at is null and o.dead_at is null
            and not exists (select 1 from ${outbox} e where e.source_resource = o.source_resource and e.id < o.id and e.delivered_at is null and e.dead_at is null)`;

type Client = InstanceType<typeof RegistryServiceClient>;

export class Outbox {
  private readonly o: Required<OutboxOptions>;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private readonly metrics?: { pending: ReturnType<Gauge['labels']>; oldest: ReturnType<Gauge['labels']>; delivered: ReturnType<Counter['labels']>; failed: Counter };
  private lastLagAt = 0;
  private lastPruneAt = 0;

  constructor(
    private readonly deps: OutboxDeps,
    options: OutboxOptions = {},
  ) {
    this.o = { pollMs: 1_000, batchSize: 50, initialBackoffMs: 200, maxBackoffMs: 60_000, leaseMs: 30_000, callDeadlineMs: 5_000, retainDeliveredMs: 7 * 86_400_000, pruneEveryMs: 3_600_000, ...options };
    const r = deps.metrics;
    if (r) {
      const schema = deps.db.schema;
      const pending = (r.getSingleMetric('ruqsat_outbox_pending') as Gauge | undefined) ??
        new Gauge({ name: 'ruqsat_outbox_pending', help: 'Outbox rows not yet delivered to registry.', labelNames: ['schema'], registers: [r] });
      const oldest = (r.getSingleMetric('ruqsat_outbox_oldest_pending_seconds') as Gauge | undefined) ??
        new Gauge({ name: 'ruqsat_outbox_oldest_pending_seconds', help: 'Age of the oldest undelivered outbox row (the outbox lag).', labelNames: ['schema'], registers: [r] });
      const delivered = (r.getSingleMetric('ruqsat_outbox_delivered_total') as Counter | undefined) ??
        new Counter({ name: 'ruqsat_outbox_delivered_total', help: 'Outbox rows delivered to registry.', labelNames: ['schema'], registers: [r] });
      const failed = (r.getSingleMetric('ruqsat_outbox_failed_total') as Counter | undefined) ??
        new Counter({ name: 'ruqsat_outbox_failed_total', help: 'Failed outbox deliveries: retried later, or refused for good (dead).', labelNames: ['schema', 'outcome'], registers: [r] });
      this.metrics = { pending: pending.labels(schema), oldest: oldest.labels(schema), delivered: delivered.labels(schema), failed };
    }
  }

  /**
   * Queues `request` in `trx`: it is delivered only if `trx` commits. A `sequence` of 0 takes the
   * next one for its source_resource (1, 2, 3, …, counted in this schema under a row lock, so
   * concurrent transactions never share one); a positive one is used as given.
   */
  async enqueue(trx: Knex.Transaction, request: PublishEntryRequest): Promise<{ id: string; sequence: number }> {
    if (!/^registers\/[a-z0-9][a-z0-9._-]*$/.test(request.register)) throw new TypeError('outbox: register must be "registers/{register}"');
    if (!request.sourceResource) throw new TypeError('outbox: source_resource is required');
    if (!Number.isSafeInteger(request.sequence) || request.sequence < 0) throw new TypeError('outbox: sequence must be 0 (assign) or positive');
    const knex = this.deps.db.knex;
    const merge = request.sequence === 0 ? knex.raw('outbox_sequences.sequence + 1') : knex.raw('greatest(outbox_sequences.sequence, excluded.sequence)');
    const [counter] = (await this.deps.db
      .table('outbox_sequences', trx)
      .insert({ source_resource: request.sourceResource, sequence: request.sequence || 1 })
      .onConflict('source_resource')
      .merge({ sequence: merge })
      .returning('sequence')) as { sequence: string | number }[];
    const sequence = request.sequence || Number(counter!.sequence);
    const bytes = Buffer.from(PublishEntryRequest.encode({ ...request, sequence }).finish());
    const [row] = (await this.deps.db.table('outbox', trx).insert({ source_resource: request.sourceResource, sequence, request: bytes }).returning('id')) as { id: string | number }[];
    // Deliver as soon as it is committed, not at the next poll, whichever Outbox of this table runs the relay.
    trx.executionPromise.then(() => relays.get(this.deps.db.schema)?.forEach((relay) => relay.wake()), () => undefined);
    return { id: String(row!.id), sequence };
  }

  /** Starts the relay in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const schema = this.deps.db.schema;
    relays.set(schema, (relays.get(schema) ?? new Set()).add(this));
    this.loop = this.run();
  }

  /** Stops the relay after its current round; undelivered rows wait in the table for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    relays.get(this.deps.db.schema)?.delete(this);
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  /** Asks the relay for a round now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async lag(): Promise<OutboxLag> {
    const row = (await this.deps.db
      .table('outbox')
      .first(
        this.deps.db.knex.raw('count(*) filter (where delivered_at is null and dead_at is null) as pending'),
        this.deps.db.knex.raw('count(*) filter (where dead_at is not null and delivered_at is null) as dead'),
        this.deps.db.knex.raw('min(created_at) filter (where delivered_at is null and dead_at is null) as oldest'),
      )) as { pending: string; dead: string; oldest: Date | null };
    const oldest = row.oldest ? new Date(row.oldest).getTime() : undefined;
    return { pending: Number(row.pending), dead: Number(row.dead), oldestPendingMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) };
  }

  /**
   * One round: claim the oldest pending row of each source record whose turn it is (in a short
   * transaction, SKIP LOCKED so instances share the work), commit, deliver them with no transaction
   * open (PGlite has one connection), then mark each delivered, retried or dead.
   */
  async relayOnce(): Promise<RelayRound> {
    const rows = await this.claim();
    const round: RelayRound = { claimed: rows.length, delivered: 0, retried: 0, dead: 0 };
    if (rows.length === 0) return round;
    const client = clientFor(RegistryServiceClient, this.deps.config.addresses.registry);
    await Promise.all(
      rows.map(async (row) => {
        const outcome = await this.deliver(client, row);
        round[outcome]++;
      }),
    );
    return round;
  }

  /**
   * Deletes delivered rows older than the retention, a batch per statement so no lock is held long. Pending and
   * dead rows stay (a dead one waits for an operator), and so do the per-record sequence counters.
   */
  async prune(now = new Date()): Promise<number> {
    const { db } = this.deps;
    const outbox = `${quote(db.schema)}.outbox`;
    const before = new Date(now.getTime() - this.o.retainDeliveredMs);
    let deleted = 0;
    for (;;) {
      const result = (await db.knex.raw(`delete from ${outbox} where id in (select id from ${outbox} where delivered_at < ? order by id limit ?)`, [before, PRUNE_BATCH])) as { rowCount?: number; affectedRows?: number };
      const n = result.rowCount ?? result.affectedRows ?? 0;
      deleted += n;
      if (n < PRUNE_BATCH) return deleted;
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { db } = this.deps;
    const outbox = `${quote(db.schema)}.outbox`;
    return db.transaction(async (trx) => {
      const { rows } = (await trx.raw(
        `select o.id, o.source_resource, o.request, o.attempts from ${outbox} o
          where ${headOfLine(outbox)} and o.next_attempt_at <= now() and (o.lease_until is null or o.lease_until < now())
          order by o.id limit ? for update of o skip locked`,
        [this.o.batchSize],
      )) as { rows: ClaimedRow[] };
      if (rows.length > 0) {
        await db
          .table('outbox', trx)
          .whereIn('id', rows.map((r) => r.id))
          .update({ lease_until: trx.raw(`now() + ? * interval '1 millisecond'`, [this.o.leaseMs]), attempts: trx.raw('attempts + 1') });
      }
      return rows;
    });
  }

  private async deliver(client: Client, row: ClaimedRow): Promise<'delivered' | 'retried' | 'dead'> {
    const { db, logger } = this.deps;
    const request = PublishEntryRequest.decode(row.request);
    const outbox = `${quote(db.schema)}.outbox`;
    try {
      await new Promise<void>((resolve, reject) =>
        client.publishEntry(request, new grpc.Metadata(), { deadline: Date.now() + this.o.callDeadlineMs }, (err) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      const e = err as grpc.ServiceError;
      const message = `${grpc.status[e.code] ?? 'ERROR'}: ${e.details ?? e.message}`.slice(0, 1000);
      if (PERMANENT.has(e.code)) {
        logger.error({ id: row.id, sourceResource: row.source_resource, err: message }, 'registry refused an outbox row for good; later events of its record go on');
        await db.knex.raw(`update ${outbox} set dead_at = now(), lease_until = null, last_error = ? where id = ?`, [message, row.id]);
        this.metrics?.failed.labels(db.schema, 'dead').inc();
        return 'dead';
      }
      const attempts = Number(row.attempts) + 1;
      const backoff = Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** Math.min(attempts - 1, 20));
      const delay = Math.round(backoff * (0.5 + Math.random() / 2));
      logger.warn({ id: row.id, sourceResource: row.source_resource, attempts, retryInMs: delay, err: message }, 'outbox delivery failed; will retry');
      await db.knex.raw(`update ${outbox} set next_attempt_at = now() + ? * interval '1 millisecond', lease_until = null, last_error = ? where id = ?`, [delay, message, row.id]);
      this.metrics?.failed.labels(db.schema, 'retry').inc();
      return 'retried';
    }
    await db.knex.raw(`update ${outbox} set delivered_at = now(), lease_until = null, last_error = null where id = ?`, [row.id]);
    this.metrics?.delivered.inc();
    return 'delivered';
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let busy = false;
      try {
        const round = await this.relayOnce();
        // A full batch, or a delivery that let the next row of a record take its turn: go again at once.
        busy = round.claimed === this.o.batchSize || round.delivered > 0 || round.dead > 0;
        await this.updateLag();
        await this.maybePrune();
      } catch (err) {
        this.deps.logger.warn({ err: (err as Error).message }, 'outbox relay round failed; will retry');
      }
      if (busy || this.woken || !this.running) continue;
      const idleMs = await this.idleMs();
      if (this.woken || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, idleMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = undefined;
    }
  }

  /**
   * How long to sleep when nothing woke the relay. A shared database may get rows from other instances at any
   * time: poll. The embedded one gets them only from this process, whose enqueues wake its relays: sleep until
   * the next head of line is due (a retry's backoff, a lapsed lease), so an idle PGlite is not queried every
   * second on the event loop's thread.
   */
  private async idleMs(): Promise<number> {
    const { db } = this.deps;
    if (!db.embedded) return this.o.pollMs;
    try {
      const outbox = `${quote(db.schema)}.outbox`;
      const { rows } = (await db.knex.raw(
        `select extract(epoch from min(greatest(o.next_attempt_at, coalesce(o.lease_until, o.next_attempt_at))) - now()) * 1000 as ms from ${outbox} o
          where ${headOfLine(outbox)}`,
      )) as { rows: { ms: string | number | null }[] };
      const due = rows[0]?.ms;
      return due === null || due === undefined ? EMBEDDED_IDLE_MS : Math.min(EMBEDDED_IDLE_MS, Math.max(this.o.pollMs, Math.ceil(Number(due))));
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, 'outbox: next due row not read; polling');
      return this.o.pollMs;
    }
  }

  private async maybePrune(): Promise<void> {
    if (Date.now() - this.lastPruneAt < this.o.pruneEveryMs) return;
    this.lastPruneAt = Date.now();
    const deleted = await this.prune();
    if (deleted > 0) this.deps.logger.info({ deleted, retainDeliveredMs: this.o.retainDeliveredMs }, 'outbox: delivered rows past their retention deleted');
  }

  private async updateLag(): Promise<void> {
    if (!this.metrics || Date.now() - this.lastLagAt < 5_000) return;
    this.lastLagAt = Date.now();
    const lag = await this.lag();
    this.metrics.pending.set(lag.pending);
    this.metrics.oldest.set(lag.oldestPendingMs / 1000);
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
