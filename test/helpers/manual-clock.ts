/**
 * A manual clock and timer queue for the store and the UI: tests decide when
 * time passes (`advance` runs the timers due, in order, at their own times).
 */
export interface ManualClock {
  now(): number;
  setTimer(fn: () => void, ms: number): number;
  clearTimer(handle: unknown): void;
  advance(ms: number): void;
  /** timers set and not yet run or cleared */
  pending(): number;
}

export function manualClock(start = 1_000): ManualClock {
  let now = start;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > until) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = until;
    },
    pending: () => timers.length,
  };
}
