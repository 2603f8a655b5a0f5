// Wiring of the registry service: its proto, its migrations, its handlers.
import { RegistryServiceService } from '../../gen/ruqsat/registry/v1/registry.ts';
import type { ServiceModule } from '../kit/service.ts';
import { registryHandlers } from './handlers.ts';
import { migrations } from './migrations/001_registers_entries.ts';

export const registry: ServiceModule = {
  name: 'registry',
  serviceName: 'ruqsat.registry.v1.RegistryService',
  definition: RegistryServiceService,
  migrations,
  implement: async (deps) => ({ handlers: registryHandlers(deps) }),
};
