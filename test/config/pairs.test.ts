import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../source/config/load.js';
import { makeTempTree, type TempTree } from './temp-home.js';

const CID = `0x${'ab'.repeat(32)}`;

describe('[[pairs]]: pairs approved up front', () => {
  let t: TempTree;
  beforeEach(async () => {
    t = await makeTempTree();
  });
  afterEach(() => t.cleanup());

  it('reads the list from the file', async () => {
    await t.write(
      'home/work/project/.arbrc.toml',
      `[[pairs]]\nkalshi_ticker = "KXFED-26DEC-C25"\npolymarket_condition_id = "${CID.toUpperCase().replace('0X', '0x')}"\nrelation = "same"\nnote = "checked rules"\n\n[[pairs]]\nkalshi_ticker = "KXB-1"\npolymarket_condition_id = "${CID}"\nrelation = "inverse"\n`,
    );
    const { config } = await loadConfig({ cwd: t.project, env: t.env() });
    expect(config.pairs).toEqual([
      { kalshiTicker: 'KXFED-26DEC-C25', polymarketConditionId: CID, relation: 'same', note: 'checked rules' },
      { kalshiTicker: 'KXB-1', polymarketConditionId: CID, relation: 'inverse', note: null },
    ]);
  });

  it('a pair without its relation is refused, naming it (a silent "same" could trade an inverse pair as same)', async () => {
    const file = await t.write('home/work/project/.arbrc.toml', `[[pairs]]\nkalshi_ticker = "KXFED-26DEC-C25"\npolymarket_condition_id = "${CID}"\n`);
    await expect(loadConfig({ cwd: t.project, env: t.env() })).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*pairs.0. relation.*required`, 's'),
    );
  });

  it('names the bad field of a bad entry', async () => {
    const file = await t.write('home/work/project/.arbrc.toml', `[[pairs]]\nkalshi_ticker = "KXFED"\npolymarket_condition_id = "0x12"\n`);
    await expect(loadConfig({ cwd: t.project, env: t.env() })).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*pairs.*polymarket_condition_id.*64 hex digits`, 's'),
    );
    await t.write('home/work/project/.arbrc.toml', `[[pairs]]\nkalshi_ticker = "KXFED"\npolymarket_condition_id = "${CID}"\nrelation = "opposite"\n`);
    await expect(loadConfig({ cwd: t.project, env: t.env() })).rejects.toThrow(/relation.*"same".*"inverse"/s);
  });

  it('takes ARB_PAIRS as JSON, and explains when it is not a list', async () => {
    const { config } = await loadConfig({
      cwd: t.project,
      env: t.env({ ARB_PAIRS: JSON.stringify([{ kalshi_ticker: 'KXA-1', polymarket_condition_id: CID, relation: 'inverse' }]) }),
    });
    expect(config.pairs).toEqual([{ kalshiTicker: 'KXA-1', polymarketConditionId: CID, relation: 'inverse', note: null }]);
    await expect(loadConfig({ cwd: t.project, env: t.env({ ARB_PAIRS: 'KXA-1' }) })).rejects.toThrow(/ARB_PAIRS.*a list of \[\[pairs\]\] tables/s);
  });
});
