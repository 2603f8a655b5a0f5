// The revocation feed: every revocation, in order, to this instance's watchers and, over the bus, to other instances'.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { RevocationEvent } from '../../gen/ruqsat/trust/v1/trust.ts';
import type { Bus, Unsubscribe } from '../kit/bus.ts';
import { AccreditedCrlStore } from './accredited-crl-store.ts';
import type { Authority } from './authorities.ts';
import { certificateName } from './domain/names.ts';
import type { RevocationEventRow, TrustStore } from './store.ts';

const CHANNEL = 'trust.revocations';
// Pub/sub may lose a message (Redis away, an instance killed between commit and publish): each instance
// also reads the feed's table this often, so a revocation reaches every instance's core and watchers anyway.
const CATCH_UP_MS = 1_000;
// The embedded database has one writer, this process, which emits what it publishes: reading it back is only a
// safety net, kept rare so an in-process PGlite does not hold up the event loop every second.
const EMBEDDED_CATCH_UP_MS = 30_000;
const CATCH_UP_PAGE = 500;

/** What an event needs of its issuer: trust's own authorities and accredited centres alike. */
export type FeedIssuer = Pick<Authority, 'certificateDer'>;

interface Wire {
  origin: string;
  events: { sequence: number; certificate: string; serialNumber: string; reason: number; time: string; issuer: string; crl: string }[];
}

export class RevocationFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly origin = randomUUID();
  private unsubscribe?: Unsubscribe;
  private timer?: NodeJS.Timeout;
  /** The newest sequence this instance emitted: catching up starts after it. */
  private last = 0n;
  private catching: Promise<void> = Promise.resolve();
  private readonly centreCrls: AccreditedCrlStore;

  constructor(
    private readonly store: TrustStore,
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {
    this.centreCrls = new AccreditedCrlStore(store.db);
  }

  /** Follows the bus, and the table behind it; `issuer` resolves an authority id for replayed events. */
  async start(issuer: (id: string) => FeedIssuer | undefined): Promise<void> {
    this.last = await this.store.feedWatermark();
    const catchUp = () => this.catchUp(issuer);
    this.unsubscribe = await this.bus.subscribe(
      CHANNEL,
      (message) => {
        try {
          const wire = JSON.parse(message) as Wire;
          // Our own events were emitted when we published them.
          if (wire.origin === this.origin) return;
          this.emit(wire.events.map(fromWire));
        } catch (err) {
          this.logger.warn({ err: (err as Error).message }, 'unreadable revocation message on the bus');
        }
      },
      catchUp,
    );
    this.timer = setInterval(catchUp, this.store.db.embedded ? EMBEDDED_CATCH_UP_MS : CATCH_UP_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.catching;
    await this.unsubscribe?.();
  }

  /** Emits, in order, the published revocations after the newest one this instance emitted. */
  catchUp(issuer: (id: string) => FeedIssuer | undefined): Promise<void> {
    this.catching = this.catching.then(async () => {
      try {
        for (;;) {
          const page = await this.replay(this.last, CATCH_UP_PAGE, issuer);
          this.emit(page);
          if (page.length < CATCH_UP_PAGE) return;
        }
      } catch (err) {
        this.logger.debug({ err: (err as Error).message }, 'revocation feed not read; retrying on the next tick');
      }
    });
    return this.catching;
  }

  private emit(events: RevocationEvent[]): void {
    for (const e of events) {
      const sequence = BigInt(e.sequence);
      if (sequence > this.last) this.last = sequence;
      this.emitter.emit('event', e);
    }
  }

  eventOf(row: RevocationEventRow, issuer: FeedIssuer, crlDer: Uint8Array): RevocationEvent {
    return {
      sequence: Number(row.sequence),
      certificate: certificateName(row.authority_id, row.serial_number),
      serialNumber: row.serial_number,
      reason: row.reason,
      revocationTime: row.revocation_time,
      issuerCertificateDer: Buffer.from(issuer.certificateDer),
      crlDer: Buffer.from(crlDer),
    };
  }

  async publish(events: RevocationEvent[]): Promise<void> {
    this.emit(events);
    const wire: Wire = { origin: this.origin, events: events.map(toWire) };
    await this.bus.publish(CHANNEL, JSON.stringify(wire)).catch((err: Error) => this.logger.warn({ err: err.message }, 'revocation not sent on the bus; other instances replay it from the database'));
  }

  subscribe(listener: (e: RevocationEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Published revocations after `sequence`, oldest first, each with the CRL that carried it. */
  async replay(sequence: bigint, limit: number, issuer: (id: string) => FeedIssuer | undefined): Promise<RevocationEvent[]> {
    const rows = await this.store.eventsAfter(sequence, limit);
    const out: RevocationEvent[] = [];
    const crls = new Map<string, Buffer>();
    // Accredited centres sign their own CRLs: trust holds their certificates, not their keys.
    const centres = new Map<string, FeedIssuer | undefined>();
    for (const row of rows) {
      // Stop at the first one no CRL carries yet: it follows live, in order, once published.
      if (row.delta_crl_number === null) break;
      let a = issuer(row.authority_id) ?? centres.get(row.authority_id);
      if (!a && !centres.has(row.authority_id)) {
        const centre = await this.store.authority(row.authority_id);
        a = centre && { certificateDer: centre.certificate_der };
        centres.set(row.authority_id, a);
      }
      if (!a) continue;
      const key = `${row.authority_id}/${row.delta_crl_number}`;
      let crl = crls.get(key);
      if (!crl) {
        const n = BigInt(row.delta_crl_number);
        crl = (await this.store.crl(row.authority_id, n))?.der ?? (await this.centreCrls.byNumber(row.authority_id, n))?.der;
        if (!crl) break;
        crls.set(key, crl);
      }
      out.push(this.eventOf(row, a, crl));
    }
    return out;
  }
}

function toWire(e: RevocationEvent): Wire['events'][number] {
  return {
    sequence: e.sequence,
    certificate: e.certificate,
    serialNumber: e.serialNumber,
    reason: e.reason,
    time: (e.revocationTime ?? new Date(0)).toISOString(),
    issuer: Buffer.from(e.issuerCertificateDer).toString('base64'),
    crl: Buffer.from(e.crlDer).toString('base64'),
  };
}

function fromWire(e: Wire['events'][number]): RevocationEvent {
  return {
    sequence: e.sequence,
    certificate: e.certificate,
    serialNumber: e.serialNumber,
    reason: e.reason,
    revocationTime: new Date(e.time),
    issuerCertificateDer: Buffer.from(e.issuer, 'base64'),
    crlDer: Buffer.from(e.crl, 'base64'),
  };
}
