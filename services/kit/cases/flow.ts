// What a service starts to run its state services on the case flow: the shared deps, the SLA monitor, the
// outbox to registry when its results are published there, and the role policies officials' acts are checked by.
import type { AuditLog } from '../audit.ts';
import { Outbox } from '../outbox.ts';
import type { ServiceDeps } from '../service.ts';
import type { TrustFollower } from '../trust-follower.ts';
import type { DefinitionRegistry } from '../workflow/index.ts';
import type { CaseDeps } from './applicant-api.ts';
import { ApplicationChanges } from './changes.ts';
import { SlaMonitor } from './monitor.ts';
import { rolePolicies } from './signers.ts';
import type { CaseStore } from './store.ts';

export interface CaseFlowOptions<S extends CaseStore> {
  service: string;
  store: S;
  audit: AuditLog;
  trust: TrustFollower;
  definitions: DefinitionRegistry;
  /** The service publishes its results to registry through an outbox. */
  outbox?: boolean;
}

export function startCaseFlow<S extends CaseStore>({ db, shared, logger, config, metrics }: ServiceDeps, o: CaseFlowOptions<S>) {
  const deps: CaseDeps & { store: S } = { service: o.service, store: o.store, audit: o.audit, trust: o.trust, changes: new ApplicationChanges(shared.bus, o.service), definitions: o.definitions, logger };
  const outbox = o.outbox ? new Outbox({ db, logger, config, metrics }, { retainDeliveredMs: config.outboxRetentionMs }) : undefined;
  const monitor = new SlaMonitor({ ...deps, registry: metrics });
  if (config.slaScanMs > 0) monitor.start(config.slaScanMs);
  outbox?.start();
  return {
    deps,
    outbox,
    rolePolicy: rolePolicies(config.env),
    stop: async () => {
      await monitor.stop();
      await outbox?.stop();
    },
  };
}
