import { afterEach, describe, expect, it, vi } from 'vitest';
import { Retry } from '../../source/app/retry.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Retry (start-up reconciliation tried again until trading arms)', () => {
  it('tries again after a failure, waiting twice as long each time up to the maximum, and stops once it succeeds', async () => {
    vi.useFakeTimers();
    const answers = [false, false, false, false, true];
    const times: number[] = [];
    const retry = new Retry(
      async () => {
        times.push(Date.now());
        return answers.shift() ?? true;
      },
      { firstDelayMs: 1_000, maxDelayMs: 3_000 },
    );
    const t0 = Date.now();
    await retry.start();
    expect(times).toHaveLength(1);
    expect(retry.nextDelayMs).toBe(2_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(3_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(times.map((t) => t - t0)).toEqual([0, 1_000, 3_000, 6_000, 9_000]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(times).toHaveLength(5); // succeeded: no more attempts
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a throwing attempt counts as a failure; stop() ends the retries and start() never runs a second first attempt', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const retry = new Retry(
      async () => {
        calls += 1;
        throw new Error('venue down');
      },
      { firstDelayMs: 500, maxDelayMs: 500 },
    );
    const first = retry.start();
    expect(retry.start()).toBe(first);
    await first;
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    retry.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});
