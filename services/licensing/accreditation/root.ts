// Para 18 and ch. 3 at the Root CA: on grant the centre's CA certificate is issued from its CSR with its policies;
// on revocation or expiry it is revoked. Calls to trust never run inside a licensing transaction (the embedded
// database has one connection); a row says what the Root CA still owes, and a scan retries until it is done.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { parseCertificate } from '../../../core-wasm/src/index.ts';
import type { Authority, TrustServiceClient } from '../../../gen/ruqsat/trust/v1/trust.ts';
import type { AuditLog } from '../../kit/audit.ts';
import type { TrustFollower } from '../../kit/trust-follower.ts';
import { runChainCheck } from './inspection.ts';
import { accreditationName } from './publish.ts';
import type { AccreditationRow, AccreditationStore } from './store.ts';

type Client = InstanceType<typeof TrustServiceClient>;
type Publish = (trx: Knex.Transaction, id: string) => Promise<void>;

// RFC 5280 CRLReason: accreditation revoked or expired; or the centre's key compromised.
export const CESSATION_OF_OPERATION = 5;
export const CA_COMPROMISE = 2;

const ask = <Res>(start: (done: (err: grpc.ServiceError | null, res: Res) => void) => unknown) =>
  new Promise<Res>((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));

export class RootRegistrar {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly o: { store: AccreditationStore; client: Client; follower: TrustFollower; audit: AuditLog; publish: Publish; logger: Logger },
  ) {}

  /** The Root CA certifies the centre (idempotent: a retry after a lost answer takes the certificate already issued). */
  async register(id: string): Promise<AccreditationRow> {
    const { store, client, follower, audit, publish, logger } = this.o;
    const row = (await store.accreditation(id))!;
    if (row.status !== 'pending_root_registration') return row;
    const request = { name: row.authority, displayName: row.ca_name, csr: Buffer.from(row.csr), policies: row.policies, accreditationEndTime: row.expires_at };
    const authority = await ask<Authority>((done) => client.registerAccreditedCa(request, done)).catch((err: grpc.ServiceError) => {
      if (err.code !== grpc.status.ALREADY_EXISTS) throw err;
      return ask<Authority>((done) => client.getAuthority({ name: row.authority }, done));
    });
    // Where the centre publishes its own CRL (the form's): trust fetches it from there and feeds it to every service.
    await ask<Authority>((done) => client.setCrlDistributionPoints({ authority: row.authority, crlDistributionPoints: row.crl_distribution_points }, done));
    const caDer = Buffer.from(authority.certificateDer);
    const ca = parseCertificate(caDer);
    // On-site item 2 once more, now from the Root CA: its certificate of the centre, the user certificate, the CRL.
    const inspection = (await store.inspection(row.application.replace(/^applications\//, '')))!;
    const check = runChainCheck({ caCertificate: caDer, userCertificate: inspection.user_certificate, crl: inspection.crl }, follower.anchors(), [ca], row.policies, row.csr);
    const updated = await store.db.transaction(async (trx) => {
      const current = (await store.accreditation(id, trx))!;
      if (current.status !== 'pending_root_registration') return current;
      const changed = await store.updateAccreditation(trx, id, {
        status: 'active',
        root_serial: ca.serialHex.toLowerCase(),
        root_sha256: createHash('sha256').update(caDer).digest('hex'),
        root_chain_check: check.code,
      });
      await audit.append(trx, { actor: 'licensing (Root CA registration, para 18)', action: 'register_accredited_ca', resource: accreditationName(id), payload: { authority: row.authority, serial: changed.root_serial, root_chain_check: check.code } });
      await publish(trx, id);
      return changed;
    });
    logger.info({ accreditation: id, authority: row.authority, chain: check.code }, 'accredited centre registered at the Root CA');
    return updated;
  }

  /** The Root CA revokes the centre's CA certificate after the accreditation was revoked or expired. */
  async revokeAtRoot(id: string): Promise<AccreditationRow> {
    const { store, client, audit, publish, logger } = this.o;
    const row = (await store.accreditation(id))!;
    const reason = row.root_revocation_reason;
    if (row.root_revoked_at || row.root_serial === '' || (row.status !== 'revoked' && row.status !== 'expired')) return row;
    await ask<Authority>((done) => client.revokeAccreditedCa({ name: row.authority, reason }, done)).catch((err: grpc.ServiceError) => {
      // Revoked already (a retry after a lost answer): what the row owes is done.
      if (err.code !== grpc.status.FAILED_PRECONDITION || !/already revoked/.test(err.details)) throw err;
      return undefined;
    });
    const updated = await store.db.transaction(async (trx) => {
      const changed = await store.updateAccreditation(trx, id, { root_revoked_at: new Date() });
      await audit.append(trx, { actor: 'licensing (Root CA)', action: 'revoke_accredited_ca', resource: accreditationName(id), payload: { authority: row.authority, reason } });
      await publish(trx, id);
      return changed;
    });
    logger.info({ accreditation: id, authority: row.authority, reason }, 'accredited centre revoked at the Root CA');
    return updated;
  }

  /** Expires what ran out of its 3 years, then does what the Root CA still owes; each failure is retried next scan. */
  scan(now = new Date()): Promise<void> {
    this.running ??= this.scanOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async scanOnce(now: Date): Promise<void> {
    const { store, audit, publish, logger } = this.o;
    for (const row of await store.expiredBy(now)) {
      await store.db.transaction(async (trx) => {
        const current = (await store.accreditation(row.id, trx))!;
        if (current.status !== 'active' && current.status !== 'pending_root_registration') return;
        await store.updateAccreditation(trx, row.id, { status: 'expired', revocation_ground: 'expiry' });
        await audit.append(trx, { actor: 'licensing (expiry scan)', action: 'expire_accreditation', resource: accreditationName(row.id), payload: { expired_at: current.expires_at.toISOString() } });
        await publish(trx, row.id);
      });
    }
    for (const row of await store.awaitingRoot()) {
      try {
        if (row.status === 'pending_root_registration') await this.register(row.id);
        else await this.revokeAtRoot(row.id);
      } catch (err) {
        logger.warn({ accreditation: row.id, err: (err as Error).message }, 'the Root CA did not answer; retrying at the next scan');
      }
    }
  }

  start(everyMs: number): void {
    const tick = () => {
      this.scan().catch((err: Error) => this.o.logger.warn({ err: err.message }, 'accreditation scan failed'));
      this.timer = setTimeout(tick, everyMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }
}
