// Wiring of the deposit service: its proto, its migrations, its blob store, its handlers.
import { DepositServiceService } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { AuditLog } from '../kit/audit.ts';
import type { ServiceModule } from '../kit/service.ts';
import { DiskBlobStore } from './blobs.ts';
import { depositConfig } from './config.ts';
import { depositHandlers } from './handlers.ts';
import { migrations } from './migrations/index.ts';

export const deposit: ServiceModule = {
  name: 'deposit',
  serviceName: 'ruqsat.deposit.v1.DepositService',
  definition: DepositServiceService,
  migrations,
  implement: async (deps) => {
    const config = depositConfig(deps.config.env);
    return { handlers: depositHandlers(deps, config, new DiskBlobStore(config.blobDir), new AuditLog(deps.db)) };
  },
};
