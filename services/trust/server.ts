// Wiring of the trust service: keys unlocked, trust core loaded, CRL publisher and HTTP endpoint started.
import { TrustServiceService } from '../../gen/ruqsat/trust/v1/trust.ts';
import { TrustStore as Core } from '../../core-wasm/src/index.ts';
import { AuditLog } from '../kit/audit.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { Authorities } from './authorities.ts';
import { caPassphrase, trustConfig } from './config.ts';
import { AccreditedCrlFetcher } from './accredited-crl-fetcher.ts';
import { AccreditedCrls } from './accredited-crls.ts';
import { CrlPublisher } from './crls.ts';
import { RevocationFeed } from './feed.ts';
import { trustHandlers } from './handlers.ts';
import { startTrustHttp } from './http.ts';
import { migrations } from './migrations/index.ts';
import { readFixture, TableReferenceRegistry } from './reference.ts';
import { RegistrationStore } from './registration-store.ts';
import { TrustStore } from './store.ts';
import { Outbox } from '../kit/outbox.ts';
import { certificatePublisher } from './publish.ts';
import { loadAccessRights } from '../kit/access/rights.ts';
import { demoSystems, provisionMeshIdentities, renewMeshIdentities } from './mesh-identities.ts';

async function startTrust({ db, shared, logger, config, metrics }: ServiceDeps) {
  const tc = trustConfig(config.env);
  const store = new TrustStore(db);
  // Every registration certificate issued or revoked reaches registry's register, even if it is down now.
  const outbox = new Outbox({ db, logger, config, metrics }, { retainDeliveredMs: config.outboxRetentionMs });
  const registration = new RegistrationStore(db);
  const fresh = (await store.allAuthorities()).length === 0;
  const passphrase = caPassphrase(tc, fresh);
  // The HTTP endpoint comes first: certificates name its URL for their CRLs and OCSP.
  const http = tc.httpPort >= 0 ? await startTrustHttp(config.host, tc.httpPort, store, logger) : undefined;
  const publicUrl = tc.publicUrl ?? `http://${config.host}:${http?.port ?? 0}`;
  const authorities = new Authorities(store, passphrase, { publicUrl }, tc.policyArc);
  store.onCertificateChange = certificatePublisher(store, outbox, () => authorities);
  await authorities.open(logger);
  outbox.start();
  http?.serve(authorities);
  const renewal = await provisionMesh(authorities, config, tc.meshRenewAfterMs, logger);
  // Demo mode: an empty reference registry is filled from the fixture (production reads the state databases).
  if (!(await registration.hasReferenceParties())) await registration.loadReferenceParties(readFixture());

  const core = new Core({ anchors: authorities.anchors().map((a) => a.certificate) });
  const feed = new RevocationFeed(store, shared.bus, logger);
  const publisher = new CrlPublisher(store, authorities, core, feed, tc, logger);
  await feed.start((id) => authorities.get(id));
  // Revocations other instances publish reach this instance's core through the feed.
  const unsubscribe = feed.subscribe((e) => core.addCrl(e.crlDer));
  await publisher.start();
  const audit = new AuditLog(db);
  const accreditedCrls = new AccreditedCrls(store, core, feed, audit, logger);
  await accreditedCrls.load();
  const fetcher = new AccreditedCrlFetcher(accreditedCrls, tc.accreditedCrlFetchIntervalMs, logger);
  fetcher.start();
  const ctx = { store, registration, reference: new TableReferenceRegistry(registration), authorities, core, publisher, feed, accreditedCrls, fetcher, audit, logger };
  return {
    handlers: trustHandlers(ctx),
    stop: async () => {
      clearInterval(renewal);
      await fetcher.stop();
      await outbox.stop();
      unsubscribe();
      await publisher.stop();
      await feed.stop();
      await http?.close();
    },
  };
}

/** Demo mode: issue the mesh identities that are missing (before this server binds with one), then keep them renewed. */
async function provisionMesh(authorities: Authorities, config: ServiceDeps['config'], renewAfterMs: number, logger: ServiceDeps['logger']) {
  const tls = config.meshTls;
  if (!tls.enabled || !tls.provision) return undefined;
  const systems = demoSystems(loadAccessRights(tls.accessRightsFile).file.demo ?? [], tls.identity);
  await provisionMeshIdentities(authorities, tls, systems, config.host, logger);
  const timer = setInterval(() => {
    renewMeshIdentities(authorities, tls, systems, config.host, renewAfterMs, logger).catch((err: Error) => logger.error({ err: err.message }, 'mesh identity renewal failed'));
  }, Math.min(60_000, Math.max(250, renewAfterMs / 4)));
  timer.unref();
  return timer;
}

export const trust: ServiceModule = {
  name: 'trust',
  serviceName: 'ruqsat.trust.v1.TrustService',
  definition: TrustServiceService,
  migrations,
  implement: startTrust,
};
