import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExport, parseSessionSelector, runExport } from '../../source/cli/export-command.js';
import { renderSessions, runSessions, sessionsJson, readSessionSummaries } from '../../source/cli/sessions-command.js';
import { neutraliseText, toCsv, dec } from '../../source/export/csv.js';
import { EXPORT_KINDS } from '../../source/export/session-csv.js';
import { openDatabase } from '../../source/persistence/database.js';
import { seed, tempDir } from '../persistence/helpers.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/** A strict RFC 4180 reader (for checking what we write). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const j = text.indexOf('"', i);
        if (j < 0) throw new Error('unterminated quote');
        cell += text.slice(i, j);
        if (text[j + 1] === '"') {
          cell += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
    } else {
      const m = /[,\r]/.exec(text.slice(i));
      const end = m ? i + m.index : text.length;
      cell = text.slice(i, end);
      if (cell.includes('"') || cell.includes('\n')) throw new Error(`bare quote or LF in unquoted cell ${JSON.stringify(cell)}`);
      i = end;
    }
    row.push(cell);
    if (text[i] === ',') i += 1;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length > 0) throw new Error('missing final CRLF');
  return rows;
}

const HOSTILE = [
  'Will "Candidate, Jr." win?',
  'line one\nline two',
  'cr\rinside',
  '=1+2',
  '+SUM(A1:A9)',
  '-cmd|\' /C calc\'!A0',
  '@SUM(1)',
  '\tleading tab',
  '\rleading CR',
  'Zürich ≥ 4 % — “quoted” 🚀',
  '',
];

let dir: ReturnType<typeof tempDir>;
let dbPath: string;
beforeAll(async () => {
  dir = tempDir('arb-export-');
  dbPath = dir.path();
  const db = await openDatabase({ path: dbPath, flushMode: 'main-thread' });
  const { sessionId } = seed(db);
  const t0 = Date.UTC(2026, 4, 2, 9, 30, 0);
  db.write((r) => {
    const s2 = r.sessions.start({ mode: 'execute', demo: false, appVersion: '0.1.0', configDigest: 'sha256:def', startedAt: t0 });
    HOSTILE.forEach((title, i) => {
      r.markets.seen({ venue: 'kalshi', marketId: `K-${i}`, eventId: 'E', title, seenAt: t0 });
      r.markets.seen({ venue: 'polymarket', marketId: `0x${i}`, eventId: 'E', title: `${title} (PM)`, seenAt: t0 });
      const pair = r.pairs.ensureCandidate({ kalshiMarketId: `K-${i}`, polymarketMarketId: `0x${i}`, relation: i % 2 ? 'inverse' : 'same', sessionId: s2.id, at: t0 });
      const opp = r.opportunities.open(s2.id, pair.id, {
        at: t0 + i,
        netEdge: i % 3 === 0 ? -10_001n : 7n * BigInt(i),
        size: 1_230_000n + BigInt(i),
        kalshi: { side: 'yes', price: 333_333n, fee: 10n },
        polymarket: { side: 'no', price: 666_666n, fee: 999_999n },
      });
      if (i === 4) r.opportunities.close(opp, 'skipped', { reason: '=risk gate, "quote too old"', at: t0 + 100 });
      if (i === 5) {
        const trade = r.trades.create({ sessionId: s2.id, pairId: pair.id, opportunityId: opp, plannedSize: 3_000_000n, expectedEdge: 35n, expectedPnl: 105n, at: t0 + 200, note: '-unwound 1 contract' });
        r.trades.update(trade, { status: 'partial', hedgedSize: 2_000_000n, realisedPnl: -333_333n, at: t0 + 300 });
        r.orders.insertPending({ clientOrderId: '=c-5', sessionId: s2.id, tradeId: trade, venue: 'kalshi', marketId: `K-${i}`, side: 'yes', action: 'buy', orderType: 'limit-ioc', limitPrice: 333_333n, size: 3_000_000n, at: t0 + 200 });
        r.orders.recordFill({ venue: 'kalshi', venueFillId: 'f,5', clientOrderId: '=c-5', sessionId: s2.id, marketId: `K-${i}`, side: 'yes', action: 'buy', price: 333_333n, size: 2_000_001n, fee: 10_000n, filledAt: t0 + 250, receivedAt: t0 + 260 });
        // a fill the venue voided after matching: listed with the time it was voided, left out of the trade's totals
        r.orders.recordFill({ venue: 'kalshi', venueFillId: 'f,6', clientOrderId: '=c-5', sessionId: s2.id, marketId: `K-${i}`, side: 'yes', action: 'buy', price: 333_333n, size: 500_000n, fee: 5_000n, filledAt: t0 + 255, receivedAt: t0 + 265 });
        r.orders.voidFill('kalshi', 'f,6', 'FAILED', t0 + 900);
        r.trades.create({ sessionId: s2.id, pairId: pair.id, plannedSize: 1_000_000n, expectedEdge: 1n, expectedPnl: 1n, at: t0 + 400 });
      }
    });
    r.sessions.end(s2.id, { endedAt: t0 + 3_600_000 });
    return sessionId;
  });
  await db.close();
});
afterAll(() => dir.cleanup());

