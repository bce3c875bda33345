/**
 * Everything the engine does, written to the database: the session, the
 * markets of proposed pairs, pair verdicts (durable before the decision takes
 * effect), opportunity episodes (first seen, best edge, last seen, close), and
 * an audit log of user decisions and notable engine events.
 *
 * Episodes: `last_seen_at` follows the episode while the engine holds it open,
 * written at most once a second per episode (on the engine's events: every
 * books refresh brings some), and at close the time of its last quote. An
 * episode closes `executed` when a trade was made on it (the executor links the
 * trade to it), `expired` otherwise. Episodes an earlier session left open (it
 * crashed or was killed) are closed when the recorder starts, saying so.
 */
import { createHash } from 'node:crypto';
import type { Market } from '../domain/market.js';
import { divRound } from '../domain/money.js';
import type { Opportunity } from '../engine/detector.js';
import type { EngineEvent } from '../engine/engine.js';
import { splitPairKey } from '../matching/candidate.js';
import type { DecidedBy, Verdict, VerdictStore } from '../engine/registry.js';
import type { ArbDatabase } from '../persistence/database.js';
import type { PairVerdict, PairRow } from '../persistence/repositories/pairs.js';
import type { OpportunityQuote } from '../persistence/repositories/opportunities.js';
import type { PairStatus, PairView } from '../store/store.js';

function splitKey(key: string): { kalshi: string; polymarket: string } {
  const ids = splitPairKey(key);
  if (ids === null) throw new Error(`bad pair key ${key}`);
  return ids;
}

const FINGERPRINT_PREFIX = 'fp:';

function statusOf(verdict: PairVerdict): PairStatus {
  return verdict === 'revoked' ? 'candidate' : verdict;
}

function decidedByOf(reason: string | null): DecidedBy {
  if (reason?.startsWith('[config]')) return 'config';
  if (reason?.startsWith('[demo]')) return 'demo';
  return 'user';
}

/** Pair verdicts kept in the database: approvals are on disk before `put` resolves. */
export class DbVerdictStore implements VerdictStore {
  private readonly cache = new Map<string, Verdict>();

  constructor(
    private readonly db: ArbDatabase,
    private readonly sessionId: () => number | null,
  ) {
    for (const row of db.repos.pairs.list()) {
      const v = this.fromRow(row);
      if (v) this.cache.set(v.key, v);
    }
  }

  private fromRow(row: PairRow): Verdict | null {
    if (row.verdict === 'candidate') return null;
    const last = this.db.repos.pairs.history(row.id).at(-1);
    const fp =
      row.kalshiRulesDigest?.startsWith(FINGERPRINT_PREFIX) && row.polymarketRulesDigest?.startsWith(FINGERPRINT_PREFIX)
        ? { kalshi: row.kalshiRulesDigest.slice(FINGERPRINT_PREFIX.length), polymarket: row.polymarketRulesDigest.slice(FINGERPRINT_PREFIX.length) }
        : null;
    return {
      key: `${row.kalshiMarketId}|${row.polymarketMarketId}`,
      status: statusOf(row.verdict),
      decidedBy: last?.decidedBy === 'engine' ? (row.verdict === 'revoked' ? 'engine' : decidedByOf(last.reason)) : last?.decidedBy === 'user' ? 'user' : 'matcher',
      reason: last?.reason ?? null,
      at: row.updatedAt,
      fingerprint: fp,
      relation: row.relation === 'same' || row.relation === 'inverse' ? row.relation : null,
    };
  }

  get(key: string): Verdict | undefined {
    return this.cache.get(key);
  }

  all(): Iterable<Verdict> {
    return this.cache.values();
  }

  async put(v: Verdict): Promise<void> {
    const { kalshi, polymarket } = splitKey(v.key);
    const verdict: PairVerdict = v.status === 'candidate' ? (v.decidedBy === 'engine' ? 'revoked' : 'candidate') : v.status;
    const decidedBy = v.decidedBy === 'user' ? 'user' : v.decidedBy === 'matcher' ? 'matcher' : 'engine';
    const reason = v.decidedBy === 'config' || v.decidedBy === 'demo' ? `[${v.decidedBy}] ${v.reason ?? ''}`.trim() : v.reason;
    await this.db.writeCritical((repos) => {
      const pair = repos.pairs.ensureCandidate({
        kalshiMarketId: kalshi,
        polymarketMarketId: polymarket,
        relation: v.relation ?? 'unknown',
        sessionId: this.sessionId(),
        at: v.at,
      });
      repos.pairs.setVerdict(pair.id, {
        verdict,
        ...(v.relation ? { relation: v.relation } : {}),
        decidedBy,
        reason,
        sessionId: this.sessionId(),
        at: v.at,
        kalshiRulesDigest: v.fingerprint ? FINGERPRINT_PREFIX + v.fingerprint.kalshi : null,
        polymarketRulesDigest: v.fingerprint ? FINGERPRINT_PREFIX + v.fingerprint.polymarket : null,
      });
      if (v.decidedBy === 'user' || v.decidedBy === 'engine') {
        repos.audit.append({
          actor: v.decidedBy === 'user' ? 'user' : 'engine',
          kind: `pair-${verdict}`,
          subject: v.key,
          detail: { reason: v.reason, relation: v.relation },
          sessionId: this.sessionId(),
          at: v.at,
        });
      }
    });
    this.cache.set(v.key, v);
  }
}

