// The mesh's security for one process: its identity (server and client credentials), the caller
// authenticator with its own view of the mesh CA's revocations, the access-rights table.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { TrustServiceClient } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { policyOids } from '../../trust/domain/pki/profiles.ts';
import { trustConfig } from '../../trust/config.ts';
import { loadAccessRights, type AccessRights } from '../access/rights.ts';
import type { MeshConfig } from '../config.ts';
import type { Counters } from '../counters.ts';
import { clientFor, closeClients, useProcessCredentials } from '../grpc/client.ts';
import type { AccessOptions } from '../interceptors/access.ts';
import { TrustFollower } from '../trust-follower.ts';
import { MeshAuthenticator } from './authenticator.ts';
import { MeshIdentity } from './identity.ts';

export class MeshSecurity {
  readonly rights: AccessRights;
  private identity?: MeshIdentity;
  private follower?: TrustFollower;
  private options?: AccessOptions;

  constructor(
    private readonly config: MeshConfig,
    private readonly counters: Counters,
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {
    this.rights = loadAccessRights(config.meshTls.accessRightsFile);
  }

  get system(): string {
    return this.config.meshTls.identity;
  }

  /** Loaded on first use: in demo mode the trust service writes the files while it starts. */
  private ensureIdentity(): MeshIdentity {
    if (!this.identity) {
      const { dir, refreshMs } = this.config.meshTls;
      try {
        this.identity = new MeshIdentity(dir, this.system, refreshMs);
      } catch (err) {
        throw new Error(`${(err as Error).message}; start the trust service first in demo mode (MESH_TLS_PROVISION=demo), or put an identity issued by the mesh CA there`);
      }
      useProcessCredentials(this.identity.channelCredentials());
    }
    return this.identity;
  }

  async serverCredentials(): Promise<grpc.ServerCredentials> {
    const identity = this.ensureIdentity();
    const credentials = identity.serverCredentials();
    await identity.loaded();
    return credentials;
  }

  access(): AccessOptions {
    if (!this.options) {
      const identity = this.ensureIdentity();
      const policy = policyOids(trustConfig(this.config.env).policyArc).serviceMtls;
      this.options = { authenticator: new MeshAuthenticator(identity.paths.ca, policy), rights: this.rights, counters: this.counters, registry: this.registry, logger: this.logger };
    }
    return this.options;
  }

  /** Once the services listen: follow the mesh CA's revocations (until then only PKI reads are served). */
  start(): void {
    if (!this.options) return;
    this.follower = new TrustFollower(clientFor(TrustServiceClient, this.config.addresses.trust), this.logger.child({ component: 'mesh-authenticator' }));
    this.options.authenticator.follower = this.follower;
    this.follower.startInBackground();
  }

  /** True once revocations are loaded, so every call can be authenticated. */
  get ready(): boolean {
    return this.follower?.ready ?? false;
  }

  stopFollowing(): void {
    this.follower?.stop();
  }

  /** Channels hold the identity's file watcher; closing them lets the process exit. */
  stop(): void {
    this.follower?.stop();
    closeClients();
    useProcessCredentials(undefined);
  }
}
