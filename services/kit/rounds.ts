// Work done in rounds, one at a time: on a timer and on demand, a round never overlaps the one before it.
export class Rounds {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  /** `round` handles its own errors: a rejected round would stop the ones after it. */
  constructor(private readonly round: () => Promise<void>) {}

  /** A round after any under way; resolves when it is done. */
  run(): Promise<void> {
    this.running = this.running.then(this.round);
    return this.running;
  }

  /** A round every `ms`, on a timer that does not keep the process alive. */
  every(ms: number): void {
    this.timer = setInterval(() => void this.run(), ms);
    this.timer.unref();
  }

  /** No more rounds; resolves once the one under way is done. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
