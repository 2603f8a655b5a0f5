// Wiring of the licensing service: its store, audit log, the trust follower that verifies EDS, the shared case
// flow with the licence as its result, and the SLA monitor.
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { LicensingServiceService, type LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { ApplicationChanges } from '../kit/cases/changes.ts';
import { SlaMonitor } from '../kit/cases/monitor.ts';
import { Outbox } from '../kit/outbox.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { DefinitionRegistry, NSC_LICENCES } from '../kit/workflow/index.ts';
import { profiles } from '../trust/domain/pki/profiles.ts';
import { trustConfig } from '../trust/config.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { licenseHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { licencePublisher } from './publish.ts';
import { LicensingStore } from './store.ts';

export const definitions = new DefinitionRegistry(NSC_LICENCES);

async function startLicensing({ db, shared, logger, config, metrics }: ServiceDeps) {
  const store = new LicensingStore(db);
  // Signatures are verified in-process, against the trust service's anchors, CRLs and revocation feed.
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const audit = new AuditLog(db);
  const changes = new ApplicationChanges(shared.bus, 'licensing');
  // trust's official_* profiles name the policy OID that carries each role.
  const rolePolicy = Object.fromEntries(Object.entries(profiles(trustConfig(config.env).policyArc)).map(([id, p]) => [id, p.policies[0]]));
  const deps = { service: 'licensing', store, audit, trust, changes, definitions, logger };
  // Issued licences and every change of their status reach registry through the outbox, even if it is down now.
  const outbox = new Outbox({ db, logger, config, metrics });
  const publish = licencePublisher(store, outbox, definitions);
  const handlers: LicensingServiceServer = {
    ...licenseHandlers({ store, audit, trust, logger, rolePolicy, publish }),
    ...applicationHandlers(deps),
  };
  const monitor = new SlaMonitor({ ...deps, registry: metrics });
  if (config.slaScanMs > 0) monitor.start(config.slaScanMs);
  outbox.start();
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, rolePolicy, publish) }],
    stop: async () => {
      await monitor.stop();
      await outbox.stop();
      await trust.stop();
    },
  };
}

export const licensing: ServiceModule = {
  name: 'licensing',
  serviceName: 'ruqsat.licensing.v1.LicensingService',
  definition: LicensingServiceService,
  migrations,
  implement: startLicensing,
};
