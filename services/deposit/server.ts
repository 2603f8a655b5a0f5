// Wiring of the deposit service: its proto, its migrations, its blob store, its handlers, and the deposit
// applications on the kit's case flow (the depositary's officials' CaseService beside it).
import { CaseServiceService } from '../../gen/ruqsat/cases/v1/cases.ts';
import { DepositServiceService, type DepositServiceServer } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { AuditLog } from '../kit/audit.ts';
import { ApplicationChanges } from '../kit/cases/changes.ts';
import { SlaMonitor } from '../kit/cases/monitor.ts';
import { CaseStore } from '../kit/cases/store.ts';
import { clientFor } from '../kit/grpc/client.ts';
import { Outbox } from '../kit/outbox.ts';
import type { ServiceModule } from '../kit/service.ts';
import { TrustFollower } from '../kit/trust-follower.ts';
import { DefinitionRegistry, DEPOSIT_SOFTWARE } from '../kit/workflow/index.ts';
import { trustConfig } from '../trust/config.ts';
import { profiles } from '../trust/domain/pki/profiles.ts';
import { applicationHandlers } from './applications.ts';
import { DiskBlobStore } from './blobs.ts';
import { caseHandlers } from './cases.ts';
import { depositConfig } from './config.ts';
import { depositHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';
import { DepositStore } from './store.ts';

export const definitions = new DefinitionRegistry([DEPOSIT_SOFTWARE]);

export const deposit: ServiceModule = {
  name: 'deposit',
  serviceName: 'ruqsat.deposit.v1.DepositService',
  definition: DepositServiceService,
  migrations,
  implement: async (serviceDeps) => {
    const { db, shared, logger, config, metrics } = serviceDeps;
    const settings = depositConfig(config.env);
    const audit = new AuditLog(db);
    const trust = new TrustFollower(clientFor(TrustServiceClient, config.addresses.trust), logger);
    trust.startInBackground();
    const deposits = new DepositStore(db);
    const deps = { service: 'deposit', store: new CaseStore(db), audit, trust, changes: new ApplicationChanges(shared.bus, 'deposit'), definitions, logger };
    const outbox = new Outbox({ db, logger, config, metrics });
    const rolePolicy = Object.fromEntries(Object.entries(profiles(trustConfig(config.env).policyArc)).map(([id, p]) => [id, p.policies[0]]));
    const monitor = new SlaMonitor({ ...deps, registry: metrics });
    if (config.slaScanMs > 0) monitor.start(config.slaScanMs);
    outbox.start();
    const handlers: DepositServiceServer = {
      ...depositHandlers(serviceDeps, settings, new DiskBlobStore(settings.blobDir), audit),
      ...applicationHandlers(deps, deposits),
    };
    return {
      handlers,
      also: [{ serviceName: 'ruqsat.cases.v1.CaseService', definition: CaseServiceService, implementation: caseHandlers(deps, deposits, outbox, rolePolicy) }],
      stop: async () => {
        await monitor.stop();
        await outbox.stop();
        trust.stop();
      },
    };
  },
};
