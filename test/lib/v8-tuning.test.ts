import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tuneV8, V8_FLAGS } from '../../source/lib/v8-tuning.js';

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
