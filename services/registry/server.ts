// Wiring of the registry service: its store, change feed, handlers and public HTTP endpoint, and its own two state
// services (EIR/IS registration, KKM conformity conclusions) on the kit's case flow with the officials' CaseService.
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { RegistryServiceService, type RegistryServiceServer } from '../../gen/ruqsat/registry/v1/registry.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { startCaseFlow } from '../kit/cases/flow.ts';
import { CaseStore } from '../kit/cases/store.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { CONFORMITY_KKM_COMPUTER_SYSTEM, DefinitionRegistry, REGISTRY_EIR_IS } from '../kit/workflow/index.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { EntryChanges } from './changes.ts';
import { registryConfig } from './config.ts';
import { registryHandlers } from './handlers.ts';
import { startRegistryHttp } from './http.ts';
import { migrations } from './migrations/index.ts';
import { RegistryStore } from './store.ts';

export const definitions = new DefinitionRegistry([REGISTRY_EIR_IS, CONFORMITY_KKM_COMPUTER_SYSTEM]);

async function startRegistry(service: ServiceDeps) {
  const { db, shared, logger, config } = service;
  const rc = registryConfig(config.env);
  const store = new RegistryStore(db);
  const changes = new EntryChanges(shared.bus);
  const http = rc.httpPort >= 0 ? await startRegistryHttp(config.host, rc.httpPort, store, logger) : undefined;
  if (http) logger.info({ port: http.port }, 'registry HTTP endpoint listening');
  // The registry's own registrations: signed acts are verified in-process against trust's anchors and CRLs.
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const flow = startCaseFlow(service, { service: 'registry', store: new CaseStore(db), audit: new AuditLog(db), trust, definitions });
  const { deps, rolePolicy } = flow;
  const handlers: RegistryServiceServer = { ...registryHandlers({ store, changes, logger }), ...applicationHandlers(deps) };
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, store, rolePolicy, changes) }],
    stop: async () => {
      await flow.stop();
      trust.stop();
      await http?.close();
    },
  };
}

export const registry: ServiceModule = {
  name: 'registry',
  serviceName: 'ruqsat.registry.v1.RegistryService',
  definition: RegistryServiceService,
  migrations,
  implement: startRegistry,
};
