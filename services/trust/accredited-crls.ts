// Accepting an accredited centre's own CRL: checked with the trust core, stored, loaded, and its new revocations fed.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { CoreError, parseCertificate, parseCrl, nodeBackend, type Crl, type TrustStore as Core } from '../../core-wasm/src/index.ts';
import { verifySigned } from '../../core-wasm/src/signature.ts';
import type { AuditLog } from '../kit/audit.ts';
import { notFound, RuqsatError } from '../kit/errors.ts';
import { AccreditedCrlStore, type AccreditedCrlRow, type NewRevocation } from './accredited-crl-store.ts';
import { checkAccreditedCrl, type CrlRefusal } from './domain/accredited-crl.ts';
import { authorityName, normalizeSerial } from './domain/names.ts';
import type { RevocationFeed } from './feed.ts';
import type { TrustStore } from './store.ts';

const REMOVE_FROM_CRL = 8;

export interface Accepted {
  row: AccreditedCrlRow;
  /** The same CRL was already held (a retry, or a fetch that found nothing new): nothing changed. */
  unchanged: boolean;
  /** Revocations this CRL put on the feed for the first time. */
  revocations: number;
}

export class AccreditedCrls {
  readonly store: AccreditedCrlStore;
  /** SHA-256 of the CRL of each centre and kind (`id/delta`) this instance's core holds. */
  private readonly inCore = new Map<string, string>();

  constructor(
    private readonly trust: TrustStore,
    private readonly core: Core,
    private readonly feed: RevocationFeed,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {
    this.store = new AccreditedCrlStore(trust.db);
  }

  /**
   * Loads the newest accepted full and delta CRL of every accredited centre into this instance's core: at start, and
   * each fetch round, for CRLs another instance accepted that listed nothing new (those travel on no feed event).
   */
  async load(): Promise<void> {
    for (const a of await this.trust.allAuthorities()) {
      if (a.kind !== 'accredited') continue;
      for (const delta of [false, true]) {
        const row = await this.store.latest(a.id, delta);
        if (row) this.addToCore(row, parseCrl(row.der));
      }
    }
  }

  private addToCore(row: AccreditedCrlRow, crl: Crl): void {
    const key = `${row.authority_id}/${row.delta}`;
    if (this.inCore.get(key) === row.sha256) return;
    this.core.addCrl(crl);
    this.inCore.set(key, row.sha256);
  }

  /** Checks and stores a centre's CRL (`source`: "PublishCrl" or the URL it came from); refusals change nothing. */
  async accept(authorityId: string, der: Uint8Array, source: string): Promise<Accepted> {
    const name = authorityName(authorityId);
    let crl: Crl;
    try {
      crl = parseCrl(Buffer.from(der).subarray(0, 11).toString('latin1') === '-----BEGIN ' ? Buffer.from(der).toString('latin1') : der);
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      throw new RuqsatError(grpc.status.INVALID_ARGUMENT, 'CRL_MALFORMED', `crl: not a DER or PEM X.509 CRL: ${err.message}`, { authority: name }, [{ field: 'crl', description: `not a DER or PEM X.509 CRL: ${err.message}` }]);
    }
    const sha256 = createHash('sha256').update(crl.der).digest('hex');
    const outcome = await this.trust.db.transaction(async (trx) => {
      const authority = await this.store.lockAuthority(trx, authorityId);
      if (!authority) throw notFound(name);
      if (authority.kind !== 'accredited') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_ACCREDITED', `${name} is not an accredited centre: trust publishes its CRLs itself`, { authority: name });
      const ca = parseCertificate(authority.certificate_der);
      const now = new Date();
      // RevokeAccreditedCa (or expiry) ends the centre: its word on revocations counts no longer.
      const atRoot = await this.trust.certificate(authority.parent_id ?? 'root', normalizeSerial(ca.serialHex)!, trx);
      if (!atRoot || atRoot.status !== 'valid') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'CENTRE_REVOKED', `${name}'s CA certificate is revoked at the Root CA: its CRLs are no longer accepted`, { authority: name });
      if (ca.notAfter * 1000 <= now.getTime()) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'CENTRE_EXPIRED', `${name}'s CA certificate has expired: its CRLs are no longer accepted`, { authority: name });
      const delta = crl.deltaBase !== undefined;
      const [full, latestDelta] = [await this.store.latest(authorityId, false, trx), await this.store.latest(authorityId, true, trx)];
      const same = delta ? latestDelta : full;
      const checked = checkAccreditedCrl(crl, ca, verifySigned(crl.der, ca.spki, nodeBackend), sha256, {
        sameKind: same && { crlNumber: BigInt(same.crl_number), sha256: same.sha256 },
        newestFull: full && BigInt(full.crl_number),
      }, now);
      if (checked === 'unchanged') return { row: same!, unchanged: true, fresh: [] };
      if ('reason' in checked) throw refusal(checked, name);
      const row: AccreditedCrlRow = {
        authority_id: authorityId, delta, crl_number: String(checked.crlNumber), base_crl_number: checked.baseCrlNumber === undefined ? null : String(checked.baseCrlNumber),
        this_update: checked.thisUpdate, next_update: checked.nextUpdate, der: Buffer.from(crl.der), sha256, source,
      };
      await this.store.insert(row, trx);
      // New: not on the CRLs held before it (a certificate released from hold and revoked again is new again).
      const known = new Set([full, latestDelta].flatMap((r) => (r ? listed(parseCrl(r.der)) : [])));
      const revocations: NewRevocation[] = [];
      for (const e of crl.revoked) {
        const serial = normalizeSerial(e.serialHex)!;
        if (e.reason === REMOVE_FROM_CRL || known.has(serial)) continue;
        known.add(serial);
        revocations.push({ serial_number: serial, reason: e.reason ?? 0, revocation_time: new Date(e.revocationDate * 1000) });
      }
      const fresh = await this.store.appendToFeed(trx, authorityId, checked.crlNumber, revocations);
      await this.audit.append(trx, { actor: `${name} (${source})`, action: 'accept_accredited_crl', resource: name, payload: { crl_number: row.crl_number, delta, sha256, revocations: fresh.length } });
      return { row, unchanged: false, fresh, issuer: authority.certificate_der };
    });
    if (!outcome.unchanged) {
      this.addToCore(outcome.row, crl);
      this.logger.info({ authority: authorityId, crlNumber: outcome.row.crl_number, delta: outcome.row.delta, revocations: outcome.fresh.length, source }, 'accredited centre CRL accepted');
      if (outcome.fresh.length > 0) await this.feed.publish(outcome.fresh.map((e) => this.feed.eventOf(e, { certificateDer: outcome.issuer! }, crl.der)));
    }
    return { row: outcome.row, unchanged: outcome.unchanged, revocations: outcome.fresh.length };
  }
}

/** Serials a CRL lists as revoked (a delta's removeFromCRL entries are releases, not revocations). */
function listed(crl: Crl): string[] {
  return crl.revoked.filter((e) => e.reason !== REMOVE_FROM_CRL).map((e) => normalizeSerial(e.serialHex)!);
}

function refusal(r: CrlRefusal, name: string): RuqsatError {
  if (!r.invalid) return new RuqsatError(grpc.status.FAILED_PRECONDITION, r.reason, `crl: ${r.message}`, { authority: name });
  return new RuqsatError(grpc.status.INVALID_ARGUMENT, r.reason, `crl: ${r.message}`, { authority: name }, [{ field: 'crl', description: r.message }]);
}