function quoteOf(o: Opportunity): OpportunityQuote {
  const [k, p] = o.legs;
  return {
    at: o.computedAt,
    netEdge: divRound(o.netProfit * 1_000_000n, o.size, 'floor'),
    size: o.size,
    kalshi: { side: k.side, price: k.vwap, fee: k.fee },
    polymarket: { side: p.side, price: p.vwap, fee: p.fee },
  };
}

/** Proposed pairs written in one transaction (`Recorder.record`): up to about 0.3 s of writes at full scale. */
export const PAIRS_PER_WRITE = 1_000;

/** The shortest time between two writes of an open episode's `last_seen_at`. */
export const LAST_SEEN_EVERY_MS = 1_000;

interface Episode {
  readonly id: number;
  /** The `last_seen_at` written last (ms). */
  seenAt: number;
}

export class Recorder {
  private readonly episodes = new Map<string, Episode>();
  private readonly seenMarkets = new Set<string>();
  private readonly relations = new Map<string, 'same' | 'inverse'>();
  /** No episode's `last_seen_at` is due to be written before this time (ms). */
  private nextDue = 0;
  /** How many episodes earlier sessions had left open, closed when this recorder started. */
  readonly closedLeftOpen: number;
  /**
   * Proposed pairs not written yet (from `pendingFrom` on). A rematch proposes thousands at
   * once (78,789 on a full synthetic catalog): written one transaction each, in the loop that
   * proposes them, they held the main thread for 11 s at that scale (each commit also posts
   * its batch to the saving thread), the screen frozen meanwhile. They are written once the
   * engine's current run of events ends, `pairsPerWrite` to a transaction, one transaction per
   * turn of the event loop (`writeSomePairs`); what is left at the end of a session or before
   * an export, by `writePairs`.
   */
  private pendingPairs: Array<{ readonly pair: PairView; readonly at: number }> = [];
  private pendingFrom = 0;
  private pairsQueued = false;

  /**
   * Created at start-up, once the session is started (with the database's lock held: no other
   * session is running): the episodes earlier sessions left open are closed now.
   */
  constructor(
    private readonly db: ArbDatabase,
    readonly sessionId: number,
    /** A write that failed after `record` returned (the proposed pairs written together). */
    private readonly onWriteError: (error: Error) => void = () => undefined,
    /** Proposed pairs written in one transaction. */
    private readonly pairsPerWrite = PAIRS_PER_WRITE,
  ) {
    this.closedLeftOpen = db.closed ? 0 : db.write((repos) => repos.opportunities.closeLeftOpen(sessionId));
  }

  /**
   * Write the market as seen, once a session. `written`: the keys written in the current
   * transaction, taken as seen once it commits.
   */
  private market(m: Market, at: number, written: Set<string>): void {
    const key = `${m.venue}:${m.id}`;
    if (this.seenMarkets.has(key) || written.has(key)) return;
    written.add(key);
    this.db.repos.markets.touch({
      venue: m.venue,
      marketId: m.id,
      eventId: m.eventId,
      yesTokenId: m.ref.venue === 'polymarket' ? m.ref.yesTokenId : null,
      noTokenId: m.ref.venue === 'polymarket' ? m.ref.noTokenId : null,
      title: m.title,
      subtitle: m.subtitle,
      rulesDigest: m.rules === null ? null : createHash('sha256').update(m.rules).digest('hex'),
      closeTime: m.closeTime,
      sessionId: this.sessionId,
      seenAt: at,
    });
  }

  private pairId(key: string, relation: 'same' | 'inverse', at: number): number {
    const { kalshi, polymarket } = splitKey(key);
    return this.db.repos.pairs.ensureCandidate({ kalshiMarketId: kalshi, polymarketMarketId: polymarket, relation, sessionId: this.sessionId, at }).id;
  }