describe('CSV rules', () => {
  it('neutralises text cells a spreadsheet would run as a formula, and nothing else', () => {
    expect(['=1', '+1', '-1', '@a', '\tx', '\rx'].map(neutraliseText)).toEqual(["'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx"]);
    expect(['a=1', ' =1', '1-2', '', "'=x"].map(neutraliseText)).toEqual(['a=1', ' =1', '1-2', '', "'=x"]);
  });

  it('renders decimals from integers exactly (negative numbers stay numbers)', () => {
    const csv = toCsv([{ header: 'v', value: (r: bigint) => dec(r) }], [-10_001n, 2n ** 63n - 1n, 1n, 0n]);
    expect(csv).toBe('v\r\n-0.010001\r\n9223372036854.775807\r\n0.000001\r\n0\r\n');
  });

  it('any text round-trips through RFC 4180 quoting (after neutralising)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (rows) => {
        const csv = toCsv([{ header: 'a', value: (r: string[]) => r[0] ?? '' }, { header: 'b', value: (r: string[]) => r[1] ?? '' }], rows);
        expect(parseCsv(csv)).toEqual([['a', 'b'], ...rows.map((r) => r.map((c) => neutraliseText(c)))]);
      }),
    );
  });
});

describe('session exports', () => {
  for (const what of EXPORT_KINDS) {
    it(`${what}: matches the golden file (all sessions, hostile titles)`, async () => {
      const csv = await buildExport({ dbPath, session: 'all', what });
      const file = join(GOLDEN, `${what}-all.csv`);
      if (!existsSync(file) && process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, csv);
      expect(csv).toBe(readFileSync(file, 'utf8'));
      const rows = parseCsv(csv);
      expect(new Set(rows.map((r) => r.length)).size).toBe(1);
      // no cell starts with a formula character unless it is a number we rendered
      for (const cell of rows.flat()) if (/^[=+@\t\r]/.test(cell)) throw new Error(`unsafe cell ${JSON.stringify(cell)}`);
      for (const cell of rows.flat()) if (cell.startsWith('-')) expect(cell).toMatch(/^-\d+(\.\d+)?$/);
    });
  }

  it('last and a numeric id select one session; errors are clear', async () => {
    const last = parseCsv(await buildExport({ dbPath, session: 'last', what: 'opportunities' }));
    expect(new Set(last.slice(1).map((r) => r[0]))).toEqual(new Set(['2']));
    const first = parseCsv(await buildExport({ dbPath, session: '1', what: 'trades' }));
    expect(first).toHaveLength(2);
    // expected vs realised edge of the seeded trade: 0.0215 expected, 1.2816 / 100 = 0.012816 realised
    const header = first[0] as string[];
    const row = first[1] as string[];
    expect(row[header.indexOf('expected_edge_per_contract')]).toBe('0.0215');
    expect(row[header.indexOf('realised_edge_per_contract')]).toBe('0.012816');
    expect(row[header.indexOf('edge_difference')]).toBe('-0.008684');
    await expect(buildExport({ dbPath, session: '9', what: 'fills' })).rejects.toThrow(/no session 9/);
    expect(() => parseSessionSelector('first')).toThrow(/--session must be/);
    await expect(buildExport({ dbPath, session: 'all', what: 'bogus' as 'fills' })).rejects.toThrow(/--what must be/);
  });

  it('writes to --out with a BOM, or to stdout without one', async () => {
    let out = '';
    await runExport({ dbPath, session: 'all', what: 'pairs' }, { stdout: (t) => (out += t) });
    expect(out.startsWith('pair_id,')).toBe(true);
    const file = join(dir.dir, 'pairs.csv');
    await runExport({ dbPath, session: 'all', what: 'pairs', out: file }, { stdout: () => undefined });
    expect(readFileSync(file, 'utf8')).toBe(`\uFEFF${out}`);
  });
});

describe('sessions command', () => {
  it('lists sessions with counts and the P&L their trades locked in', async () => {
    const rows = await readSessionSummaries(dbPath);
    expect(rows.map((s) => [s.id, s.opportunities, s.trades, s.realisedPnl, s.tradesPending])).toEqual([
      [1, 1, 1, 1_281_600n, 0],
      [2, HOSTILE.length, 2, -333_333n, 1],
    ]);
    const table = renderSessions(rows);
    expect(table).toMatch(/\$1\.28/);
    expect(table).toMatch(/-\$0\.33 \(\+1\?\)/);
    expect(table).toContain('LOCKED-IN P&L');
    expect(JSON.parse(sessionsJson(rows))[1]).toMatchObject({ id: 2, mode: 'execute', lockedInPnl: '-0.333333', trades: 2 });
    let out = '';
    await runSessions({ dbPath: join(dir.dir, 'none.db'), json: false }, { stdout: (t) => (out += t) });
    expect(out).toBe('No sessions recorded yet.\n');
  });
});
