// Wiring of the registry service: its store, change feed, handlers and public HTTP endpoint.
import { RegistryServiceService } from '../../gen/ruqsat/registry/v1/registry.ts';
import type { ServiceDeps, ServiceModule } from '../kit/service.ts';
import { EntryChanges } from './changes.ts';
import { registryConfig } from './config.ts';
import { registryHandlers } from './handlers.ts';
import { startRegistryHttp } from './http.ts';
import { migrations } from './migrations/index.ts';
import { RegistryStore } from './store.ts';

async function startRegistry({ db, shared, logger, config }: ServiceDeps) {
  const rc = registryConfig(config.env);
  const store = new RegistryStore(db);
  const http = rc.httpPort >= 0 ? await startRegistryHttp(config.host, rc.httpPort, store, logger) : undefined;
  if (http) logger.info({ port: http.port }, 'registry HTTP endpoint listening');
  return {
    handlers: registryHandlers({ store, changes: new EntryChanges(shared.bus), logger }),
    stop: async () => http?.close(),
  };
}

export const registry: ServiceModule = {
  name: 'registry',
  serviceName: 'ruqsat.registry.v1.RegistryService',
  definition: RegistryServiceService,
  migrations,
  implement: startRegistry,
};
