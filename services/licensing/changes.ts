// Application changes on the bus, so a watcher on any instance hears of an act done on any other.
import type { Bus, Unsubscribe } from '../kit/bus.ts';

const CHANNEL = 'licensing.applications';

export class ApplicationChanges {
  constructor(private readonly bus: Bus) {}

  /** Says that an application changed; watchers re-read it (the database stays the one truth). */
  async changed(id: string): Promise<void> {
    await this.bus.publish(CHANNEL, id).catch(() => undefined);
  }

  subscribe(listener: (id: string) => void): Promise<Unsubscribe> {
    return this.bus.subscribe(CHANNEL, listener);
  }
}
