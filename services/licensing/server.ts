// Wiring of the licensing service: its store, audit log, the trust follower that verifies EDS, the shared case
// flow with the licence as its result, and the SLA monitor.
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { LicensingServiceService, type LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { startCaseFlow } from '../kit/cases/flow.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { DefinitionRegistry, NSC_LICENCES } from '../kit/workflow/index.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { licenseHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { licencePublisher } from './publish.ts';
import { LicensingStore } from './store.ts';

export const definitions = new DefinitionRegistry(NSC_LICENCES);

async function startLicensing(service: ServiceDeps) {
  const { db, logger, config } = service;
  const store = new LicensingStore(db);
  // Signatures are verified in-process, against the trust service's anchors, CRLs and revocation feed.
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const audit = new AuditLog(db);
  // Issued licences and every change of their status reach registry through the outbox, even if it is down now.
  const flow = startCaseFlow(service, { service: 'licensing', store, audit, trust, definitions, outbox: true });
  const { deps, rolePolicy } = flow;
  const publish = licencePublisher(store, flow.outbox!, definitions);
  const handlers: LicensingServiceServer = {
    ...licenseHandlers({ store, audit, trust, logger, rolePolicy, publish }),
    ...applicationHandlers(deps),
  };
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, rolePolicy, publish) }],
    stop: async () => {
      await flow.stop();
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
