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
import { ACCREDITATION_CHANGES, ACCREDITATION_REVOCATION, ACCREDITATION_TERMINATION, ACCREDITATION_VERSIONS, DefinitionRegistry, NSC_LICENCES } from '../kit/workflow/index.ts';
import { accreditationHandlers } from './accreditation/handlers.ts';
import { accreditationHooks } from './accreditation/hooks.ts';
import { accreditationPublisher } from './accreditation/publish.ts';
import { revocationHooks } from './accreditation/revocation.ts';
import { RootRegistrar } from './accreditation/root.ts';
import { AccreditationStore } from './accreditation/store.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { licenseHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { licencePublisher } from './publish.ts';
import { LicensingStore } from './store.ts';

export const definitions = new DefinitionRegistry([...NSC_LICENCES, ...ACCREDITATION_VERSIONS, ACCREDITATION_REVOCATION, ACCREDITATION_CHANGES, ACCREDITATION_TERMINATION]);

async function startLicensing(service: ServiceDeps) {
  const { db, logger, config } = service;
  const store = new LicensingStore(db);
  // Signatures are verified in-process, against the trust service's anchors, CRLs and revocation feed.
  const trustClient = clientFor(TrustServiceClient, config.addresses.trust);
  const trust = new TrustFollower(trustClient, logger);
  trust.startInBackground();
  const audit = new AuditLog(db);
  // Issued licences and every change of their status reach registry through the outbox, even if it is down now.
  const flow = startCaseFlow(service, { service: 'licensing', store, audit, trust, definitions, outbox: true });
  const { deps, rolePolicy } = flow;
  const publish = licencePublisher(store, flow.outbox!, definitions);
  // Accreditation of certifying centres: its register, and the Root CA's registration and revocation of the centre.
  const accreditations = new AccreditationStore(db);
  const publishAccreditation = accreditationPublisher(accreditations, flow.outbox!);
  const root = new RootRegistrar({ store: accreditations, client: trustClient, follower: trust, audit, publish: publishAccreditation, logger });
  if (config.slaScanMs > 0) root.start(config.slaScanMs);
  const handlers: LicensingServiceServer = {
    ...licenseHandlers({ store, audit, trust, logger, rolePolicy, publish }),
    ...applicationHandlers(deps),
    ...accreditationHandlers({ store: accreditations, cases: store, audit, trust, logger, rolePolicy, publish: publishAccreditation, root }),
  };
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, rolePolicy, publish, { grant: accreditationHooks(accreditations, publishAccreditation, () => root), revocation: revocationHooks(accreditations, publishAccreditation, () => root) }) }],
    stop: async () => {
      await root.stop();
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
