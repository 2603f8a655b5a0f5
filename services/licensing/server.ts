// Wiring of the licensing service: its store, audit log, the trust follower that verifies EDS, its handlers.
import { LicensingServiceService, type LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { trustConfig } from '../trust/config.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { ApplicationChanges } from './changes.ts';
import { licenseHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { LicensingStore } from './store.ts';

async function startLicensing({ db, shared, logger, config }: ServiceDeps) {
  const store = new LicensingStore(db);
  // Signatures are verified in-process, against the trust service's anchors, CRLs and revocation feed.
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const audit = new AuditLog(db);
  const changes = new ApplicationChanges(shared.bus);
  const handlers: LicensingServiceServer = {
    ...licenseHandlers(store, logger),
    ...applicationHandlers({ store, audit, trust, changes, logger }),
  };
  const cases = caseHandlers({ store, audit, trust, changes, logger, policyArc: trustConfig(config.env).policyArc });
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: cases }],
    stop: async () => trust.stop(),
  };
}

export const licensing: ServiceModule = {
  name: 'licensing',
  serviceName: 'ruqsat.licensing.v1.LicensingService',
  definition: LicensingServiceService,
  migrations,
  implement: startLicensing,
};
