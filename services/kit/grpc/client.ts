// One client per target, reused; a deadline on every unary call; retries of idempotent reads.
import * as grpc from '@grpc/grpc-js';

export interface ClientOptions {
  /** Default deadline for unary calls that set none. */
  deadlineMs?: number;
  credentials?: grpc.ChannelCredentials;
}

type ClientConstructor<C extends grpc.Client> = (new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ChannelOptions>) => C) & {
  service: grpc.ServiceDefinition;
};

// Reads carry no side effect, so a retry on UNAVAILABLE cannot apply anything twice.
const IDEMPOTENT = /^(Get|List|Search|Check|Verify|Watch)/;

/** "a:1,b:2" → "ipv4:a:1,b:2" for round_robin over fixed addresses; one host name → "dns:" lookup. */
export function targetOf(addresses: string): string {
  if (/^(dns|ipv4|ipv6|unix|unix-abstract):/.test(addresses)) return addresses;
  const list = addresses.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length > 1) return (list.every((a) => a.startsWith('[')) ? 'ipv6:' : 'ipv4:') + list.join(',');
  return `dns:${list[0] ?? ''}`;
}

export function serviceConfigFor(definition: grpc.ServiceDefinition): string {
  const idempotent = Object.values(definition)
    .map((m) => m.path.split('/'))
    .filter(([, , method]) => IDEMPOTENT.test(method ?? ''))
    .map(([, service, method]) => ({ service, method }));
  return JSON.stringify({
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig:
      idempotent.length === 0
        ? []
        : [
            {
              name: idempotent,
              retryPolicy: { maxAttempts: 4, initialBackoff: '0.05s', maxBackoff: '1s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] },
            },
          ],
  });
}

function deadlineInterceptor(ms: number): grpc.Interceptor {
  return (options, nextCall) => {
    const streaming = options.method_definition.requestStream || options.method_definition.responseStream;
    if (options.deadline === undefined && !streaming) options = { ...options, deadline: Date.now() + ms };
    return new grpc.InterceptingCall(nextCall(options));
  };
}

const clients = new Map<string, grpc.Client>();
let processCredentials: grpc.ChannelCredentials | undefined;
let credentialsGeneration = 0;

/** The process's mesh identity: every client made without explicit credentials presents it. */
export function useProcessCredentials(credentials: grpc.ChannelCredentials | undefined): void {
  processCredentials = credentials;
  credentialsGeneration++;
}

export function clientFor<C extends grpc.Client>(Ctor: ClientConstructor<C>, addresses: string, options: ClientOptions = {}): C {
  const target = targetOf(addresses);
  const key = `${Object.keys(Ctor.service).join(',')}@${target}#${options.credentials ? 'own' : credentialsGeneration}`;
  const existing = clients.get(key);
  if (existing) return existing as C;
  const credentials = options.credentials ?? processCredentials ?? grpc.credentials.createInsecure();
  const client = new Ctor(target, credentials, {
    // TLS names no IP address (RFC 6066): dialled by address, a mesh server is checked as "localhost", a name every mesh certificate carries.
    ...(credentials._isSecure() && /^(ipv4|ipv6):|^dns:(\d|\[)/.test(target) ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {}),
    'grpc.service_config': serviceConfigFor(Ctor.service),
    'grpc.enable_retries': 1,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.enable_channelz': 0,
    interceptors: [deadlineInterceptor(options.deadlineMs ?? 10_000)],
  });
  clients.set(key, client);
  return client;
}

/** Closes every cached client (at shutdown, and between tests). */
export function closeClients(): void {
  for (const client of clients.values()) client.close();
  clients.clear();
}
