/**
 * The monitor loop: catalogs -> matcher -> registry -> books -> detector ->
 * store and events. One instance per process; the Ink UI and the headless
 * runner drive the same engine.
 *
 * - Catalogs are re-read every `catalogIntervalMs` (each venue on its own, so
 *   one venue failing never stops the other); the matcher is incremental.
 * - Matcher proposals scoring at least `minMatchConfidence` are listed as
 *   candidates for a person to approve or reject.
 * - The markets of the pairs evaluated get what listings leave out (the venue's
 *   `detailMarkets`: Polymarket's CLOB fee, tick and minimum size) after each
 *   listing: approved pairs' before their books are read, candidates' meanwhile.
 * - Books of approved pairs' markets every `booksIntervalMs`, of candidate
 *   pairs (confidence at least `minPairConfidence`) every
 *   `candidateBooksIntervalMs`, through the venues' batched endpoints; those
 *   candidates' opportunities are shown, not tradable until approved.
 * - Opportunities are episodes keyed by pair + direction: opened, updated when
 *   a figure changes, closed when gone.
 * Time and timers are injected.
 */
import { setMaxListeners } from 'node:events';
import type { Market, VenueId } from '../domain/market.js';
import { minimumPairSize } from '../domain/arbitrage.js';
import { formatDecimal, SCALE, type Size } from '../domain/money.js';
import type { OrderBook } from '../domain/order-book.js';
import type { MatchCandidate } from '../matching/candidate.js';
import { marketFingerprint, pairKey, shortPairKey, splitPairKey } from '../matching/candidate.js';
import { DEFAULT_MIN_CONFIDENCE, Matcher } from '../matching/matcher.js';
import type { LogEntry, PairStatus, PairView, Store, VenueState, VenueStatus } from '../store/store.js';
import { isVenueError, RetryableVenueError } from '../venues/errors.js';
import type { MarketDataVenue } from '../venues/venue.js';
import { detectPair, type AccountLimits, type DetectorPair, type DetectorSettings, type Opportunity } from './detector.js';
import { noLongerOpenReason, type DecidedBy, type PairRegistry, type RegistryInput, type Verdict } from './registry.js';

export interface PresetPair {
  readonly kalshiTicker: string;
  readonly polymarketConditionId: string;
  readonly relation: 'same' | 'inverse';
  readonly decidedBy: Extract<DecidedBy, 'config' | 'demo'>;
  readonly note: string | null;
}

export interface EngineSettings {
  readonly catalogIntervalMs: number;
  readonly booksIntervalMs: number;
  readonly candidateBooksIntervalMs: number;
  /** Matcher proposals at or above this confidence (0..1) are listed as candidates (default: the matcher's own floor). */
  readonly minMatchConfidence?: number;
  /** Candidates at or above this confidence (0..1) get books and are evaluated (not tradable). */
  readonly minPairConfidence: number;
  readonly detector: DetectorSettings;
  /** Pairs approved up front (config list, demo plants). */
  readonly presetPairs: readonly PresetPair[];
}

export type EngineEvent =
  | { readonly type: 'venue-status'; readonly status: VenueStatus }
  | { readonly type: 'pair-proposed'; readonly pair: PairView }
  | { readonly type: 'pair-status'; readonly pair: PairView; readonly previous: PairStatus; readonly decidedBy: DecidedBy; readonly reason: string | null }
  | { readonly type: 'opportunity-opened' | 'opportunity-updated'; readonly opportunity: Opportunity }
  | { readonly type: 'opportunity-closed'; readonly opportunity: Opportunity; readonly reason: string }
  | { readonly type: 'log'; readonly entry: LogEntry };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The trading account's limits as of now (paper and execute modes): called once per
 * detection pass, it answers per pair what the account can pay for.
 */
export type AccountView = () => (kalshi: Market, polymarket: Market) => AccountLimits;

export interface EngineDeps {
  readonly venues: Readonly<Record<VenueId, MarketDataVenue>>;
  readonly store: Store;
  readonly registry: PairRegistry;
  readonly settings: EngineSettings;
  readonly now: () => number;
  readonly timers?: Timers;
  readonly matcher?: Matcher;
  /** Every event, in order (NDJSON writer, database recorder). */
  readonly onEvent?: (event: EngineEvent) => void;
}

interface PairState {
  readonly view: PairView;
  readonly kalshi: Market;
  readonly polymarket: Market;
  readonly input: RegistryInput;
}

/** Do two views of a pair read the same (the same markets, status, relation, confidence and texts)? */
function sameView(a: PairView, b: PairView): boolean {
  return (
    a.key === b.key &&
    a.kalshi === b.kalshi &&
    a.polymarket === b.polymarket &&
    a.relation === b.relation &&
    a.polymarketOutcome === b.polymarketOutcome &&
    a.status === b.status &&
    a.confidence === b.confidence &&
    sameTexts(a.reasons, b.reasons) &&
    sameTexts(a.warnings, b.warnings)
  );
}

function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

const VENUES: readonly VenueId[] = ['kalshi', 'polymarket'];
/** Markets handed to the matcher between two turns of the event loop (~50–100 ms of reading). */
export const MATCH_SLICE = 2_000;

/**
 * A catalog in slices of about `size` markets, each ending at an event boundary (no
 * event read twice); the whole list itself when it is one slice.
 */
export function* eventSlices(markets: readonly Market[], size: number): Generator<readonly Market[]> {
  let from = 0;
  while (from < markets.length) {
    let to = Math.min(markets.length, from + size);
    while (to < markets.length && markets[to]?.eventId === markets[to - 1]?.eventId) to += 1;
    yield from === 0 && to === markets.length ? markets : markets.slice(from, to);
    from = to;
  }
}