  /** Record one engine event (non-critical writes: flushed on the background interval). */
  record(event: EngineEvent, at: number): void {
    if (this.db.closed) return;
    this.stillOpen(event, at);
    switch (event.type) {
      case 'pair-proposed':
        this.relations.set(event.pair.key, event.pair.relation);
        this.pendingPairs.push({ pair: event.pair, at });
        if (!this.pairsQueued) {
          this.pairsQueued = true;
          queueMicrotask(() => this.writeSomePairs());
        }
        return;
      case 'opportunity-opened': {
        const o = event.opportunity;
        this.db.write((repos) => {
          const pairId = this.pairId(o.pairKey, this.relations.get(o.pairKey) ?? 'same', at);
          const quote = quoteOf(o);
          this.episodes.set(o.id, { id: repos.opportunities.open(this.sessionId, pairId, quote), seenAt: quote.at });
        });
        return;
      }
      case 'opportunity-updated': {
        const episode = this.episodes.get(event.opportunity.id);
        if (episode === undefined) return;
        const quote = quoteOf(event.opportunity);
        this.db.write((repos) => repos.opportunities.observe(episode.id, quote));
        episode.seenAt = Math.max(episode.seenAt, quote.at);
        return;
      }
      case 'opportunity-closed': {
        const episode = this.episodes.get(event.opportunity.id);
        if (episode === undefined) return;
        this.episodes.delete(event.opportunity.id);
        // last seen: the last quote that showed it (the engine keeps the latest one it found)
        this.db.write((repos) => repos.opportunities.finish(episode.id, { reason: event.reason, at, lastSeenAt: event.opportunity.computedAt }));
        return;
      }
      case 'log':
        if (event.entry.level !== 'info') {
          this.db.write((repos) =>
            repos.audit.append({ actor: 'engine', kind: `log-${event.entry.level}`, subject: null, detail: { message: event.entry.message }, sessionId: this.sessionId, at }),
          );
        }
        return;
      case 'venue-status':
      case 'pair-status':
        return;
    }
  }

  /**
   * The episodes open now are still held by the engine (it closes one when it is gone): their
   * `last_seen_at` moves to `at`, each at most once a second (one write for all that are due).
   * Skipped for the event that closes an episode (its close says when it was seen last).
   */
  private stillOpen(event: EngineEvent, at: number): void {
    if (this.episodes.size === 0 || at < this.nextDue) return;
    const closing = event.type === 'opportunity-closed' ? event.opportunity.id : null;
    const due: Episode[] = [];
    for (const [key, episode] of this.episodes) {
      if (key !== closing && at - episode.seenAt >= LAST_SEEN_EVERY_MS) due.push(episode);
    }
    if (due.length > 0) {
      this.db.write((repos) => {
        for (const episode of due) repos.opportunities.seen(episode.id, at);
      });
      for (const episode of due) episode.seenAt = at;
    }
    // nothing is due before the oldest write is a second old (an episode opened later is due later)
    let oldest = Infinity;
    for (const episode of this.episodes.values()) oldest = Math.min(oldest, episode.seenAt);
    this.nextDue = oldest + LAST_SEEN_EVERY_MS;
  }

  /**
   * Write every proposed pair held, a transaction at a time with a turn of the event loop
   * between them (the end of a session, before its last writes; an export, before it reads).
   * A failed write is thrown here, not only told to `onWriteError`.
   */
  async writePairs(): Promise<void> {
    while (this.pendingFrom < this.pendingPairs.length) {
      const error = this.writeChunk();
      if (error !== null) throw error;
      if (this.pendingFrom < this.pendingPairs.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One transaction of proposed pairs, then the next on the next turn of the event loop. */
  private writeSomePairs(): void {
    this.pairsQueued = false;
    const error = this.writeChunk();
    if (error !== null) this.onWriteError(error);
    if (this.pendingFrom < this.pendingPairs.length) {
      this.pairsQueued = true;
      setImmediate(() => this.writeSomePairs());
    }
  }

  /**
   * Write up to `pairsPerWrite` proposed pairs held (their markets and candidate rows) in one
   * transaction; the error when it failed (those pairs are not written; their markets are
   * written with the next pair that names them).
   */
  private writeChunk(): Error | null {
    const from = this.pendingFrom;
    const to = Math.min(this.pendingPairs.length, from + this.pairsPerWrite);
    const chunk = this.pendingPairs.slice(from, to);
    if (to === this.pendingPairs.length) {
      this.pendingPairs = [];
      this.pendingFrom = 0;
    } else this.pendingFrom = to;
    if (chunk.length === 0 || this.db.closed) return null;
    const written = new Set<string>();
    try {
      this.db.write(() => {
        for (const { pair, at } of chunk) {
          this.market(pair.kalshi, at, written);
          this.market(pair.polymarket, at, written);
          this.pairId(pair.key, pair.relation, at);
        }
      });
    } catch (error) {
      return new Error(`${chunk.length} proposed pair${chunk.length === 1 ? '' : 's'} not written: ${(error as Error).message}`);
    }
    for (const key of written) this.seenMarkets.add(key);
    return null;
  }

  /** Close the episodes still open (the session is ending): seen until now. */
  closeOpenEpisodes(at: number): void {
    if (this.episodes.size === 0 || this.db.closed) return;
    this.db.write((repos) => {
      for (const episode of this.episodes.values()) repos.opportunities.finish(episode.id, { reason: 'session ended', at, lastSeenAt: at });
    });
    this.episodes.clear();
  }
}
