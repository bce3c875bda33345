/** `arb-tui match`: saved venue files in, proposed pairs out (JSON or table); clear errors for bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMatch, type MatchJsonRow } from '../../source/cli/match-command.js';

const dir = fileURLToPath(new URL('../fixtures/matching/catalog-2026-05/', import.meta.url));
const kalshiFile = join(dir, 'kalshi-events.json');
const polymarketFile = join(dir, 'polymarket-events.json');

async function run(args: Partial<Parameters<typeof runMatch>[0]> = {}): Promise<string> {
  let out = '';
  await runMatch({ kalshiFile, polymarketFile, json: false, minConfidence: 0.6, ...args }, { stdout: (t) => (out += t), columns: 160 });
  return out;
}

describe('runMatch', () => {
  it('prints one JSON object per proposed pair with the agreed fields', async () => {
    const rows = JSON.parse(await run({ json: true })) as MatchJsonRow[];
    expect(rows.length).toBeGreaterThan(60);
    for (const r of rows) {
      expect(typeof r.kalshi_ticker).toBe('string');
      expect(r.polymarket_condition_id).toMatch(/^0x[0-9a-f]{64}$/);
      expect(['same', 'inverse']).toContain(r.relation);
      expect(typeof r.polymarket_outcome).toBe('string');
      expect(r.confidence).toBeGreaterThanOrEqual(0.6);
      expect(r.reasons.length).toBeGreaterThan(0);
    }
    const nhl = rows.find((r) => r.kalshi_ticker === 'KXNHLSERIES-26VGKANAR2-VGK');
    expect([nhl?.relation, nhl?.polymarket_outcome]).toEqual(['inverse', 'Golden Knights']);
  });

  it('a higher --min-confidence proposes fewer pairs', async () => {
    const all = JSON.parse(await run({ json: true, minConfidence: 0 })) as MatchJsonRow[];
    const strict = JSON.parse(await run({ json: true, minConfidence: 0.95 })) as MatchJsonRow[];
    expect(strict.length).toBeLessThan(all.length);
    expect(strict.every((r) => r.confidence >= 0.95)).toBe(true);
  });

  it('prints a table for people', async () => {
    const out = await run();
    expect(out).toMatch(/^\d+ proposed pairs \(\d+ inverse\) from 384 Kalshi × 461 Polymarket markets/);
    expect(out).toContain('Kalshi YES =');
    expect(out).toContain('approve a pair before anything trades it');
    // the Kalshi cell starts with the outcome (the ticker's last part), not a long ticker; "inverse" is whole
    expect(out).toMatch(/^TIE · Lazio vs Inter/m);
    expect(out).not.toContain('inver…');
  });

  it('explains unreadable and malformed files', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'arb-match-'));
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '{"events": [');
    const wrongShape = join(tmp, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ events: [{ event_ticker: 'E', title: 'T', markets: [{ ticker: 7 }] }] }));
    await expect(run({ kalshiFile: join(tmp, 'missing.json') })).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/--kalshi .*missing\.json: cannot read the file \(no such file\)/) });
    await expect(run({ polymarketFile: notJson })).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/--polymarket .*bad\.json: not JSON/) });
    await expect(run({ kalshiFile: wrongShape })).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/not a saved Kalshi response/) });
    await expect(run({ kalshiFile: polymarketFile })).rejects.toMatchObject({ name: 'UserError' });
    await expect(run({ minConfidence: 2 })).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/--min-confidence/) });
  });
});
