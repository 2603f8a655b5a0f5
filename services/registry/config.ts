// The registry service's own settings: its public HTTP endpoint.
import { readInt } from '../kit/config.ts';

type Env = Record<string, string | undefined>;

export interface RegistryConfig {
  /** Public read-only JSON search; 0 picks a free port, -1 turns it off. */
  httpPort: number;
}

export function registryConfig(env: Env = process.env): RegistryConfig {
  return { httpPort: readInt(env, 'REGISTRY_HTTP_PORT', 50081, -1, 65535) };
}
