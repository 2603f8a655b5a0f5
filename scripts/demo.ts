// npm run demo — the story of issue 7 against the mesh `npm start` runs (addresses from the same environment).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../services/kit/config.ts';
import { useOperatorIdentity } from './cli/identity.ts';
import { closeClients } from '../services/kit/grpc/client.ts';
import { demoSettings } from './demo/provision.ts';
import { runDemo } from './demo/story.ts';

/** Exit code: 0 when every step went as told, 2 when one failed. */
export async function main(env: Record<string, string | undefined> = process.env, print: (line: string) => void = (line) => process.stdout.write(line + '\n')): Promise<number> {
  const config = loadConfig(env);
  const failures = await runDemo({
    addresses: config.addresses,
    demoDir: demoSettings(config.env, config.pgliteDir).dir,
    outDir: join(env.TMPDIR || tmpdir(), 'ruqsat-demo'),
    print,
  });
  return failures === 0 ? 0 : 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Like the CLI, the demo presents the operator's mesh identity, which `npm start` issues in demo mode.
  useOperatorIdentity();
  main().then(
    (code) => {
      closeClients();
      process.exit(code);
    },
    (err: Error) => {
      process.stderr.write(`demo: ${err.message}\n`);
      process.exit(1);
    },
  );
}
