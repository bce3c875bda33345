/**
 * The export's fast paths render exactly what the slow, obvious ones do:
 * our RFC 4180 quoting vs csv-stringify (the library we used before), the
 * per-day cached ISO time vs Date#toISOString, formatE6 vs formatDecimal, and
 * the opportunities record template vs the generic column writer.
 */
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../../source/domain/money.js';
import { csvChunks, csvRecord, dec, formatE6, isoUtc, neutraliseText, toCsv, type CsvColumn } from '../../source/export/csv.js';
import { OPPORTUNITY_COLUMNS, opportunitiesCsv, opportunityRecord } from '../../source/export/session-csv.js';
import type { OpportunityExportRow } from '../../source/persistence/export-queries.js';

const FORMULA_OR_QUOTING = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', '""', ' ', 'é', '🚀', '\uFEFF');
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.array(fc.oneof(FORMULA_OR_QUOTING, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join('')),
);

describe('CSV writer', () => {
  it('is byte-identical to csv-stringify with the options used before (any text, nulls, BOM)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(hostileText, { nil: null }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }),
        fc.boolean(),
        (rows, bom) => {
          const columns: CsvColumn<(string | null)[]>[] = ['a', '=b', 'c,d'].map((header, i) => ({ header, value: (r) => r[i] ?? null }));
          const ours = toCsv(columns, rows, { bom });
          const records = [columns.map((c) => neutraliseText(c.header)), ...rows.map((r) => r.map((c) => (c === null ? '' : neutraliseText(c))))];
          const theirs = stringify(records, { bom, record_delimiter: '\r\n', quote_record_delimiter: true, quoted_match: /[\r\n]/, eof: true });
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('streams in chunks whose concatenation is the document', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => BigInt(i) * 1_000_001n - 7n);
    const columns: CsvColumn<bigint>[] = [{ header: 'v', value: (r) => dec(r) }, { header: 't', value: (r) => `x,${r}` }];
    const chunks = [...csvChunks(columns, rows, { chunkChars: 1000, bom: true })];
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.slice(0, -1).every((c) => c.length >= 1000)).toBe(true);
    expect(chunks.join('')).toBe(toCsv(columns, rows, { bom: true }));
  });
});

describe('isoUtc', () => {
  it('equals Date#toISOString for any millisecond in the Date range, in any order', () => {
    const ms = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
    fc.assert(
      fc.property(fc.array(fc.oneof(ms, fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 3) })), { maxLength: 20 }), (values) => {
        for (const v of values) expect(isoUtc(v)).toBe(new Date(v).toISOString());
      }),
      { numRuns: 500 },
    );
    for (const v of [0, -1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 8_640_000_000_000_000, -8_640_000_000_000_000, 1.5]) {
      expect(isoUtc(v)).toBe(new Date(v).toISOString());
    }
    expect(() => isoUtc(8_640_000_000_000_001)).toThrow(RangeError);
  });
});

describe('formatE6', () => {
  it('equals formatDecimal over the whole 64-bit range', () => {
    const around = (b: bigint) => fc.bigInt({ min: b - 2_000_000n, max: b + 2_000_000n });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
          around(2n ** 53n),
          around(-(2n ** 53n)),
          fc.bigInt({ min: -1000n, max: 1000n }).map((k) => k * 10n ** BigInt(Number(k < 0n ? -k : k) % 7)),
        ),
        (v) => {
          expect(formatE6(v)).toBe(formatDecimal(v));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('opportunityRecord', () => {
  const e6 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -1_000_000_000n, max: 1_000_000_000n }));
  const ms = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
  const side = fc.constantFrom('yes' as const, 'no' as const);
  const row: fc.Arbitrary<OpportunityExportRow> = fc.record({
    id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    sessionId: fc.integer({ min: 1, max: 5 }),
    pairId: fc.integer({ min: 1, max: 3 }),
    firstSeenAt: ms,
    lastSeenAt: ms,
    bestAt: ms,
    bestNetEdge: e6,
    size: e6,
    kalshi: fc.record({ side, price: e6, fee: e6 }),
    polymarket: fc.record({ side, price: e6, fee: e6 }),
    outcome: fc.constantFrom(null, 'expired' as const, 'executed' as const, 'skipped' as const),
    outcomeReason: fc.option(hostileText, { nil: null }),
    closedAt: fc.option(ms, { nil: null }),
    kalshiMarketId: hostileText,
    polymarketMarketId: hostileText,
    kalshiTitle: fc.option(hostileText, { nil: null }),
    polymarketTitle: fc.option(hostileText, { nil: null }),
  });

  it('renders exactly what the generic writer renders from OPPORTUNITY_COLUMNS (hostile text, the whole 64-bit range, nulls, a pair whose titles change)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        // few pair ids and changing titles: the per-pair cache must never serve stale cells
        for (const r of rows) expect(opportunityRecord(r)).toBe(csvRecord(OPPORTUNITY_COLUMNS, r));
        expect(opportunitiesCsv(rows, { bom: true })).toBe(toCsv(OPPORTUNITY_COLUMNS, rows, { bom: true }));
      }),
      { numRuns: 400 },
    );
  });
});
