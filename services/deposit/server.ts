// Wiring of the deposit service: its proto, its migrations, its handlers.
import { DepositServiceService } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import type { ServiceModule } from '../kit/service.ts';
import { depositHandlers } from './handlers.ts';
import { migrations } from './migrations/001_deposits.ts';

export const deposit: ServiceModule = {
  name: 'deposit',
  serviceName: 'ruqsat.deposit.v1.DepositService',
  definition: DepositServiceService,
  migrations,
  implement: async (deps) => ({ handlers: depositHandlers(deps) }),
};
