// What the trust service's handlers share: its stores, its authorities, its trust core, its publisher.
import type { Logger } from 'pino';
import type { AuditLog } from '../kit/audit.ts';
import type { Certificate, TrustStore as Core } from '../../core-wasm/src/index.ts';
import type { AccreditedCrlFetcher } from './accredited-crl-fetcher.ts';
import type { AccreditedCrls } from './accredited-crls.ts';
import type { Authorities } from './authorities.ts';
import type { CrlPublisher } from './crls.ts';
import type { RevocationFeed } from './feed.ts';
import type { ReferenceRegistry } from './reference.ts';
import type { RegistrationStore } from './registration-store.ts';
import type { TrustStore } from './store.ts';

export interface TrustContext {
  store: TrustStore;
  registration: RegistrationStore;
  reference: ReferenceRegistry;
  authorities: Authorities;
  core: Core;
  publisher: CrlPublisher;
  feed: RevocationFeed;
  /** Accredited centres' own CRLs: accepted here, fed to every service's core. */
  accreditedCrls: AccreditedCrls;
  /** Fetches accredited centres' CRLs from their distribution points (absent in tools that only read). */
  fetcher?: AccreditedCrlFetcher;
  /** Every act that changes the PKI, hash-chained, committed with the change. */
  audit: AuditLog;
  logger: Logger;
}

/** Who signed an act, as the audit log records it: the subject and the certificate serial. */
export function actorOf(signer: { subject: { text: string }; serialHex: string }): string {
  return `${signer.subject.text} (serial ${signer.serialHex.toLowerCase()})`;
}

/** CA certificates this service knows, so a signer may send only its own certificate. */
export function knownIntermediates(ctx: TrustContext): Certificate[] {
  return ctx.authorities.intermediates();
}
