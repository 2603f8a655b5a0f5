import { Sha256Thread } from './core-wasm/src/index.ts';
const t = new Sha256Thread(); const h = t.hasher(); await h.update(Buffer.from('abc'));
console.log(Buffer.from(await h.digest()).toString('hex'));
