// npm run demo — the story of issue 7 against the mesh `npm start` runs (addresses from the same environment).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../services/kit/config.ts';
import { closeClients } from '../services/kit/grpc/client.ts';
import { demoSettings } from './demo/provision.ts';
import { runDemo } from './demo/story.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const failures = await runDemo({
    addresses: config.addresses,
    demoDir: demoSettings(config.env, config.pgliteDir).dir,
    outDir: join(tmpdir(), 'ruqsat-demo'),
    print: (line) => process.stdout.write(line + '\n'),
  });
  closeClients();
  return failures === 0 ? 0 : 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`demo: ${err.message}\n`);
    process.exit(1);
  },
);
