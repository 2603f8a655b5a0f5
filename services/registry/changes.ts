// Entry changes on the bus, so a watcher on any instance wakes when any instance commits one.
import type { Bus, Unsubscribe } from '../kit/bus.ts';

const CHANNEL = 'registry.changes';

export class EntryChanges {
  constructor(private readonly bus: Bus) {}

  /** Says that changes up to `seq` are committed; watchers read them from the database (the one truth). */
  async committed(seq: string): Promise<void> {
    await this.bus.publish(CHANNEL, seq).catch(() => undefined);
  }

  subscribe(listener: (seq: string) => void): Promise<Unsubscribe> {
    return this.bus.subscribe(CHANNEL, listener);
  }
}
