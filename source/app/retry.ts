/**
 * Something tried until it succeeds: after a failure, again after `firstDelayMs`, then
 * twice as long each time up to `maxDelayMs`, until it succeeds or `stop()` is called.
 * Start-up reconciliation uses it: a venue down or refusing the keys when the app starts
 * leaves trading read-only only until the venue answers.
 */
export class Retry {
  readonly #attempt: () => Promise<boolean>;
  readonly #maxDelayMs: number;
  #delayMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #current: Promise<void> | null = null;
  #stopped = false;

  constructor(attempt: () => Promise<boolean>, options: { readonly firstDelayMs: number; readonly maxDelayMs: number }) {
    this.#attempt = attempt;
    this.#delayMs = options.firstDelayMs;
    this.#maxDelayMs = Math.max(options.firstDelayMs, options.maxDelayMs);
  }

  /** The first attempt (started once; later calls return the attempt under way or the last one). */
  start(): Promise<void> {
    this.#current ??= this.#run();
    return this.#current;
  }

  /** The attempt under way or the last one (null before `start`). */
  get current(): Promise<void> | null {
    return this.#current;
  }

  /** How long the next wait after a failure is. */
  get nextDelayMs(): number {
    return this.#delayMs;
  }

  /** No more attempts (one under way runs to its end: await `current`). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #run(): Promise<void> {
    let ok = false;
    try {
      ok = await this.#attempt();
    } catch {
      ok = false;
    }
    if (ok || this.#stopped) return;
    const wait = this.#delayMs;
    this.#delayMs = Math.min(2 * this.#delayMs, this.#maxDelayMs);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#stopped) this.#current = this.#run();
    }, wait);
    this.#timer.unref?.();
  }
}
