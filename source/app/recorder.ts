/**
 * Everything the engine does, written to the database: the session, the
 * markets of proposed pairs, pair verdicts (durable before the decision takes
 * effect), opportunity episodes (first seen, best edge, close), and an audit
 * log of user decisions and notable engine events.
 */
import { createHash } from 'node:crypto';
import type { Market } from '../domain/market.js';
import { divRound } from '../domain/money.js';
import type { Opportunity } from '../engine/detector.js';
import type { EngineEvent } from '../engine/engine.js';
import type { DecidedBy, Verdict, VerdictStore } from '../engine/registry.js';
import type { ArbDatabase } from '../persistence/database.js';
import type { PairVerdict, PairRow } from '../persistence/repositories/pairs.js';
import type { OpportunityQuote } from '../persistence/repositories/opportunities.js';
import type { PairStatus } from '../store/store.js';

function splitKey(key: string): { kalshi: string; polymarket: string } {
  const i = key.indexOf('|');
  if (i < 0) throw new Error(`bad pair key ${key}`);
  return { kalshi: key.slice(0, i), polymarket: key.slice(i + 1) };
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

export class Recorder {
  private readonly episodes = new Map<string, number>();
  private readonly seenMarkets = new Set<string>();
  private readonly relations = new Map<string, 'same' | 'inverse'>();

  constructor(
    private readonly db: ArbDatabase,
    readonly sessionId: number,
  ) {}

  private market(m: Market, at: number): void {
    const key = `${m.venue}:${m.id}`;
    if (this.seenMarkets.has(key)) return;
    this.seenMarkets.add(key);
    this.db.repos.markets.seen({
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
    switch (event.type) {
      case 'pair-proposed':
        this.relations.set(event.pair.key, event.pair.relation);
        this.db.write(() => {
          this.market(event.pair.kalshi, at);
          this.market(event.pair.polymarket, at);
          this.pairId(event.pair.key, event.pair.relation, at);
        });
        return;
      case 'opportunity-opened': {
        const o = event.opportunity;
        this.db.write((repos) => {
          const pairId = this.pairId(o.pairKey, this.relations.get(o.pairKey) ?? 'same', at);
          this.episodes.set(o.id, repos.opportunities.open(this.sessionId, pairId, quoteOf(o)));
        });
        return;
      }
      case 'opportunity-updated': {
        const id = this.episodes.get(event.opportunity.id);
        if (id !== undefined) this.db.write((repos) => repos.opportunities.observe(id, quoteOf(event.opportunity)));
        return;
      }
      case 'opportunity-closed': {
        const id = this.episodes.get(event.opportunity.id);
        if (id === undefined) return;
        this.episodes.delete(event.opportunity.id);
        this.db.write((repos) => repos.opportunities.close(id, 'expired', { reason: event.reason, at }));
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

  /** Close the episodes still open (the session is ending). */
  closeOpenEpisodes(at: number): void {
    if (this.episodes.size === 0 || this.db.closed) return;
    this.db.write((repos) => {
      for (const id of this.episodes.values()) repos.opportunities.close(id, 'expired', { reason: 'session ended', at });
    });
    this.episodes.clear();
  }
}
