/**
 * The app store: what the engine knows now (venues, pairs, opportunities,
 * recent log) as one immutable snapshot, republished at a bounded rate.
 *
 * The engine mutates through `update`, as often as books arrive; subscribers
 * (the Ink UI through useSyncExternalStore, the headless writer) see at most
 * one new snapshot per `minIntervalMs`, the last one always delivered
 * (leading and trailing edge). No React, no I/O; the timer is injected.
 */
import type { LogLevel } from '../config/load.js';
import type { Market, VenueId } from '../domain/market.js';
import type { Opportunity } from '../engine/detector.js';
import type { VenueTraffic } from '../venues/venue.js';

/**
 * unreachable: no answer (network, timeout); error: the venue answered, but not with
 * something usable (HTTP 5xx, a malformed response, a refusal of our request).
 */
export type VenueState = 'connecting' | 'live' | 'stale' | 'rate-limited' | 'unreachable' | 'error' | 'paused';

export interface VenueStatus {
  readonly venue: VenueId;
  readonly state: VenueState;
  /** Last successful update (ms), null before the first. */
  readonly lastUpdate: number | null;
  /** Why the venue is not live (error message), null when it is. */
  readonly detail: string | null;
  /** When the next attempt is due after a failure. */
  readonly nextRetryAt: number | null;
  readonly marketCount: number;
  readonly traffic: VenueTraffic | null;
}

export type PairStatus = 'candidate' | 'approved' | 'rejected';

export interface PairView {
  readonly key: string;
  readonly kalshi: Market;
  readonly polymarket: Market;
  readonly relation: 'same' | 'inverse';
  /** The Polymarket outcome that pays when Kalshi YES does. */
  readonly polymarketOutcome: string;
  readonly status: PairStatus;
  /** Scale 10^6. */
  readonly confidence: bigint;
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
}

export interface LogEntry {
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface PositionView {
  readonly venue: VenueId;
  readonly marketId: string;
  /** The market's name standing alone: outcome, event, title (`explicitMarketLabel`). */
  readonly title: string;
  /** Its short name (outcome, title): shown where no other position reads the same. */
  readonly shortTitle: string;
  readonly side: 'yes' | 'no';
  /** Contracts held (scale 10^6). */
  readonly size: bigint;
  /** Average entry price, fees excluded (scale 10^6). */
  readonly avgPrice: bigint;
  /** What the position cost, fees included. */
  readonly cost: bigint;
  /** Best bid-side value now (what selling would fetch), null without a book. */
  readonly markValue: bigint | null;
  readonly realisedPnl: bigint;
  /** The pair this position hedges, when it is one leg of an arbitrage. */
  readonly pairKey: string | null;
}

export interface OrderView {
  /** Our client order id. */
  readonly id: string;
  readonly venue: VenueId;
  readonly marketId: string;
  readonly side: 'yes' | 'no';
  readonly size: bigint;
  readonly limitPrice: bigint;
  readonly filled: bigint;
  readonly avgFillPrice: bigint | null;
  /** e.g. pending, open, filled, partially-filled, cancelled, rejected, unknown. */
  readonly status: string;
  readonly createdAt: number;
  readonly pairKey: string | null;
  readonly paper: boolean;
}

export interface FillView {
  readonly id: string;
  readonly orderId: string;
  readonly venue: VenueId;
  readonly marketId: string;
  readonly side: 'yes' | 'no';
  readonly price: bigint;
  readonly size: bigint;
  readonly fee: bigint;
  readonly at: number;
  /** the venue voided it after matching (a ghost fill): it did not happen */
  readonly voided: boolean;
}

export interface SessionInfo {
  readonly mode: 'monitor' | 'paper' | 'execute';
  readonly demo: boolean;
  /** The database file, null while none is open. */
  readonly dbPath: string | null;
  readonly startedAt: number;
  readonly version: string;
  /** A banner the UI must show (e.g. "read-only: reconciliation failed"), null when none. */
  readonly banner: string | null;
  /** The kill switch: no new trade attempts while true. */
  readonly halted: boolean;
}

export interface ClosedOpportunity {
  readonly opportunity: Opportunity;
  readonly closedAt: number;
}

export interface Snapshot {
  /** Increases by one per published snapshot. */
  readonly version: number;
  readonly publishedAt: number;
  readonly venues: Readonly<Record<VenueId, VenueStatus>>;
  readonly pairs: readonly PairView[];
  /** Open opportunities, unordered (views sort). */
  readonly opportunities: readonly Opportunity[];
  /** Recently closed ones, newest first, kept for `closedRetentionMs` so views can fade them out. */
  readonly closed: readonly ClosedOpportunity[];
  readonly positions: readonly PositionView[];
  /** Newest first. */
  readonly orders: readonly OrderView[];
  /** Newest first. */
  readonly fills: readonly FillView[];
  readonly log: readonly LogEntry[];
  readonly session: SessionInfo;
  /** Updates are not applied to the published snapshot while paused. */
  readonly paused: boolean;
  /** When the pause began (the market side is as of then), null when not paused. */
  readonly pausedAt: number | null;
}

export interface StoreOptions {
  readonly now: () => number;
  readonly session?: SessionInfo;
  readonly minIntervalMs?: number;
  readonly logLimit?: number;
  readonly closedRetentionMs?: number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

const LOG_RANK: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Whether a line of `level` is shown when the configured level is `threshold`. */
export function logLevelShown(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_RANK[level] <= LOG_RANK[threshold];
}

/** What `update` hands the engine: mutable working state. */
export interface Draft {
  venues: Record<VenueId, VenueStatus>;
  pairs: Map<string, PairView>;
  opportunities: Map<string, Opportunity>;
  closed: ClosedOpportunity[];
  positions: PositionView[];
  orders: OrderView[];
  fills: FillView[];
  log: LogEntry[];
  session: SessionInfo;
}

/**
 * The draft's pairs: a Map that counts its changes, so that a snapshot lists the pairs in the
 * same array as the one before while none changed (the UI derives its rows and labels from
 * that array once, not on every book update: 78,789 pairs took 1-2 s a frame).
 */
class PairMap extends Map<string, PairView> {
  changes = 0;

