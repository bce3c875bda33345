import { describe, expect, it } from 'vitest';
import { pairKey, shortPairKey, splitPairKey } from '../../source/matching/candidate.js';

describe('pair keys', () => {
  const cid = '0x961134d4dcd0ae9ff00adcbbb02ac96fe52d4b7df46d35045e1e7f79a2ddaf76';

  it('split back into the two markets; anything else is not a pair key', () => {
    expect(splitPairKey(pairKey('KXTEST-27-X', cid))).toEqual({ kalshi: 'KXTEST-27-X', polymarket: cid });
    for (const bad of ['', 'KXTEST', '|0xaa', 'KXTEST|']) expect(splitPairKey(bad)).toBeNull();
  });

  it('shorten for a log line: the ticker whole, the condition id by its ends', () => {
    expect(shortPairKey(pairKey('KXCOPPAITALIAGAME-26MAY13LAZINT-TIE', cid))).toBe('KXCOPPAITALIAGAME-26MAY13LAZINT-TIE|0x9611…af76');
    expect(shortPairKey('KXTEST-27-X|0xaa')).toBe('KXTEST-27-X|0xaa');
    expect(shortPairKey('not a key')).toBe('not a key');
  });
});
