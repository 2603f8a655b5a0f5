// The hashing thread's entry: hooks registered in the parent thread do not reach a worker, so it registers tsx.
import { register } from 'tsx/esm/api';

register();
await import('./sha256thread-worker.ts');