  override set(key: string, value: PairView): this {
    this.changes += 1;
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.changes += 1;
    return super.delete(key);
  }

  override clear(): void {
    this.changes += 1;
    super.clear();
  }
}

function pairMapOf(pairs: Map<string, PairView>): PairMap {
  if (pairs instanceof PairMap) return pairs;
  const out = new PairMap();
  for (const [k, v] of pairs) out.set(k, v);
  return out;
}

const initialVenue = (venue: VenueId): VenueStatus => ({
  venue,
  state: 'connecting',
  lastUpdate: null,
  detail: null,
  nextRetryAt: null,
  marketCount: 0,
  traffic: null,
});

export class Store {
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly logLimit: number;
  private logLevel: LogLevel = 'info';
  private readonly closedRetentionMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly draft: Draft;
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private lastPublish = Number.NEGATIVE_INFINITY;
  private dirty = false;
  private paused = false;
  private pausedAt: number | null = null;
  private closedStore = false;
  /** The pairs array of the last snapshot, and the draft's pairs (and their change count) it lists. */
  private pairsListed: readonly PairView[] = Object.freeze([]);
  private pairsFrom: PairMap | null = null;
  private pairsAt = -1;

  constructor(options: StoreOptions) {
    this.now = options.now;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.logLimit = options.logLimit ?? 500;
    this.closedRetentionMs = options.closedRetentionMs ?? 3_000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.draft = {
      venues: { kalshi: initialVenue('kalshi'), polymarket: initialVenue('polymarket') },
      pairs: new PairMap(),
      opportunities: new Map(),
      closed: [],
      positions: [],
      orders: [],
      fills: [],
      log: [],
      session: options.session ?? {
        mode: 'monitor',
        demo: false,
        dbPath: null,
        startedAt: this.now(),
        version: '0.0.0',
        banner: null,
        halted: false,
      },
    };
    this.snapshot = this.build(0);
  }

