// The registry schema's migrations, in order.
import { registersEntries } from './001_registers_entries.ts';
import { publishSearchChanges } from './002_publish_search_changes.ts';

export const migrations = [registersEntries, publishSearchChanges];