/** A pair's market on `venue`. */
function marketOf(p: PairState, venue: VenueId): Market {
  return venue === 'kalshi' ? p.kalshi : p.polymarket;
}

/** An error as the log and the venue status say it: a venue's own description, else its message. */
function errorText(error: unknown): string {
  return isVenueError(error) ? error.describe() : (error as Error).message;
}

/** The direction suffixes of opportunity ids (`${pairKey}#${first}-${second}`). */
const DIRECTION_IDS = ['yes-no', 'no-yes', 'yes-yes', 'no-no'] as const;

function* pairsOf(pairs: ReadonlyMap<string, PairState>, keys: ReadonlySet<string>): Generator<PairState> {
  for (const k of keys) {
    const p = pairs.get(k);
    if (p) yield p;
  }
}

/** The longest wait before a failed rematch is tried again. */
const REMATCH_RETRY_MAX_MS = 60_000;

/** The longest a venue's Retry-After keeps the engine from calling it. */
const LONGEST_QUIET_MS = 15 * 60_000;

/** What a failed venue request says about the venue: no answer, too many requests, or an answer we cannot use. */
function venueStateOf(error: unknown): VenueState {
  if (error instanceof RetryableVenueError) {
    if (error.reason === 'rate-limited') return 'rate-limited';
    if (error.reason === 'network' || error.reason === 'timeout') return 'unreachable';
  }
  return 'error';
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function confidenceE6(c: number): bigint {
  return BigInt(Math.round(Math.min(1, Math.max(0, c)) * 1_000_000));
}

/** Did a figure a trader sees change? */
function sameFigures(a: Opportunity, b: Opportunity): boolean {
  return (
    a.size === b.size &&
    a.netProfit === b.netProfit &&
    a.totalCost === b.totalCost &&
    a.tradable === b.tradable &&
    a.legs[0].worstPrice === b.legs[0].worstPrice &&
    a.legs[1].worstPrice === b.legs[1].worstPrice &&
    a.notTradable.join() === b.notTradable.join()
  );
}

export class Engine {
  private readonly deps: EngineDeps;
  private readonly timers: Timers;
  private readonly matcher: Matcher;
  private readonly markets: Record<VenueId, Map<string, Market>> = { kalshi: new Map(), polymarket: new Map() };
  private readonly books: Record<VenueId, Map<string, OrderBook>> = { kalshi: new Map(), polymarket: new Map() };
  private pairs = new Map<string, PairState>();
  /** "venue:marketId" -> keys of the pairs using that market. */
  private pairsOfMarket = new Map<string, Set<string>>();
  private readonly open = new Map<string, Opportunity>();
  private readonly handles = new Map<string, unknown>();
  private readonly failures: Record<string, number> = {};
  private readonly catalogLoaded: Record<VenueId, boolean> = { kalshi: false, polymarket: false };
  /** Waiters for a venue's first catalog (`catalogReady`), released when it loads or the engine stops. */
  private readonly catalogWaiters: Record<VenueId, Array<() => void>> = { kalshi: [], polymarket: [] };
  /** No request to a venue before this time (ms): what its last Retry-After asked for. */
  private readonly quietUntil: Record<VenueId, number> = { kalshi: 0, polymarket: 0 };
  private stopped = false;
  /** Whether approvals the lists (config, demo) no longer give have been revoked (at the first rematch). */
  private unlistedChecked = false;
  /** `minPairConfidence` at scale 10^6, as pair views hold confidences. */
  private readonly minPairE6: bigint;
  /** What the trading account can pay for (`setAccount`), read once per detection pass. */
  private account: AccountView | null = null;
  /** Keys of the pairs whose approval is being revoked now (a market left its catalog). */
  private readonly revoking = new Set<string>();
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  /** the candidates' details being read in the background, and whether another pass was asked for meanwhile */
  private detailingCandidates: Promise<void> | null = null;
  private detailCandidatesAgain = false;

  constructor(deps: EngineDeps) {
    this.deps = deps;
    // every request in flight listens on this one signal (both venues, books, lookups):
    // more than Node's default of 10 is expected, and its warning would print over the screen
    setMaxListeners(0, this.controller.signal);
    this.minPairE6 = confidenceE6(deps.settings.minPairConfidence);
    this.timers = deps.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    this.matcher = deps.matcher ?? new Matcher();
  }

  /** Current pairs (for the UI actions and tests). */
  pair(key: string): PairView | undefined {
    return this.pairs.get(key)?.view;
  }

  opportunity(id: string): Opportunity | undefined {
    return this.open.get(id);
  }

  /** The opportunities open now. */
  openOpportunities(): Opportunity[] {
    return [...this.open.values()];
  }

  /** The latest book held for a market (paper fills and execution read it). */
  book(venue: VenueId, marketId: string): OrderBook | undefined {
    return this.books[venue].get(marketId);
  }

  /** The market as last listed by its venue. */
  market(venue: VenueId, marketId: string): Market | undefined {
    return this.markets[venue].get(marketId);
  }

  /**
   * The market as last listed, with what the listing leaves out (`detailMarkets`): for
   * orders on a market no evaluated pair may hold (reconciliation, unwinds), which need
   * its tick and neg-risk. When the details cannot be read: the market as listed, said in the log.
   */
  async detailedMarket(venue: VenueId, marketId: string): Promise<Market | undefined> {
    const source = this.deps.venues[venue];
    const listed = this.markets[venue].get(marketId);
    if (listed === undefined || source.detailMarkets === undefined) return listed;
    try {
      const [m] = await source.detailMarkets([listed], this.controller.signal);
      if (m === undefined) return listed;
      if (m !== listed && this.markets[venue].get(marketId) === listed) this.markets[venue].set(marketId, m);
      return m;
    } catch (error) {
      this.log('warn', `${venue} market details of ${marketId}: ${errorText(error)}`);
      return listed;
    }
  }

  /**
   * Resolves once the venue's catalog has loaded (at once when it has), or when the
   * engine stops: start-up reconciliation waits on it before it looks a market up.
   */
  catalogReady(venue: VenueId): Promise<void> {
    if (this.catalogLoaded[venue] || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.catalogWaiters[venue].push(resolve));
  }

  private releaseCatalogWaiters(venue: VenueId): void {
    const waiters = this.catalogWaiters[venue].splice(0);
    for (const release of waiters) release();
  }

  // ------------------------------------------------------------------ lifecycle

  /** One full cycle: both catalogs, match, all books, detect. */
  async runOnce(): Promise<Opportunity[]> {
    await Promise.all(VENUES.map((v) => this.refreshCatalog(v)));
    await this.rematch();
    await this.detailWatched('approved');
    await this.detailWatched('candidates');
    await this.refreshBooks('all');
    return [...this.open.values()];
  }

  /** Start the loops: a first full cycle, then each refresh on its own interval. */
  start(): void {
    const first = this.track(
      (async () => {
        await Promise.all(VENUES.map((v) => this.refreshCatalog(v)));
        await this.rematchOrRetry();
        await this.detailWatched('approved');
        this.detailCandidatesLater();
        await this.refreshBooks('all');
      })(),
    );
    // A failure of the first cycle (a save that failed while a pair was approved, …) is logged
    // and the loops start anyway; left to `finally` it was an unhandled rejection (a crash).
    void first
      .catch((error: unknown) => this.log('error', `first cycle: ${(error as Error).message}`))
      .finally(() => {
        if (this.stopped) return;
        for (const v of VENUES) this.schedule(`catalog:${v}`, this.deps.settings.catalogIntervalMs, async () => {
          await this.refreshCatalog(v);
          await this.rematchOrRetry();
          await this.detailWatched('approved');
          this.detailCandidatesLater();
        });
        this.schedule('books:approved', this.deps.settings.booksIntervalMs, () => this.refreshBooks('approved'));
        this.schedule('books:candidates', this.deps.settings.candidateBooksIntervalMs, () => this.refreshBooks('candidates'));
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    this.releaseCatalogWaiters('kalshi');
    this.releaseCatalogWaiters('polymarket');
    for (const h of this.handles.values()) this.timers.clearTimeout(h);
    this.handles.clear();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Rematch; when it fails (a save refused: disk full, file made read-only), try again soon
   * (1 s, doubling, at most a minute) rather than at the next catalog read minutes later: the
   * pairs, and so every opportunity, wait on it (found in review: a failed first cycle left
   * the screen at 0 pairs for five minutes after the disk recovered).
   */
  private async rematchOrRetry(): Promise<void> {
    try {
      await this.rematch();
      this.failures['rematch'] = 0;
    } catch (error) {
      if (this.stopped) return;
      const failures = (this.failures['rematch'] = (this.failures['rematch'] ?? 0) + 1);
      const delay = Math.min(REMATCH_RETRY_MAX_MS, 1_000 * 2 ** Math.min(6, failures - 1));
      this.log('error', `pairs could not be updated (${(error as Error).message}): trying again in ${Math.round(delay / 1000)} s`);
      if (!this.handles.has('rematch:retry')) {
        this.handles.set(
          'rematch:retry',
          this.timers.setTimeout(() => {
            this.handles.delete('rematch:retry');
            if (!this.stopped) void this.track(this.rematchOrRetry()).catch(() => undefined);
          }, delay),
        );
      }
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  private schedule(name: string, intervalMs: number, task: () => Promise<void>): void {
    if (this.stopped) return;
    const delay = this.failures[name] ? Math.min(intervalMs, 1_000 * 2 ** Math.min(6, this.failures[name] ?? 0)) : intervalMs;
    this.handles.set(
      name,
      this.timers.setTimeout(() => {
        this.handles.delete(name);
        void this.track(task())
          .catch((error: unknown) => this.log('error', `${name}: ${(error as Error).message}`))
          .finally(() => this.schedule(name, intervalMs, task));
      }, delay),
    );
  }

  // ------------------------------------------------------------------ catalogs

  private setVenue(venue: VenueId, patch: Partial<VenueStatus>): void {
    let next: VenueStatus | undefined;
    this.deps.store.update((d) => {
      next = { ...d.venues[venue], ...patch, traffic: this.deps.venues[venue].traffic() };
      d.venues[venue] = next;
    });
    if (next) this.emit({ type: 'venue-status', status: next });
  }

  private venueFailure(venue: VenueId, task: string, error: unknown, retryInMs: number): void {
    const message = errorText(error);
    const now = this.deps.now();
    // A venue that said when to come back (Retry-After) is left alone until then, by every task
    // (at most 15 minutes: a date far ahead in a bad header must not silence it for good).
    const asked = error instanceof RetryableVenueError ? Math.min(error.retryAfterMs ?? 0, LONGEST_QUIET_MS) : 0;
    if (now + asked > this.quietUntil[venue]) this.quietUntil[venue] = now + asked;
    this.setVenue(venue, {
      state: venueStateOf(error),
      detail: message,
      nextRetryAt: Math.max(now + retryInMs, this.quietUntil[venue]),
    });
    this.log('warn', `${venue} ${task}: ${message}`);
  }

  /**
   * The listing with the details of the markets that trade (approved pairs', and pairs the
   * config lists, approved on the next rematch) read before anything evaluates them: a
   * market newly listed for an approved pair never reaches the books on the listing's
   * figures alone. Unreadable details leave the listing as it is (said in the log; the
   * details pass after the rematch tries again).
   */
  private async withApprovedDetails(venue: VenueId, markets: Market[]): Promise<Market[]> {
    const source = this.deps.venues[venue];
    if (source.detailMarkets === undefined) return markets;
    const trading = new Set<string>();
    for (const p of this.pairs.values()) if (p.view.status === 'approved') trading.add(marketOf(p, venue).id);
    for (const p of this.deps.settings.presetPairs) trading.add(venue === 'kalshi' ? p.kalshiTicker : p.polymarketConditionId);
    const at: number[] = [];
    markets.forEach((m, i) => {
      if (trading.has(m.id)) at.push(i);
    });
    if (at.length === 0) return markets;
    try {
      const detailed = await source.detailMarkets(at.map((i) => markets[i] as Market), this.controller.signal);
      const out = markets.slice();
      at.forEach((i, n) => {
        const m = detailed[n];
        if (m !== undefined) out[i] = m;
      });
      return out;
    } catch (error) {
      if (!this.stopped) this.log('warn', `${venue} market details: ${errorText(error)}`);
      return markets;
    }
  }

  /** Whether the venue asked (Retry-After) not to be called yet. */
  private quiet(venue: VenueId): boolean {
    return this.deps.now() < this.quietUntil[venue];
  }

  async refreshCatalog(venue: VenueId): Promise<void> {
    const name = `catalog:${venue}`;
    if (this.quiet(venue)) return;
    try {
      const markets = await this.withApprovedDetails(venue, await this.deps.venues[venue].listMarkets({ signal: this.controller.signal }));
      if (this.stopped) return;
      const next = new Map(markets.map((m) => [m.id, m]));
      const gone = [...this.markets[venue].keys()].filter((id) => !next.has(id));
      for (const id of gone) {
        this.matcher.remove(venue, id);
        this.books[venue].delete(id);
      }
      await this.upsertInSlices(markets);
      if (this.stopped) return;
      this.markets[venue] = next;
      this.catalogLoaded[venue] = true;
      this.releaseCatalogWaiters(venue);
      this.failures[name] = 0;
      this.setVenue(venue, { state: 'live', detail: null, nextRetryAt: null, lastUpdate: this.deps.now(), marketCount: next.size });
    } catch (error) {
      if (this.stopped) return;
      this.failures[name] = (this.failures[name] ?? 0) + 1;
      this.venueFailure(venue, 'catalog', error, Math.min(this.deps.settings.catalogIntervalMs, 1_000 * 2 ** Math.min(6, this.failures[name] ?? 1)));
    }
  }

  /**
   * Hand a catalog to the matcher a slice of whole events at a time, letting
   * the event loop run between slices: the first pass over a live catalog reads
   * tens of thousands of markets, and the screen and the keys must stay alive
   * meanwhile. The matcher is incremental: a pair is found whichever slice brings its markets.
   */
  private async upsertInSlices(markets: readonly Market[]): Promise<void> {
    let first = true;
    for (const slice of eventSlices(markets, MATCH_SLICE)) {
      if (!first) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.stopped) return;
      }
      first = false;
      this.matcher.upsert(slice);
      this.reportReadAhead();
    }
  }

  /** Whether the matcher's reader thread stopping has been logged (once per engine). */
  private readAheadReported = false;

  /** Log, once, that the matcher's reader thread stopped: matching goes on, on this thread. */
  private reportReadAhead(): void {
    const failure = this.matcher.readAheadFailure;
    if (failure === null || this.readAheadReported) return;
    this.readAheadReported = true;
    this.log('warn', `matching: ${failure}; markets are read on the main thread from now on (slower, same pairs)`);
  }

  // ------------------------------------------------------------------ pairs

  private presetCandidates(): Array<{ preset: PresetPair; kalshi: Market; polymarket: Market }> {
    const out: Array<{ preset: PresetPair; kalshi: Market; polymarket: Market }> = [];
    for (const preset of this.deps.settings.presetPairs) {
      const kalshi = this.markets.kalshi.get(preset.kalshiTicker);
      const polymarket = this.markets.polymarket.get(preset.polymarketConditionId);
      if (kalshi && polymarket) out.push({ preset, kalshi, polymarket });
    }
    return out;
  }

  /**
   * Approvals the config or the demo gave to pairs this run's lists no longer name are revoked
   * back to candidate (persisted, logged): a pair removed from `[[pairs]]` stops trading until
   * it is listed or approved again. Once per engine (the lists do not change while it runs).
   * Returns the reasons by pair key, for the pairs' warnings.
   */
  private async revokeUnlisted(): Promise<ReadonlyMap<string, string>> {
    if (this.unlistedChecked) return new Map();
    // set before the writes (two rematches at once must not revoke twice), cleared when one fails: tried again next time
    this.unlistedChecked = true;
    const listed = new Set(this.deps.settings.presetPairs.map((p) => pairKey(p.kalshiTicker, p.polymarketConditionId)));
    let revoked: Verdict[];
    try {
      revoked = await this.deps.registry.revokeUnlisted(listed);
    } catch (error) {
      this.unlistedChecked = false;
      throw error;
    }
    for (const v of revoked) this.log('warn', `${v.reason ?? 'approval revoked'} (${shortPairKey(v.key)})`);
    return new Map(revoked.map((v) => [v.key, v.reason ?? 'approval revoked']));
  }

  /** Listed pairs whose relation the matcher reads the other way round, already said in the log. */
  private readonly relationWarned = new Set<string>();

  /** Turn the matcher's proposals and the preset pairs into pairs with statuses. */
  async rematch(): Promise<void> {
    if (this.stopped) return;
    const unlisted = await this.revokeUnlisted();
    const next = new Map<string, PairState>();
    const proposals: MatchCandidate[] = this.matcher.proposals(this.minMatchConfidence());
    const byKey = new Map(proposals.map((c) => [c.key, c]));
    for (const { preset, kalshi, polymarket } of this.presetCandidates()) {
      const key = pairKey(preset.kalshiTicker, preset.polymarketConditionId);
      const input: RegistryInput = { key, relation: preset.relation, fingerprint: { kalshi: marketFingerprint(kalshi), polymarket: marketFingerprint(polymarket) } };
      await this.deps.registry.approveListed(input, preset.decidedBy, preset.note ?? `listed in ${preset.decidedBy}`);
      const fromMatcher = byKey.get(key);
      byKey.delete(key);
      const outcome = preset.relation === 'same' ? polymarket.yesLabel : polymarket.noLabel;
      // the person's relation stands (it is theirs to decide), but a matcher that reads the
      // pair the other way round is said on the pair and in the log: a wrong relation is a naked bet
      const disagreement =
        fromMatcher !== undefined && fromMatcher.relation !== 'different' && fromMatcher.relation !== preset.relation
          ? `relation: ${preset.decidedBy} says ${preset.relation}, the matcher reads ${fromMatcher.relation} (Polymarket "${fromMatcher.polymarketOutcome ?? '?'}" pays with Kalshi YES): check the rules before trading`
          : null;
      if (disagreement !== null && !this.relationWarned.has(key)) {
        this.relationWarned.add(key);
        this.log('warn', `${disagreement} (${shortPairKey(key)})`);
      }
      next.set(key, await this.pairState(input, kalshi, polymarket, {
        polymarketOutcome: outcome || (preset.relation === 'same' ? 'first outcome' : 'second outcome'),
        confidence: fromMatcher?.confidence ?? 1,
        reasons: fromMatcher?.reasons ?? [`approved up front (${preset.decidedBy})`],
        warnings: [...(disagreement === null ? [] : [disagreement]), ...(fromMatcher?.warnings ?? [])],
      }));
    }
    for (const c of byKey.values()) {
      if (c.relation === 'different') continue;
      const kalshi = this.markets.kalshi.get(c.kalshiTicker);
      const polymarket = this.markets.polymarket.get(c.polymarketConditionId);
      if (!kalshi || !polymarket) continue;
      const input: RegistryInput = { key: c.key, relation: c.relation, fingerprint: c.fingerprint };
      next.set(c.key, await this.pairState(input, kalshi, polymarket, {
        polymarketOutcome: c.polymarketOutcome ?? '',
        confidence: c.confidence,
        reasons: c.reasons,
        warnings: c.warnings,
      }, unlisted.get(c.key) ?? null));
    }
    const before = this.pairs;
    await this.approvedLeftOut(next, before);
    // a pair that reads as it did keeps its view: the store then lists the same pairs, and the
    // UI keeps what it derived from them (their order, the Pairs filter's texts)
    for (const [key, state] of next) {
      const prev = before.get(key);
      if (prev !== undefined && prev.view !== state.view && sameView(prev.view, state.view)) next.set(key, { ...state, view: prev.view });
    }
    this.pairs = next;
    const index = new Map<string, Set<string>>();
    for (const [key, st] of next) {
      for (const id of [`kalshi:${st.kalshi.id}`, `polymarket:${st.polymarket.id}`]) {
        let set = index.get(id);
        if (!set) index.set(id, (set = new Set()));
        set.add(key);
      }
    }
    this.pairsOfMarket = index;
    for (const [key, state] of next) {
      const prev = before.get(key);
      if (!prev) this.emit({ type: 'pair-proposed', pair: state.view });
    }
    this.deps.store.update((d) => {
      // in place: only what changed is set or deleted (an unchanged rematch changes nothing)
      const pairs = d.pairs;
      for (const key of [...pairs.keys()]) if (!next.has(key)) pairs.delete(key);
      for (const [key, state] of next) if (pairs.get(key) !== state.view) pairs.set(key, state.view);
    });
    // Opportunities of pairs that left or changed status are re-evaluated now.
    this.detectAll();
  }

  /**
   * Whether the venue's catalog has been read (successfully, and not empty) in this run: only
   * then does a market missing from it say anything. A catalog that could not be read keeps the
   * last one read; one never read, or read empty (a venue always lists some open market), says
   * nothing about a market.
   */
  private catalogKnown(venue: VenueId): boolean {
    return this.catalogLoaded[venue] && this.markets[venue].size > 0;
  }

  /**
   * Approved pairs neither a list nor the matcher brought this time (added to `next`, or revoked).
   * - A market of the pair is no longer in its venue's catalog (the venues list open markets only:
   *   it closed, was paused, settled or delisted): a change of status, so the approval is revoked
   *   back to candidate (persisted with who, when and why), with a warning, the pair-status event
   *   (when the pair was shown in this run) and a log line. The pair leaves the list.
   * - Both markets are listed, the matcher just does not propose the pair (a higher minimum
   *   confidence, another pairing preferred, the matcher reads it otherwise now): a person approved
   *   it, so it stays approved, shown and traded, on the relation it was approved with; its
   *   markets are still checked (a changed title, rules, close time or relation revokes it).
   * - A catalog not read yet in this run: nothing is known, nothing is done (the pair is not shown).
   */
  private async approvedLeftOut(next: Map<string, PairState>, before: ReadonlyMap<string, PairState>): Promise<void> {
    for (const v of this.deps.registry.approved()) {
      if (next.has(v.key) || this.stopped) continue;
      const ids = splitPairKey(v.key);
      if (!ids) continue;
      const kalshi = this.markets.kalshi.get(ids.kalshi);
      const polymarket = this.markets.polymarket.get(ids.polymarket);
      const gone: Array<{ venue: VenueId; marketId: string }> = [];
      if (!kalshi && this.catalogKnown('kalshi')) gone.push({ venue: 'kalshi', marketId: ids.kalshi });
      if (!polymarket && this.catalogKnown('polymarket')) gone.push({ venue: 'polymarket', marketId: ids.polymarket });
      if (gone.length > 0) {
        // (two rematches at once, one per catalog: one revocation, not two)
        if (this.revoking.has(v.key)) continue;
        this.revoking.add(v.key);
        let revoked: Verdict | null;
        try {
          revoked = await this.deps.registry.revoke(v.key, noLongerOpenReason(gone));
        } finally {
          this.revoking.delete(v.key);
        }
        if (!revoked) continue;
        const reason = revoked.reason ?? 'approval revoked';
        this.log('warn', `${reason} (${shortPairKey(v.key)})`);
        const shown = before.get(v.key);
        if (shown) {
          const view: PairView = { ...shown.view, status: 'candidate', warnings: [...shown.view.warnings, reason] };
          this.emit({ type: 'pair-status', pair: view, previous: 'approved', decidedBy: 'engine', reason });
        }
        continue;
      }
      if (!kalshi || !polymarket) continue;
      const explained = this.matcher.explain(kalshi.id, polymarket.id);
      const read = explained && explained.relation !== 'different' ? explained : null;
      // The matcher's reading of the relation, when it has one, is checked against the approval's
      // (a flip revokes it, as for a proposed pair); when it reads the markets as different, the
      // approval stands on its own relation and the matcher's objections are shown.
      const relation = read ? (read.relation as 'same' | 'inverse') : v.relation;
      if (!relation) continue;
      const input: RegistryInput = { key: v.key, relation, fingerprint: { kalshi: marketFingerprint(kalshi), polymarket: marketFingerprint(polymarket) } };
      const min = this.minMatchConfidence();
      const why = !read
        ? `the matcher does not pair these markets${explained && explained.vetoes.length > 0 ? ` (${explained.vetoes.join('; ')})` : ''}`
        : read.confidence < min
          ? `the matcher's confidence (${percent(read.confidence)}) is below the minimum (${percent(min)})`
          : 'the matcher pairs one of its markets with another market';
      const outcome = relation === 'same' ? polymarket.yesLabel : polymarket.noLabel;
      const state = await this.pairState(input, kalshi, polymarket, {
        polymarketOutcome: read?.polymarketOutcome || outcome || (relation === 'same' ? 'first outcome' : 'second outcome'),
        confidence: explained?.confidence ?? 0,
        reasons: read?.reasons ?? [`approved (${v.decidedBy})`],
        warnings: read?.warnings ?? [],
      });
      // (revoked just now, it is shown this once with the reason, as a proposed pair would be)
      const kept = state.view.status === 'approved' ? `not proposed by the matcher (${why}): kept, approved by ${v.decidedBy}` : null;
      next.set(v.key, kept ? { ...state, view: { ...state.view, warnings: [...state.view.warnings, kept] } } : state);
    }
  }

  private async pairState(
    input: RegistryInput,
    kalshi: Market,
    polymarket: Market,
    info: { polymarketOutcome: string; confidence: number; reasons: readonly string[]; warnings: readonly string[] },
    /** Set when the approval was just revoked because no list names the pair any more (logged already). */
    unlisted: string | null = null,
  ): Promise<PairState> {
    const resolved = await this.deps.registry.resolve(input);
    const revoked = resolved.revoked ?? unlisted;
    const warnings = revoked ? [...info.warnings, revoked] : info.warnings;
    const view: PairView = {
      key: input.key,
      kalshi,
      polymarket,
      relation: input.relation,
      polymarketOutcome: info.polymarketOutcome,
      status: resolved.status,
      confidence: confidenceE6(info.confidence),
      reasons: info.reasons,
      warnings,
    };
    if (resolved.revoked) this.log('warn', `${resolved.revoked} (${shortPairKey(input.key)})`);
    if (revoked) this.emit({ type: 'pair-status', pair: view, previous: 'approved', decidedBy: 'engine', reason: revoked });
    return { view, kalshi, polymarket, input };
  }

  /** A person's decision on a pair (from the UI or a command). */
  async decide(key: string, status: 'approved' | 'rejected', note: string | null = null): Promise<PairView> {
    const state = this.pairs.get(key);
    if (!state) throw new Error(`no pair ${key}`);
    if (status === 'approved') await this.deps.registry.approve(state.input, 'user', note);
    else await this.deps.registry.reject(state.input, 'user', note);
    const view: PairView = { ...state.view, status };
    this.pairs.set(key, { ...state, view });
    this.deps.store.update((d) => {
      d.pairs.set(key, view);
    });
    this.emit({ type: 'pair-status', pair: view, previous: state.view.status, decidedBy: 'user', reason: note });
    this.log('info', `${status} by user: ${shortPairKey(key)}${note ? ` (${note})` : ''}`);
    // an approved pair trades: its markets' details first (their candidates' pass may not
    // have reached them), then its opportunities
    if (status === 'approved') {
      try {
        await this.track(this.detailWatched('approved'));
      } catch (error) {
        this.log('error', `market details: ${(error as Error).message}`);
      }
    }
    this.detectAll();
    return view;
  }

  // ------------------------------------------------------------------ market details

  /**
   * What the listings leave out of the markets of the evaluated pairs (Polymarket: the
   * CLOB's fee, tick and minimum size, told one market per request: `detailMarkets`),
   * then the pairs again when a market changed. Approved pairs' markets are read before
   * their books (they trade); candidates' in the background (`detailCandidatesLater`:
   * thousands of lookups at the venue's rate limit must not hold the books back; until
   * then a candidate is shown from the listing, never tradable). A venue that fails here
   * keeps its markets as listed (their fee from the listing, else unknown: never zero)
   * and is asked again after its next listing.
   */
  private async detailWatched(which: 'approved' | 'candidates'): Promise<void> {
    if (this.stopped) return;
    const watched = this.watched(which);
    if (watched.length === 0) return;
    let changed = false;
    for (const venue of VENUES) {
      const source = this.deps.venues[venue];
      if (source.detailMarkets === undefined || this.quiet(venue)) continue;
      const markets = [...new Set(watched.map((p) => marketOf(p, venue)))];
      const listed = this.markets[venue];
      let detailed: Market[];
      try {
        detailed = await source.detailMarkets(markets, this.controller.signal);
      } catch (error) {
        if (this.stopped) return;
        this.venueFailure(venue, 'market details', error, this.deps.settings.catalogIntervalMs);
        continue;
      }
      if (this.stopped) return;
      // listed again meanwhile: the new listing carries the facts just read (the venue lays
      // them over it), and these markets are older than it
      if (this.markets[venue] !== listed) continue;
      detailed.forEach((m, i) => {
        // unchanged comes back as the same object
        if (m === markets[i] || listed.get(m.id) !== markets[i]) return;
        listed.set(m.id, m);
        changed = true;
      });
    }
    if (changed) await this.rematchOrRetry();
  }

  /** Candidates' details in the background, one pass at a time (a pass asked for meanwhile runs after it). */
  private detailCandidatesLater(): void {
    if (this.detailingCandidates !== null) {
      this.detailCandidatesAgain = true;
      return;
    }
    const pass = (async (): Promise<void> => {
      try {
        do {
          this.detailCandidatesAgain = false;
          await this.detailWatched('candidates');
        } while (this.detailCandidatesAgain && !this.stopped);
      } finally {
        // in the same turn as the last check: a pass asked for after it starts a new one
        this.detailingCandidates = null;
      }
    })();
    this.detailingCandidates = pass;
    void this.track(pass).catch((error: unknown) => this.log('error', `market details: ${(error as Error).message}`));
  }

  // ------------------------------------------------------------------ books

  /** Matcher score at which a proposal is listed as a candidate (never above the score at which candidates are evaluated). */
  private minMatchConfidence(): number {
    return Math.min(this.deps.settings.minMatchConfidence ?? DEFAULT_MIN_CONFIDENCE, this.deps.settings.minPairConfidence);
  }

  /** Whether a pair is evaluated (and its books read): approved, or a candidate scoring at least `minPairConfidence`. */
  private evaluated(p: PairState): boolean {
    const status = p.view.status;
    return status === 'approved' || (status === 'candidate' && p.view.confidence >= this.minPairE6);
  }

  /** Pairs whose books are read: the evaluated ones, approved or candidates. */
  private watched(which: 'approved' | 'candidates' | 'all'): PairState[] {
    return [...this.pairs.values()].filter((p) => this.evaluated(p) && (which === 'all' || (p.view.status === 'approved') === (which === 'approved')));
  }

  async refreshBooks(which: 'approved' | 'candidates' | 'all'): Promise<void> {
    const pairs = this.watched(which);
    if (pairs.length === 0 || this.stopped) return;
    await Promise.all(
      VENUES.map(async (venue) => {
        if (this.quiet(venue)) return;
        const seen = new Set<string>();
        const markets: Market[] = [];
        for (const p of pairs) {
          const m = marketOf(p, venue);
          if (!seen.has(m.id)) {
            seen.add(m.id);
            markets.push(m);
          }
        }
        const name = `books:${venue}`;
        try {
          const books = await this.deps.venues[venue].fetchBooks(markets, this.controller.signal);
          if (this.stopped) return;
          for (const [id, book] of books) this.books[venue].set(id, book);
          this.failures[name] = 0;
          const current = this.deps.store.getSnapshot().venues[venue];
          if (current.state !== 'live' && this.catalogLoaded[venue]) {
            this.setVenue(venue, { state: 'live', detail: null, nextRetryAt: null, lastUpdate: this.deps.now() });
          } else {
            this.setVenue(venue, { lastUpdate: this.deps.now() });
          }
        } catch (error) {
          if (this.stopped) return;
          this.failures[name] = (this.failures[name] ?? 0) + 1;
          this.venueFailure(venue, 'books', error, this.deps.settings.booksIntervalMs);
        }
      }),
    );
    this.detect(new Set(pairs.map((p) => p.view.key)));
  }

  /**
   * Books that arrived by other means (a stream, a test, the benchmark): store
   * them and re-evaluate only the pairs that use these markets.
   */
  applyBooks(venue: VenueId, books: Iterable<OrderBook>): void {
    const affected = new Set<string>();
    for (const book of books) {
      this.books[venue].set(book.marketId, book);
      for (const key of this.pairsOfMarket.get(`${venue}:${book.marketId}`) ?? []) affected.add(key);
    }
    if (affected.size > 0) this.detect(affected);
  }

  // ------------------------------------------------------------------ detection

  private detectorPair(p: PairState): DetectorPair {
    return {
      key: p.view.key,
      kalshi: p.kalshi,
      polymarket: p.polymarket,
      relation: p.view.relation,
      approved: p.view.status === 'approved',
      confidence: p.view.confidence,
      warnings: p.view.warnings,
    };
  }

  /**
   * Size opportunities to what the trading account can pay for from now on (null: the
   * settings' limits only), and evaluate every pair again with it.
   */
  setAccount(view: AccountView | null): void {
    this.account = view;
    this.detectAll();
  }

  /** Evaluate every pair against the books we hold; open, update and close episodes. */
  detectAll(): void {
    this.detect(null);
  }

  /**
   * Evaluate the given pairs (all when null) and open, update and close their
   * episodes; opportunities of other pairs are left as they are.
   */
  detect(keys: ReadonlySet<string> | null): void {
    if (this.stopped) return;
    const now = this.deps.now();
    const found = new Map<string, Opportunity>();
    const pairs: Iterable<PairState> = keys === null ? this.pairs.values() : pairsOf(this.pairs, keys);
    const account = this.account?.();
    for (const p of pairs) {
      if (!this.evaluated(p)) continue;
      const { opportunities } = detectPair(
        this.detectorPair(p),
        { kalshi: this.books.kalshi.get(p.kalshi.id), polymarket: this.books.polymarket.get(p.polymarket.id) },
        now,
        this.deps.settings.detector,
        account?.(p.kalshi, p.polymarket),
      );
      for (const o of opportunities) found.set(o.id, o);
    }
    const opened: Opportunity[] = [];
    const updated: Opportunity[] = [];
    const closed: Opportunity[] = [];
    for (const [id, o] of found) {
      const prev = this.open.get(id);
      if (!prev) opened.push(o);
      else if (!sameFigures(prev, o)) updated.push(o);
    }
    if (keys === null) {
      for (const [id, o] of this.open) if (!found.has(id)) closed.push(o);
    } else {
      // In a partial pass, only the pairs evaluated can lose their opportunities
      // (pairs that left are closed by the full pass after every rematch).
      for (const key of keys) {
        for (const direction of DIRECTION_IDS) {
          const o = this.open.get(`${key}#${direction}`);
          if (o && !found.has(o.id)) closed.push(o);
        }
      }
    }
    for (const o of closed) this.open.delete(o.id);
    for (const [id, o] of found) this.open.set(id, o);
    if (opened.length === 0 && updated.length === 0 && closed.length === 0) {
      // Quote ages still move: keep the store's copies current without emitting events.
      if (found.size > 0) this.deps.store.update((d) => {
        for (const [id, o] of found) d.opportunities.set(id, o);
      });
      return;
    }
    this.deps.store.update((d) => {
      for (const o of closed) {
        d.opportunities.delete(o.id);
        d.closed.push({ opportunity: o, closedAt: now });
      }
      for (const [id, o] of found) d.opportunities.set(id, o);
    });
    for (const o of opened) this.emit({ type: 'opportunity-opened', opportunity: o });
    for (const o of updated) this.emit({ type: 'opportunity-updated', opportunity: o });
    for (const o of closed) this.emit({ type: 'opportunity-closed', opportunity: o, reason: 'gone' });
  }

  /**
   * Re-price an open opportunity at `size` contracts from the books held now
   * (the trade ticket), or why there is no quote: the direction's reason at
   * that size (e.g. below a venue's minimum order), or that it is gone.
   */
  requote(opportunityId: string, size?: Size): Opportunity | { readonly unavailable: string } {
    const gone = { unavailable: 'this opportunity is gone (the books moved)' };
    const current = this.open.get(opportunityId);
    if (!current) return gone;
    const p = this.pairs.get(current.pairKey);
    if (!p) return gone;
    const t = this.deps.settings.detector.thresholds;
    const wanted = size ?? current.size;
    const capped = wanted > t.maxSizePerTrade ? t.maxSizePerTrade : wanted;
    const { opportunities, misses } = detectPair(
      this.detectorPair(p),
      { kalshi: this.books.kalshi.get(p.kalshi.id), polymarket: this.books.polymarket.get(p.polymarket.id) },
      this.deps.now(),
      { ...this.deps.settings.detector, thresholds: { ...t, maxSizePerTrade: capped > 0n ? capped : SCALE } },
      this.account?.()(p.kalshi, p.polymarket),
    );
    const found = opportunities.find((o) => o.id === opportunityId);
    if (found) return found;
    // why this direction has none at this size (below a venue's minimum order, uncrossed books, …)
    const miss = misses.find((m) => m.direction === current.direction);
    if (!miss) return gone;
    const minimum = minimumPairSize(p.kalshi, p.polymarket);
    // a size below what both venues take: say what they take
    if (capped === wanted && wanted < minimum && miss.reason.includes('minimum order size')) {
      return { unavailable: `below the least both venues take, ${formatDecimal(minimum)} contracts` };
    }
    return { unavailable: miss.reason };
  }

  /** Books' identity for a quote: which responses it was computed from. */
  quoteId(o: Opportunity): string {
    return `${o.id}@${o.legs[0].receivedAt}/${o.legs[1].receivedAt}`;
  }

  // ------------------------------------------------------------------ plumbing

  private emit(event: EngineEvent): void {
    this.deps.onEvent?.(event);
  }

  log(level: LogEntry['level'], message: string): void {
    this.deps.store.log(level, message);
    this.emit({ type: 'log', entry: { at: this.deps.now(), level, message } });
  }
}
