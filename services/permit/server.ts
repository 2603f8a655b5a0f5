// Wiring of the permit service: store, audit log, the trust follower that verifies signed permits in-process,
// the document verdicts, consumptions, and the bus that tells every instance a permit changed.
import { PermitServiceService, type PermitServiceServer } from '../../gen/ruqsat/permit/v1/permit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
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
import { trustConfig } from '../trust/config.ts';

async function startPermit({ db, shared, logger, config }: ServiceDeps) {
  const store = new PermitStore(db, shared.kind === 'memory');
  const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
  trust.startInBackground();
  const changes = new PermitChanges(shared.bus);
  const documents = new PermitDocuments(store, shared.cache, trust, signatoryPolicy(config.env));
  const unsubscribe = await changes.subscribe((number) => {
    documents.forget(number);
    store.states.forget(number);
  });
  const consumptions = new Consumptions(store, new AuditLog(db), changes);
  const handlers: PermitServiceServer = {
    ...permitHandlers(store, logger),
    ...customsHandlers({ store, documents, consumptions, trust, logger }),
    ...statusActHandlers({ store, consumptions, trust, logger, policyArc: trustConfig(config.env).policyArc }),
  };
  return {
    handlers,
    stop: async () => {
      trust.stop();
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
