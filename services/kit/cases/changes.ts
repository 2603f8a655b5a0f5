// Application changes on the bus, so a watcher on any instance hears of an act done on any other.
import type { Bus, Unsubscribe } from '../bus.ts';

export class ApplicationChanges {
  private readonly channel: string;

  constructor(private readonly bus: Bus, service: string) {
    this.channel = `${service}.applications`;
  }

  /** Says that an application changed; watchers re-read it (the database stays the one truth). */
  async changed(id: string): Promise<void> {
    await this.bus.publish(this.channel, id).catch(() => undefined);
  }

  subscribe(listener: (id: string) => void): Promise<Unsubscribe> {
    return this.bus.subscribe(this.channel, listener);
  }
}
