// Wiring of the trust service: its proto, its migrations, its handlers.
import { TrustServiceService } from '../../gen/ruqsat/trust/v1/trust.ts';
import type { ServiceModule } from '../kit/service.ts';
import { trustHandlers } from './handlers.ts';
import { migrations } from './migrations/001_authorities_certificates.ts';

export const trust: ServiceModule = {
  name: 'trust',
  serviceName: 'ruqsat.trust.v1.TrustService',
  definition: TrustServiceService,
  migrations,
  implement: trustHandlers,
};
