// CRL publication (КТКТ): a full CRL per authority on a schedule, a delta within moments of each revocation.
import type { Logger } from 'pino';
import { Rounds } from '../kit/rounds.ts';
import type { TrustStore as Core } from '../../core-wasm/src/index.ts';
import type { Authorities, Authority } from './authorities.ts';
import type { TrustConfig } from './config.ts';
import { crlUrl } from './domain/issue.ts';
import { buildCrl } from './domain/pki/crl.ts';
import type { RevocationFeed } from './feed.ts';
import type { CrlRow, RevocationEventRow, TrustStore } from './store.ts';

export class CrlPublisher {
  private readonly rounds = new Rounds(() => this.round());

  constructor(
    private readonly store: TrustStore,
    private readonly authorities: Authorities,
    private readonly core: Core,
    private readonly feed: RevocationFeed,
    private readonly config: TrustConfig,
    private readonly logger: Logger,
  ) {}

  /** Loads the latest CRLs into this instance's trust core, publishing any that are missing or due. */
  async start(): Promise<void> {
    for (const a of this.authorities.all()) {
      for (const delta of [false, true]) {
        const row = await this.store.latestCrl(a.id, delta);
        if (row) this.core.addCrl(row.der);
      }
    }
    await this.tick();
    this.rounds.every(Math.min(this.config.fullCrlIntervalMs, 60_000));
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** One pass at a time: full CRLs that are due, then deltas for revocations not yet published. */
  tick(): Promise<void> {
    return this.rounds.run();
  }

  private async round(): Promise<void> {
    try {
      const now = new Date();
      for (const a of this.authorities.all()) {
        const full = await this.store.latestCrl(a.id, false);
        if (!full || now.getTime() - full.this_update.getTime() >= this.config.fullCrlIntervalMs) await this.publishFull(a, now);
      }
      for (const id of await this.store.authoritiesWithUnpublished()) {
        const a = this.authorities.get(id);
        if (a) await this.publishDelta(a, now);
      }
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'CRL publication failed; retrying on the next tick');
    }
  }

  /** Publishes a delta for any pending revocations now, rather than on the next tick. */
  publishPending(): Promise<void> {
    return this.tick();
  }

  async publishFull(a: Authority, now: Date): Promise<CrlRow> {
    const { crl: row, fresh } = await this.store.db.transaction(async (trx) => {
      const crlNumber = await this.store.takeCrlNumber(trx, a.id);
      const lastSequence = await this.store.lastSequence(a.id, trx);
      const revoked = await this.store.revokedOf(a.id, trx);
      const der = buildCrl(
        {
          issuer: a.subjectDer,
          authorityKeyIdentifier: a.keyId,
          thisUpdate: now,
          nextUpdate: new Date(now.getTime() + this.config.fullCrlValidityMs),
          crlNumber,
          // OpenSSL (and RFC 5280 §5.2.6) look for deltas only where the full CRL says they are.
          freshestCrl: [crlUrl(this.authorities.endpoints, a.id, true)],
          entries: revoked.map((r) => ({ serialNumber: BigInt('0x' + r.serial_number), revocationDate: r.revocation_time!, reason: r.revocation_reason || undefined })),
        },
        a.signer,
      );
      const crl: CrlRow = { authority_id: a.id, crl_number: String(crlNumber), base_crl_number: null, this_update: now, next_update: new Date(now.getTime() + this.config.fullCrlValidityMs), der: Buffer.from(der), last_sequence: String(lastSequence) };
      await this.store.insertCrl(crl, trx);
      // Revocations no delta carried yet are published by this full CRL instead: the feed says so.
      const pending = await this.store.unpublished(a.id, trx);
      await this.store.markPublished(trx, a.id, lastSequence, crlNumber);
      return { crl, fresh: pending.map((e) => ({ ...e, delta_crl_number: String(crlNumber) })) };
    });
    this.core.addCrl(row.der);
    this.logger.info({ authority: a.id, crlNumber: row.crl_number }, 'full CRL published');
    if (fresh.length > 0) await this.feed.publish(fresh.map((e) => this.feed.eventOf(e, a, row.der)));
    return row;
  }

  async publishDelta(a: Authority, now: Date): Promise<void> {
    const published = await this.store.db.transaction(async (trx) => {
      const base = await this.store.latestCrl(a.id, false, trx);
      if (!base) return undefined;
      const fresh = await this.store.unpublished(a.id, trx);
      if (fresh.length === 0) return undefined;
      const events = await this.store.eventsAfter(BigInt(base.last_sequence), 10_000_000, a.id, trx);
      const crlNumber = await this.store.takeCrlNumber(trx, a.id);
      const nextUpdate = new Date(now.getTime() + this.config.deltaCrlValidityMs);
      // Cumulative since the base: a relying party needs only the base and the newest delta.
      const der = buildCrl(
        {
          issuer: a.subjectDer,
          authorityKeyIdentifier: a.keyId,
          thisUpdate: now,
          nextUpdate,
          crlNumber,
          deltaCrlIndicator: BigInt(base.crl_number),
          entries: events.map((e) => ({ serialNumber: BigInt('0x' + e.serial_number), revocationDate: e.revocation_time, reason: e.reason || undefined })),
        },
        a.signer,
      );
      const last = BigInt(events[events.length - 1]!.sequence);
      await this.store.insertCrl({ authority_id: a.id, crl_number: String(crlNumber), base_crl_number: base.crl_number, this_update: now, next_update: nextUpdate, der: Buffer.from(der), last_sequence: String(last) }, trx);
      await this.store.markPublished(trx, a.id, last, crlNumber);
      return { der, fresh: fresh.map((e): RevocationEventRow => ({ ...e, delta_crl_number: String(crlNumber) })) };
    });
    if (!published) return;
    this.core.addCrl(published.der);
    this.logger.info({ authority: a.id, revocations: published.fresh.length }, 'delta CRL published');
    await this.feed.publish(published.fresh.map((e) => this.feed.eventOf(e, a, published.der)));
  }
}
