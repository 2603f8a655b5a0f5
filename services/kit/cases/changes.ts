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

  /** `onGap`: changes may have been missed (the bus was away); re-read what is watched. */
  subscribe(listener: (id: string) => void, onGap?: () => void): Promise<Unsubscribe> {
    return this.bus.subscribe(this.channel, listener, onGap);
  }
}
