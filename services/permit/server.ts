// Wiring of the permit service: its proto, its migrations, its handlers.
import { PermitServiceService } from '../../gen/ruqsat/permit/v1/permit.ts';
import type { ServiceModule } from '../kit/service.ts';
import { permitHandlers } from './handlers.ts';
import { migrations } from './migrations/001_permits.ts';

export const permit: ServiceModule = {
  name: 'permit',
  serviceName: 'ruqsat.permit.v1.PermitService',
  definition: PermitServiceService,
  migrations,
  implement: async (deps) => ({ handlers: permitHandlers(deps) }),
};
