// Wiring of the deposit service: its proto, its migrations, its blob store and its collector, its handlers, and the deposit
// applications on the kit's case flow (the depositary's officials' CaseService beside it).
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import type { DepositServiceServer } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { startCaseFlow } from '../kit/cases/flow.ts';
import { CaseStore } from '../kit/cases/store.ts';
import { clientFor } from '../kit/grpc/client.ts';
import type { ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { DefinitionRegistry, DEPOSIT_SOFTWARE } from '../kit/workflow/index.ts';
import { applicationHandlers } from './applications.ts';
import { DiskBlobStore } from './blobs.ts';
import { BlobCollector } from './collector.ts';
import { caseHandlers } from './cases.ts';
import { depositConfig } from './config.ts';
import { depositHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { DepositStore } from './store.ts';
import { Uploads } from './uploads.ts';
import { depositServiceDefinition } from './wire.ts';

export const definitions = new DefinitionRegistry([DEPOSIT_SOFTWARE]);

export const deposit: ServiceModule = {
  name: 'deposit',
  serviceName: 'ruqsat.deposit.v1.DepositService',
  // The generated codecs, except the streaming RPCs' chunks, which are read without a copy.
  definition: depositServiceDefinition,
  migrations,
  implement: async (serviceDeps) => {
    const { db, logger, config } = serviceDeps;
    const settings = depositConfig(config.env);
    const audit = new AuditLog(db);
    const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
    trust.startInBackground();
    const deposits = new DepositStore(db);
    const blobs = new DiskBlobStore(settings.blobDir);
    const uploads = new Uploads(deposits, blobs, audit, settings, logger);
    const collector = new BlobCollector(deposits, blobs, settings.uploadRetentionMs, (id) => uploads.active(id), logger, settings.orphanRetentionMs);
    const stopCollector = settings.gcIntervalMs > 0 ? collector.every(settings.gcIntervalMs) : () => undefined;
    const flow = startCaseFlow(serviceDeps, { service: 'deposit', store: new CaseStore(db), audit, trust, definitions, outbox: true });
    const { deps, rolePolicy } = flow;
    const handlers: DepositServiceServer = {
      ...depositHandlers(serviceDeps, settings, uploads),
      ...applicationHandlers(deps, deposits),
    };
    return {
      handlers,
      also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, deposits, flow.outbox!, rolePolicy) }],
      stop: async () => {
        stopCollector();
        await flow.stop();
        trust.stop();
        await uploads.close();
      },
    };
  },
};
