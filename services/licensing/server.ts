// Wiring of the licensing service: its proto, its migrations, its handlers.
import { LicensingServiceService } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import type { ServiceModule } from '../kit/service.ts';
import { licensingHandlers } from './handlers.ts';
import { migrations } from './migrations/001_licenses.ts';

export const licensing: ServiceModule = {
  name: 'licensing',
  serviceName: 'ruqsat.licensing.v1.LicensingService',
  definition: LicensingServiceService,
  migrations,
  implement: async (deps) => ({ handlers: licensingHandlers(deps) }),
};