  getSnapshot = (): Snapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Apply a change; a snapshot follows within `minIntervalMs`. */
  update(change: (draft: Draft) => void): void {
    change(this.draft);
    this.dirty = true;
    this.schedule();
  }

  /** Config `log_level`: lines below it are not kept. */
  setLogLevel(level: LogLevel): void {
    this.logLevel = level;
  }

  log(level: LogEntry['level'], message: string): void {
    if (!logLevelShown(level, this.logLevel)) return;
    this.update((d) => {
      d.log.push({ at: this.now(), level, message });
      if (d.log.length > this.logLimit) d.log.splice(0, d.log.length - this.logLimit);
    });
  }

  /** Freeze what subscribers see (the engine keeps running); unpausing publishes the latest at once. */
  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.pausedAt = paused ? this.snapshot.publishedAt : null;
    this.dirty = true;
    this.publish();
  }

  /** Publish now, whatever the rate (e.g. right before exit). */
  flush(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.dirty) this.publish();
  }

  close(): void {
    this.flush();
    this.closedStore = true;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.closedStore || this.timer !== null) return;
    const wait = this.lastPublish + this.minIntervalMs - this.now();
    if (wait <= 0) {
      this.publish();
      return;
    }
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (this.dirty) this.publish();
    }, wait);
  }

  private publish(): void {
    if (this.closedStore) return;
    const now = this.now();
    this.dirty = false;
    this.lastPublish = now;
    const cutoff = now - this.closedRetentionMs;
    const keep = this.draft.closed.filter((c) => c.closedAt > cutoff);
    if (keep.length !== this.draft.closed.length) this.draft.closed = keep;
    this.snapshot = this.build(this.snapshot.version + 1);
    this.emit();
    // Closed rows must disappear once their fade is over even if nothing else changes.
    if (keep.length > 0 && this.timer === null) {
      this.dirty = true;
      this.timer = this.setTimer(() => {
        this.timer = null;
        if (this.dirty) this.publish();
      }, Math.max(this.minIntervalMs, this.closedRetentionMs));
    }
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }

  /**
   * The draft's pairs as an array: the one listed last while they did not change. A Map put in
   * place of the pairs is taken into one that counts its changes from then on.
   */
  private pairsNow(): readonly PairView[] {
    const pairs = pairMapOf(this.draft.pairs);
    this.draft.pairs = pairs;
    if (pairs !== this.pairsFrom || pairs.changes !== this.pairsAt) {
      this.pairsListed = Object.freeze([...pairs.values()]);
      this.pairsFrom = pairs;
      this.pairsAt = pairs.changes;
    }
    return this.pairsListed;
  }

  /**
   * Paused: the market side (venues, pairs, opportunities) stays as it was when the pause
   * began, for reading, and its ages keep growing (time goes on: found in review, frozen ages
   * said paused prices were a tenth of a second old); what the person does (orders, fills,
   * positions, the log, the session's banner and kill switch) stays live — a trade made while
   * paused shows at once.
   */
  private build(version: number): Snapshot {
    const frozen = this.paused ? this.snapshot : null;
    return Object.freeze({
      version,
      publishedAt: this.now(),
      venues: frozen?.venues ?? Object.freeze({ ...this.draft.venues }),
      pairs: frozen?.pairs ?? this.pairsNow(),
      opportunities: frozen?.opportunities ?? Object.freeze([...this.draft.opportunities.values()]),
      closed: frozen?.closed ?? Object.freeze([...this.draft.closed].sort((a, b) => b.closedAt - a.closedAt)),
      positions: Object.freeze([...this.draft.positions]),
      orders: Object.freeze([...this.draft.orders].sort((a, b) => b.createdAt - a.createdAt)),
      fills: Object.freeze([...this.draft.fills].sort((a, b) => b.at - a.at)),
      log: Object.freeze([...this.draft.log]),
      session: this.draft.session,
      paused: this.paused,
      pausedAt: this.pausedAt,
    });
  }
}
