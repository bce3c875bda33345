/**
 * Composition root, part 4: the trading venues for the mode. Paper mode trades
 * against the books the engine holds through paper venues (the same attempt
 * code as real trading); execute mode uses the real clients with credentials
 * from the keychain or the environment. Monitor mode trades nothing.
 */
import type { AppContext } from './context.js';
import type { VenueId } from '../domain/market.js';
import type { Engine } from '../engine/engine.js';
import { paperVenueStore } from '../engine/execution/paper-store.js';
import type { ArbDatabase } from '../persistence/database.js';
import { PaperVenue } from '../venues/paper/paper-venue.js';
import type { TradingVenue } from '../venues/trading.js';
import { readFile } from 'node:fs/promises';
import { UserError } from '../cli/user-error.js';
import { KALSHI_DEMO_REST } from '../venues/kalshi/settings.js';
import { POLYMARKET_CLOB } from '../venues/polymarket/settings.js';

export type TradingVenues = Readonly<Record<VenueId, TradingVenue>>;

/**
 * Mode combinations that would trade something other than what the person means, refused
 * before anything runs (no database file, no session: found in review, a refused run still
 * recorded an "execute on simulated venues" session):
 * - execute mode on simulated venues (`--demo`);
 * - execute mode with Kalshi on its demo environment (profile `kalshi-demo`) and Polymarket
 *   on its real CLOB: every trade would be a real Polymarket order "hedged" by a simulated
 *   Kalshi fill (found in review).
 */
export function refuseUnsafeModes(ctx: AppContext): void {
  if (ctx.config.mode !== 'execute') return;
  if (ctx.demo) {
    throw new UserError('--demo cannot be combined with execute mode: simulated markets cannot be traded for real (use --mode paper)');
  }
  if (ctx.config.kalshi.restUrl.replace(/\/+$/, '') === KALSHI_DEMO_REST.replace(/\/+$/, '') && ctx.config.polymarket.clobUrl.replace(/\/+$/, '') === POLYMARKET_CLOB) {
    throw new UserError(
      "execute mode with Kalshi on its demo environment (profile kalshi-demo) and Polymarket's real CLOB would send real Polymarket orders hedged by simulated Kalshi fills: use --mode paper, or Kalshi's production API",
    );
  }
}

export async function createTradingVenues(ctx: AppContext, engine: Engine, now: () => number, db: ArbDatabase): Promise<TradingVenues | null> {
  const mode = ctx.config.mode;
  if (mode === 'monitor') return null;
  if (mode === 'paper') {
    // The paper venues keep their orders, fills and positions in this database, so a
    // restart reconciles them like a real venue's.
    const paper = (id: VenueId): PaperVenue =>
      new PaperVenue({
        id,
        bookSource: (marketId) => engine.book(id, marketId),
        now,
        kalshiFeeRounding: ctx.config.kalshi.feeRounding,
        store: paperVenueStore(db, id),
      });
    return { kalshi: paper('kalshi'), polymarket: paper('polymarket') };
  }
  refuseUnsafeModes(ctx);
  // The keychain and credential parsing load only when real orders may be sent.
  const [{ CredentialStore }, { osKeyring }] = await Promise.all([import('../credentials/store.js'), import('../credentials/keyring.js')]);
  const store = new CredentialStore({ keyring: osKeyring(), env: ctx.env, readFile: (path: string) => readFile(path, 'utf8') });
  const [k, p] = await Promise.all([store.loadKalshi(), store.loadPolymarket()]);
  const problems = [k, p].flatMap((r) => (r.ok ? [] : [r.message]));
  if (!k.ok || !p.ok) throw new UserError(`execute mode needs both venues' keys.\n${problems.join('\n')}`);
  // A deposit wallet (POLY_1271) signs orders through EIP-1271: the venue checks a wrapped
  // signature (TypedDataSign over the wallet's domain) that this client does not build, so
  // every order would be refused — after the Kalshi leg may have filled.
  if (p.credentials.signatureType === 3) {
    throw new UserError(
      'Polymarket signature type 3 (deposit wallet, POLY_1271) cannot place orders with arb-tui yet: its orders need an EIP-1271 wrapped signature. Use the wallet key of an EOA (0), proxy (1) or Safe (2) account.',
    );
  }
  // The signing libraries load only when real orders may be sent.
  const [{ KalshiTradingClient, DEFAULT_KALSHI_TRADING_SETTINGS }, { PolymarketTradingClient, DEFAULT_POLYMARKET_TRADING_SETTINGS }] = await Promise.all([
    import('../venues/kalshi/trading.js'),
    import('../venues/polymarket/trading.js'),
  ]);
  const kalshi = new KalshiTradingClient({ ...DEFAULT_KALSHI_TRADING_SETTINGS, restUrl: ctx.config.kalshi.restUrl }, k.credentials, { now });
  const polymarket = await PolymarketTradingClient.connect(
    { ...DEFAULT_POLYMARKET_TRADING_SETTINGS, clobUrl: ctx.config.polymarket.clobUrl },
    p.credentials,
    { now },
  );
  return { kalshi, polymarket };
}
