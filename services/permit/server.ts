// Wiring of the permit service: store, audit log, the trust follower that verifies signed permits in-process,
// the document verdicts, consumptions, and the bus that tells every instance a permit changed.
import { PermitServiceService, type PermitServiceServer } from '../../gen/ruqsat/permit/v1/permit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { AuditLog } from '../kit/audit.ts';
import { startCaseFlow } from '../kit/cases/flow.ts';
import { CaseStore } from '../kit/cases/store.ts';
import { DefinitionRegistry, NSC_PERMITS } from '../kit/workflow/index.ts';
import { applicationHandlers } from './applications.ts';
import { caseHandlers } from './cases.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { PermitChanges } from './changes.ts';
import { signatoryPolicy } from './domain/signatory.ts';
import { Consumptions } from './consumptions.ts';
import { customsHandlers } from './customs.ts';
import { PermitDocuments } from './documents.ts';
import { permitHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { statusActHandlers } from './status-acts.ts';
import { PermitStore } from './store.ts';
import { RedisStates } from './shared-states.ts';
import { ProcessStates } from './states.ts';
import { trustConfig } from '../trust/config.ts';

export const definitions = new DefinitionRegistry(NSC_PERMITS);

async function startPermit(service: ServiceDeps) {
  const { db, shared, logger, config } = service;
  // With Redis the states are cached there for every instance. Without it only the embedded database is sure
  // to be written by this process alone: on PostgreSQL other processes (`--instances N`) may consume a permit.
  const redis = shared.redis;
  const store = new PermitStore(db, (read) => (redis ? new RedisStates(read, db, redis.client, redis.prefix, logger) : new ProcessStates(read, !config.databaseUrl)));
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const changes = new PermitChanges(shared.bus);
  const documents = new PermitDocuments(store, shared.cache, trust, signatoryPolicy(config.env));
  const unsubscribe = await changes.subscribe((number) => {
    documents.forget(number);
    store.states.forget(number);
  });
  const audit = new AuditLog(db);
  const consumptions = new Consumptions(store, audit, changes);
  // Applications for conclusions and permits run on the kit's case flow; a signed one becomes a permit here.
  const flow = startCaseFlow(service, { service: 'permit', store: new CaseStore(db), audit, trust, definitions, outbox: true });
  const { deps, rolePolicy } = flow;
  const handlers: PermitServiceServer = {
    ...applicationHandlers(deps),
    ...permitHandlers(store, logger),
    ...customsHandlers({ store, documents, consumptions, trust, logger }),
    ...statusActHandlers({ store, consumptions, trust, logger, policyArc: trustConfig(config.env).policyArc }),
  };
  return {
    handlers,
    also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, store, flow.outbox!, rolePolicy) }],
    stop: async () => {
      await flow.stop();
      trust.stop();
      store.states.close();
      await unsubscribe();
    },
  };
}

export const permit: ServiceModule = {
  name: 'permit',
  serviceName: 'ruqsat.permit.v1.PermitService',
  definition: PermitServiceService,
  migrations,
  implement: startPermit,
};
