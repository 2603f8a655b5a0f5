// The identity a command-line client (the CLI, the demo, the load tool) presents to a mesh with mutual TLS.
import { loadConfig } from '../../services/kit/config.ts';
import { useProcessCredentials } from '../../services/kit/grpc/client.ts';
import { hasIdentity, MeshIdentity } from '../../services/kit/tls/identity.ts';

/**
 * Client commands present the operator's mesh identity (MESH_IDENTITY, default ruqsat-operator) when
 * mutual TLS is on and the identity is on disk; `npm start` issues it in demo mode.
 */
export function useOperatorIdentity(): void {
  let config;
  try {
    config = loadConfig();
  } catch {
    return; // the command itself reports a bad configuration
  }
  const { meshTls } = config;
  const system = meshTls.identity || 'ruqsat-operator';
  if (!meshTls.enabled) return;
  if (!hasIdentity(meshTls.dir, system)) {
    process.stderr.write(`ruqsat: no mesh identity "${system}" in ${meshTls.dir}: calls go without a client certificate and a mesh with MESH_TLS=on refuses them\n`);
    return;
  }
  useProcessCredentials(new MeshIdentity(meshTls.dir, system, meshTls.refreshMs).channelCredentials());
}
