import { describe, expect, it } from 'vitest';
import { Store } from '../../source/store/store.js';
import { manualClock } from '../helpers/manual-clock.js';

const fakeTime = () => manualClock(1_000);

describe('Store', () => {
  it('publishes the first change at once, then at most one snapshot per interval, the last one always', () => {
    const time = fakeTime();
    const store = new Store({ ...time, minIntervalMs: 100 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().log.length));
    store.log('info', 'a');
    expect(seen).toEqual([1]);
    for (let i = 0; i < 50; i += 1) store.log('info', `b${i}`);
    expect(seen).toEqual([1]);
    time.advance(99);
    expect(seen).toEqual([1]);
    time.advance(1);
    expect(seen).toEqual([1, 51]);
    time.advance(1_000);
    expect(seen).toEqual([1, 51]);
  });

  it('log_level: lines below the configured level are not kept (info by default; warn keeps warnings and errors)', () => {
    const time = fakeTime();
    const store = new Store({ ...time });
    store.log('info', 'i1');
    store.setLogLevel('warn');
    store.log('info', 'i2');
    store.log('warn', 'w');
    store.log('error', 'e');
    store.setLogLevel('error');
    store.log('warn', 'w2');
    time.advance(200);
    expect(store.getSnapshot().log.map((l) => l.message)).toEqual(['i1', 'w', 'e']);
  });

  it('snapshots are immutable and unchanged by later updates', () => {
    const time = fakeTime();
    const store = new Store({ ...time });
    store.log('warn', 'x');
    const snap = store.getSnapshot();
    expect(Object.isFrozen(snap)).toBe(true);
    expect(Object.isFrozen(snap.log)).toBe(true);
    time.advance(200);
    store.log('warn', 'y');
    time.advance(200);
    expect(snap.log.map((l) => l.message)).toEqual(['x']);
    expect(store.getSnapshot().log.map((l) => l.message)).toEqual(['x', 'y']);
    expect(store.getSnapshot().version).toBeGreaterThan(snap.version);
  });

  it('pause freezes the market side (opportunities, pairs, venues) for reading; orders, positions, the log and the session stay live; resume shows the latest at once', () => {
    const time = fakeTime();
    const store = new Store({ ...time });
    const opportunity = (id: string) => ({ id }) as never;
    store.update((d) => {
      d.opportunities.set('o1', opportunity('o1'));
    });
    store.log('info', 'before');
    time.advance(200);
    // the prices shown while paused are those last published
    const frozenAt = store.getSnapshot().publishedAt;
    store.setPaused(true);
    expect(store.getSnapshot().paused).toBe(true);
    store.update((d) => {
      d.opportunities.set('o2', opportunity('o2'));
      d.orders = [{ venue: 'kalshi', id: 'c1', createdAt: time.now() } as never];
      d.session = { ...d.session, banner: null };
    });
    store.log('info', 'during');
    time.advance(1_000);
    const paused = store.getSnapshot();
    expect(paused.opportunities.map((o) => o.id)).toEqual(['o1']);
    // the market side is as of the pause, and time goes on: its ages grow
    expect(paused.pausedAt).toBe(frozenAt);
    expect(paused.publishedAt).toBeGreaterThan(frozenAt);
    expect(paused.log.map((l) => l.message)).toEqual(['before', 'during']);
    expect(paused.orders).toHaveLength(1);
    store.setPaused(false);
    expect(store.getSnapshot().opportunities.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(store.getSnapshot().paused).toBe(false);
    expect(store.getSnapshot().pausedAt).toBeNull();
  });

  it('lists the pairs in the same array while none changed, and anew after a change in place or a new set of pairs', () => {
    const time = fakeTime();
    const store = new Store({ ...time, minIntervalMs: 0 });
    const pair = (key: string, status: 'candidate' | 'approved' = 'candidate') => ({ key, status }) as never;
    store.update((d) => {
      d.pairs.set('a', pair('a'));
      d.pairs.set('b', pair('b'));
    });
    const first = store.getSnapshot().pairs;
    expect(first.map((p) => p.key)).toEqual(['a', 'b']);
    // other changes (the log, opportunities): the same array
    store.log('info', 'x');
    store.update((d) => d.opportunities.set('o', { id: 'o' } as never));
    expect(store.getSnapshot().pairs).toBe(first);
    // a pair's status changed in place
    store.update((d) => d.pairs.set('a', pair('a', 'approved')));
    const second = store.getSnapshot().pairs;
    expect(second).not.toBe(first);
    expect(second.map((p) => p.status)).toEqual(['approved', 'candidate']);
    // a new set of pairs (a rematch) as many as the changes counted so far: another array all the same
    store.update((d) => {
      d.pairs = new Map([
        ['x', pair('x')],
        ['y', pair('y')],
        ['z', pair('z')],
      ]);
    });
    expect(store.getSnapshot().pairs.map((p) => p.key)).toEqual(['x', 'y', 'z']);
    // a new set of pairs (a rematch): listed once, the same array in the snapshots after it
    store.update((d) => {
      d.pairs = new Map([['c', pair('c')]]);
    });
    const third = store.getSnapshot().pairs;
    expect(third.map((p) => p.key)).toEqual(['c']);
    store.log('info', 'y');
    expect(store.getSnapshot().pairs).toBe(third);
    // paused: the pairs as they were; resumed: the latest
    store.setPaused(true);
    store.update((d) => d.pairs.set('p', pair('p')));
    expect(store.getSnapshot().pairs).toBe(third);
    store.setPaused(false);
    expect(store.getSnapshot().pairs.map((p) => p.key)).toEqual(['c', 'p']);
    store.update((d) => d.pairs.delete('p'));
    store.update((d) => d.pairs.delete('c'));
    expect(store.getSnapshot().pairs).toEqual([]);
    store.update((d) => d.pairs.set('d', pair('d')));
    store.update((d) => d.pairs.clear());
    expect(store.getSnapshot().pairs).toEqual([]);
    expect(Object.isFrozen(store.getSnapshot().pairs)).toBe(true);
  });

  it('keeps the log bounded', () => {
    const time = fakeTime();
    const store = new Store({ ...time, logLimit: 10 });
    for (let i = 0; i < 25; i += 1) store.log('info', String(i));
    store.flush();
    expect(store.getSnapshot().log.map((l) => l.message)).toEqual(['15', '16', '17', '18', '19', '20', '21', '22', '23', '24']);
  });

  it('closed opportunities stay for the fade, then leave by themselves', () => {
    const time = fakeTime();
    const store = new Store({ ...time, closedRetentionMs: 3_000 });
    const fake = { id: 'o1' } as never;
    store.update((d) => d.closed.push({ opportunity: fake, closedAt: time.now() }));
    expect(store.getSnapshot().closed).toHaveLength(1);
    time.advance(3_500);
    expect(store.getSnapshot().closed).toHaveLength(0);
    expect(time.pending()).toBe(0);
  });

  it('unsubscribe and close stop notifications', () => {
    const time = fakeTime();
    const store = new Store({ ...time });
    let calls = 0;
    const off = store.subscribe(() => {
      calls += 1;
    });
    store.log('info', '1');
    off();
    time.advance(500);
    store.log('info', '2');
    expect(calls).toBe(1);
    store.close();
    store.log('info', '3');
    time.advance(500);
    expect(store.getSnapshot().log.map((l) => l.message)).toEqual(['1', '2']);
  });
});
