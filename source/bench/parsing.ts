/**
 * Parser benchmarks (issue 2): a 1,000-market Kalshi events page, a 500-market
 * Gamma events page, and one normalised book from a 100-level ladder on each
 * venue. Pages are built from the recorded fixtures in test/fixtures (one real
 * event, cloned with distinct tickers, ids and token ids), so the parser sees
 * the venues' real field sets. Development only: reads the checkout.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseKalshiEventsPage, feeLookupFromSeries, toKalshiBook } from '../venues/kalshi/parser.js';
import { booksForMarkets, parseGammaEventsPage } from '../venues/polymarket/parser.js';
import { clobBooksSchema } from '../venues/polymarket/schemas.js';
import { bench, formatResult } from './harness.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(`${fixtures}${path}`, 'utf8')) as unknown;
}

type Json = Record<string, unknown>;

function kalshiPage(markets: number, perEvent: number): { body: unknown; marketCount: number } {
  const recorded = readJson('kalshi/prod-recorded/event-with-markets.json') as { event: Json };
  const template = recorded.event;
  const marketTemplate = (template['markets'] as Json[])[0];
  if (!marketTemplate) throw new Error('fixture has no market');
  const events: Json[] = [];
  let made = 0;
  for (let e = 0; made < markets; e += 1) {
    const eventTicker = `KXBENCH-${e}`;
    const nested: Json[] = [];
    for (let m = 0; m < perEvent && made < markets; m += 1, made += 1) {
      nested.push({
        ...marketTemplate,
        ticker: `${eventTicker}-M${m}`,
        event_ticker: eventTicker,
        title: `${String(marketTemplate['title'])} (${e}.${m})`,
        yes_sub_title: `Outcome ${m}`,
      });
    }
    events.push({ ...template, event_ticker: eventTicker, markets: nested });
  }
  return { body: { events, cursor: 'next-page-cursor' }, marketCount: made };
}

function gammaPage(markets: number): { body: unknown; marketCount: number } {
  const recorded = readJson('polymarket/gamma-events.json') as Json[];
  const template = recorded[0];
  if (!template) throw new Error('fixture has no event');
  const templateMarkets = template['markets'] as Json[];
  const events: Json[] = [];
  let made = 0;
  for (let e = 0; made < markets; e += 1) {
    const nested = templateMarkets.slice(0, markets - made).map((m, i) => {
      const n = made + i;
      const hex = n.toString(16).padStart(64, '0');
      return {
        ...m,
        id: String(900_000 + n),
        conditionId: `0x${hex}`,
        clobTokenIds: JSON.stringify([`${10n ** 70n + BigInt(2 * n)}`, `${10n ** 70n + BigInt(2 * n + 1)}`]),
        question: `${String(m['question'])} #${n}`,
      };
    });
    made += nested.length;
    events.push({ ...template, id: String(800_000 + e), markets: nested });
  }
  return { body: events, marketCount: made };
}

function ladder(levels: number, from: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < levels; i += 1) {
    const tenths = from + i * 9; // 0.0001-steps spread over (0, 1)
    out.push([`0.${String(tenths).padStart(4, '0')}`, `${100 + i}.${String(i % 100).padStart(2, '0')}`]);
  }
  return out;
}

export async function runParsingBenchmarks(): Promise<string[]> {
  const lines: string[] = [];
  const series = feeLookupFromSeries(readJson('kalshi/prod-recorded/series-subset.json'));

  const kalshi = kalshiPage(1_000, 10);
  const kalshiText = JSON.stringify(kalshi.body);
  const parsedK = parseKalshiEventsPage(JSON.parse(kalshiText) as unknown, series);
  if (parsedK.markets.length !== kalshi.marketCount) throw new Error(`kalshi bench parsed ${parsedK.markets.length} markets`);
  lines.push(
    formatResult(
      await bench(`Kalshi events page, ${kalshi.marketCount} markets (validate + normalise)`, () => parseKalshiEventsPage(kalshi.body, series), {
        iterations: 30,
        warmup: 5,
      }),
      'ms',
    ),
    formatResult(
      await bench(`  same, including JSON.parse of ${(kalshiText.length / 1024 / 1024).toFixed(1)} MB`, () => parseKalshiEventsPage(JSON.parse(kalshiText), series), {
        iterations: 30,
        warmup: 5,
      }),
      'ms',
    ),
  );

  const gamma = gammaPage(500);
  const gammaText = JSON.stringify(gamma.body);
  const parsedG = parseGammaEventsPage(JSON.parse(gammaText) as unknown);
  if (parsedG.length !== gamma.marketCount) throw new Error(`gamma bench parsed ${parsedG.length} markets`);
  lines.push(
    formatResult(
      await bench(`Gamma events page, ${gamma.marketCount} markets (validate + normalise)`, () => parseGammaEventsPage(gamma.body), {
        iterations: 30,
        warmup: 5,
      }),
      'ms',
    ),
    formatResult(
      await bench(`  same, including JSON.parse of ${(gammaText.length / 1024 / 1024).toFixed(1)} MB`, () => parseGammaEventsPage(JSON.parse(gammaText)), {
        iterations: 30,
        warmup: 5,
      }),
      'ms',
    ),
  );

  const kBook = { yes_dollars: ladder(100, 10), no_dollars: ladder(100, 15) };
  lines.push(
    formatResult(
      await bench('Kalshi book, 100 bid levels per side -> asks', () => toKalshiBook('KXBENCH-0-M0', kBook, 0, 'bench', 'orderbook_fp'), {
        iterations: 5_000,
        warmup: 500,
      }),
      'us',
    ),
  );

  const market = parsedG[0];
  if (!market || market.ref.venue !== 'polymarket') throw new Error('no polymarket market to book');
  const tokenBook = (asset: string) => ({
    market: market.id,
    asset_id: asset,
    timestamp: '1779000000000',
    hash: 'bench',
    bids: ladder(100, 10).map(([price, size]) => ({ price, size })),
    asks: ladder(100, 15).map(([price, size]) => ({ price, size })).reverse(),
    min_order_size: '5',
    tick_size: '0.0001',
    neg_risk: false,
  });
  const rawBooks = [tokenBook(market.ref.yesTokenId), tokenBook(market.ref.noTokenId)];
  const books = clobBooksSchema.parse(rawBooks);
  lines.push(
    formatResult(
      await bench('Polymarket book, 100 ask levels per token -> asks', () => booksForMarkets(books, [market], 0), {
        iterations: 5_000,
        warmup: 500,
      }),
      'us',
    ),
    formatResult(
      await bench('  same, including schema validation', () => booksForMarkets(clobBooksSchema.parse(rawBooks), [market], 0), {
        iterations: 5_000,
        warmup: 500,
      }),
      'us',
    ),
  );
  return lines;
}
