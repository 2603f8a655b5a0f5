// Permit changes on the bus (consumption, release, suspension, revocation), so every instance drops what it holds.
import type { Bus, Unsubscribe } from '../kit/bus.ts';

const CHANNEL = 'permit.changed';

export class PermitChanges {
  constructor(private readonly bus: Bus) {}

  /** Says that a permit changed; a lost message costs only a re-verification, never a wrong answer. */
  async changed(number: string): Promise<void> {
    await this.bus.publish(CHANNEL, number).catch(() => undefined);
  }

  subscribe(listener: (number: string) => void): Promise<Unsubscribe> {
    return this.bus.subscribe(CHANNEL, listener);
  }
}
