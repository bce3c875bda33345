import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { scavengingAlone, tuneV8, V8_FLAGS } from '../../source/lib/v8-tuning.js';

describe('tuneV8', () => {
  it('sets each of the app’s V8 flags, unless ARB_NO_V8_TUNING=1', () => {
    const set: string[] = [];
    expect(tuneV8({}, (flag) => set.push(flag))).toBe(true);
    expect(set).toEqual(['--no-allocation-site-pretenuring']);
    expect(V8_FLAGS).toEqual(set);
    expect(tuneV8({ ARB_NO_V8_TUNING: '1' }, (flag) => set.push(flag))).toBe(false);
    expect(set).toHaveLength(1);
  });

  it('is accepted by this Node at run time: with it set, no allocation site is tracked for pretenuring', () => {
    // --trace-pretenuring-statistics reports each young-generation collection's pretenuring work
    // (mementos found); with pretenuring off at run time there is none to report
    const program = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'off') v8.setFlagsFromString('--no-allocation-site-pretenuring');
      let keep = [];
      for (let i = 0; i < 300000; i += 1) { keep.push({ a: i, b: [i] }); if (keep.length > 20000) keep = []; }
    `;
    const run = (mode: string) =>
      spawnSync(process.execPath, ['--trace-pretenuring-statistics', '-e', program, mode], { encoding: 'utf8' }).stdout;
    expect(run('on')).toMatch(/mementos=[1-9]/);
    expect(run('off')).not.toMatch(/mementos=[1-9]/);
  });
});

describe('scavengingAlone', () => {
  const options = (set: string[], more: Partial<Parameters<typeof scavengingAlone>[1]> = {}) => ({
    env: {},
    cores: 2,
    execArgv: [],
    set: (flag: string) => set.push(flag),
    ...more,
  });

  it('turns parallel young-generation collections off while the work runs, and back on after, even when it throws', () => {
    const set: string[] = [];
    expect(scavengingAlone(() => set.length, options(set))).toBe(1);
    expect(set).toEqual(['--no-parallel-scavenge', '--parallel-scavenge']);
    set.length = 0;
    expect(() =>
      scavengingAlone(() => {
        throw new Error('boom');
      }, options(set)),
    ).toThrow('boom');
    expect(set).toEqual(['--no-parallel-scavenge', '--parallel-scavenge']);
    // nested: the outer call alone sets and restores
    set.length = 0;
    scavengingAlone(() => scavengingAlone(() => undefined, options(set)), options(set));
    expect(set).toEqual(['--no-parallel-scavenge', '--parallel-scavenge']);
  });

  it('changes nothing with ARB_NO_V8_TUNING=1, on more than two cores, or when node was given a parallel-scavenge flag', () => {
    const set: string[] = [];
    expect(scavengingAlone(() => 'done', options(set, { env: { ARB_NO_V8_TUNING: '1' } }))).toBe('done');
    scavengingAlone(() => undefined, options(set, { cores: 4 }));
    scavengingAlone(() => undefined, options(set, { execArgv: ['--no-parallel-scavenge'] }));
    scavengingAlone(() => undefined, options(set, { env: { NODE_OPTIONS: '--max-old-space-size=4096 --parallel_scavenge' } }));
    expect(set).toEqual([]);
  });

  it('is accepted by this Node at run time: collections made meanwhile use no helper thread', () => {
    // --trace-gc-nvp reports each young-generation collection's time on helper threads
    const program = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'off') v8.setFlagsFromString('--no-parallel-scavenge');
      const keep = [];
      for (let i = 0; i < 600000; i += 1) keep.push({ a: i, b: [i, i + 1] });
    `;
    const helpers = (mode: string) => {
      const out = spawnSync(process.execPath, ['--trace-gc-nvp', '-e', program, mode], { encoding: 'utf8' }).stdout;
      return [...out.matchAll(/gc=s .*?background\.scavenge\.parallel=([\d.]+)/g)].map((m) => Number(m[1]));
    };
    const off = helpers('off');
    expect(off.length).toBeGreaterThan(3);
    expect(off.every((ms) => ms === 0)).toBe(true);
    // with two cores or more, V8 shares them with helpers when left alone
    if (availableParallelism() >= 2) expect(helpers('on').some((ms) => ms > 0)).toBe(true);
  });
});
