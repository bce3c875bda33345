/**
 * What the Kalshi trading tests share: an RSA key pair made once per test file,
 * a scaffolding market around a ticker (cent grid, 0.01-contract sizes) and an
 * order intent builder.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Market } from '../../source/domain/market.js';
import type { OrderIntent } from '../../source/venues/trading.js';
import { testMarket } from './market.js';

export const TEST_KEY_ID = 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c';

export function testKeyPair(): { privateKey: KeyObject; publicKey: KeyObject; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

/** A market around `ticker` of the event `eventTicker` in the series `seriesTicker`. */
export function kalshiTradingMarket(ticker: string, eventTicker: string, seriesTicker: string): Market {
  return testMarket('kalshi', {
    id: ticker,
    ref: { venue: 'kalshi', ticker, eventTicker, seriesTicker, exchangeIndex: null },
    eventId: eventTicker,
    eventTitle: 'test',
    title: 'test',
    priceRanges: [{ start: 0n, end: 1_000_000n, step: 10_000n }],
    minOrderSize: 10_000n,
    sizeIncrement: 10_000n,
    fee: { kind: 'unknown', reason: 'test' },
  });
}

/** An order intent builder: buy 1 YES IOC at `limitPrice`, fields overridable. */
export function intentBuilder(market: Market, limitPrice: bigint): (over?: Partial<OrderIntent>) => OrderIntent {
  return (over = {}) => ({
    clientOrderId: crypto.randomUUID(),
    market,
    outcome: 'yes',
    action: 'buy',
    size: 1_000_000n,
    limitPrice,
    timeInForce: 'ioc',
    ...over,
  });
}
