// TrustService: every RPC, grouped by concern under handlers/.
import type { TrustServiceServer } from '../../gen/ruqsat/trust/v1/trust.ts';
import type { TrustContext } from './context.ts';
import { accreditedHandlers } from './handlers/accredited.ts';
import { applicationHandlers } from './handlers/applications.ts';
import { readHandlers } from './handlers/reads.ts';
import { reobtainHandlers } from './handlers/reobtain.ts';
import { revocationHandlers } from './handlers/revocation.ts';
import { verificationHandlers } from './handlers/verification.ts';

export function trustHandlers(ctx: TrustContext): TrustServiceServer {
  return {
    ...readHandlers(ctx),
    ...applicationHandlers(ctx),
    ...reobtainHandlers(ctx),
    ...revocationHandlers(ctx),
    ...verificationHandlers(ctx),
    ...accreditedHandlers(ctx),
  };
}
