/**
 * The pair registry: what a person (or the config, or the demo) decided about
 * each proposed pair. Only approved pairs are ever traded. Rejected pairs stay
 * blocked whatever the matcher says later. An approval is bound to the
 * fingerprints of both markets (title, rules, close time, status): when either
 * venue changes one, the approval is revoked back to candidate with a warning.
 * An approval whose only basis was a list (the config's `[[pairs]]`, the demo's
 * planted pairs) lasts as long as the running list names the pair: once it no
 * longer does, it is revoked back to candidate too (a person's approval never is).
 * A market leaving its venue's open catalog (closed, paused, settled, delisted)
 * is a change of status: every approval of a pair using it is revoked back to
 * candidate (by whoever it was given), so that a market that comes back is
 * checked again by a person before it trades.
 *
 * This module holds the rules; where decisions are kept is a `VerdictStore`
 * (in memory for tests and one-shot runs, the database for the app).
 */
import type { PairStatus } from '../store/store.js';

export type DecidedBy = 'user' | 'config' | 'demo' | 'engine' | 'matcher';

export interface Verdict {
  readonly key: string;
  readonly status: PairStatus;
  readonly decidedBy: DecidedBy;
  readonly reason: string | null;
  readonly at: number;
  /** Fingerprints of both markets when the verdict was given (approval binds to them). */
  readonly fingerprint: { readonly kalshi: string; readonly polymarket: string } | null;
  /** Relation when decided (an approval binds to it too). */
  readonly relation: 'same' | 'inverse' | null;
}

export interface VerdictStore {
  get(key: string): Verdict | undefined;
  /** Persist a verdict (append to history). Critical verdicts (approvals) must be durable when this resolves. */
  put(verdict: Verdict): Promise<void>;
  all(): Iterable<Verdict>;
}

export class MemoryVerdictStore implements VerdictStore {
  private readonly verdicts = new Map<string, Verdict>();
  readonly history: Verdict[] = [];
  get(key: string): Verdict | undefined {
    return this.verdicts.get(key);
  }
  async put(verdict: Verdict): Promise<void> {
    this.verdicts.set(verdict.key, verdict);
    this.history.push(verdict);
  }
  all(): Iterable<Verdict> {
    return this.verdicts.values();
  }
}

export interface RegistryInput {
  readonly key: string;
  readonly relation: 'same' | 'inverse';
  readonly fingerprint: { readonly kalshi: string; readonly polymarket: string };
}

export interface Resolved {
  readonly status: PairStatus;
  /** Set when an approval was just revoked (a market changed): show it. */
  readonly revoked: string | null;
  readonly verdict: Verdict | undefined;
}

/** Who approves pairs by listing them: their approvals last only while the list names the pair. */
export type ListSource = Extract<DecidedBy, 'config' | 'demo'>;

const UNLISTED: Readonly<Record<ListSource, string>> = {
  config: 'approval revoked: no longer listed in the config',
  demo: "approval revoked: no longer one of the demo's planted pairs",
};

/** Whether a verdict is the revocation of a list's approval because the list stopped naming the pair. */
export function isUnlistedRevocation(v: Verdict): boolean {
  return v.status === 'candidate' && v.decidedBy === 'engine' && (v.reason === UNLISTED.config || v.reason === UNLISTED.demo);
}

/** Why an approval was revoked when a market left its venue's catalog of open markets. */
export function noLongerOpenReason(gone: ReadonlyArray<{ readonly venue: 'kalshi' | 'polymarket'; readonly marketId: string }>): string {
  return `approval revoked: ${gone.map((g) => `${g.venue} market ${g.marketId} is no longer open (closed, paused or delisted)`).join('; ')}`;
}

export class PairRegistry {
  constructor(
    private readonly store: VerdictStore,
    private readonly now: () => number,
  ) {}

  statusOf(key: string): PairStatus {
    return this.store.get(key)?.status ?? 'candidate';
  }

  verdict(key: string): Verdict | undefined {
    return this.store.get(key);
  }

  /**
   * The status of a proposed pair given the markets as they are now. An
   * approval whose markets or relation changed is revoked (persisted) here.
   */
  async resolve(input: RegistryInput): Promise<Resolved> {
    const v = this.store.get(input.key);
    if (!v) return { status: 'candidate', revoked: null, verdict: undefined };
    if (v.status !== 'approved') return { status: v.status, revoked: null, verdict: v };
    const changes: string[] = [];
    if (v.fingerprint && v.fingerprint.kalshi !== input.fingerprint.kalshi) changes.push('the Kalshi market changed (title, rules, close time or status)');
    if (v.fingerprint && v.fingerprint.polymarket !== input.fingerprint.polymarket) changes.push('the Polymarket market changed (title, rules, close time or status)');
    if (v.relation && v.relation !== input.relation) changes.push(`the matcher now reads the relation as ${input.relation}, not ${v.relation}`);
    if (changes.length === 0) return { status: 'approved', revoked: null, verdict: v };
    const reason = `approval revoked: ${changes.join('; ')}`;
    const revoked: Verdict = { key: input.key, status: 'candidate', decidedBy: 'engine', reason, at: this.now(), fingerprint: input.fingerprint, relation: input.relation };
    await this.store.put(revoked);
    return { status: 'candidate', revoked: reason, verdict: revoked };
  }

  /**
   * Revoke (persisted) every approval given by a list (config, demo) for a pair the lists of
   * this run no longer name: back to candidate, with the reason, the time and 'engine' as who.
   * Approvals a person gave, rejections and candidates are left as they are.
   */
  async revokeUnlisted(listed: ReadonlySet<string>): Promise<Verdict[]> {
    const revoked: Verdict[] = [];
    for (const v of this.approved()) {
      if ((v.decidedBy !== 'config' && v.decidedBy !== 'demo') || listed.has(v.key)) continue;
      const next = await this.revoke(v.key, UNLISTED[v.decidedBy]);
      if (next) revoked.push(next);
    }
    return revoked;
  }

  /** The approvals standing now (whoever gave them). */
  approved(): Verdict[] {
    return [...this.store.all()].filter((v) => v.status === 'approved');
  }

  /**
   * Revoke (persisted) the approval of a pair back to candidate, by the engine, with the reason
   * and the time (a market of the pair left its venue's open catalog). The fingerprints and the
   * relation the approval was bound to are kept. Null when the pair is not approved (nothing to do).
   */
  async revoke(key: string, reason: string): Promise<Verdict | null> {
    const v = this.store.get(key);
    if (!v || v.status !== 'approved') return null;
    const next: Verdict = { key, status: 'candidate', decidedBy: 'engine', reason, at: this.now(), fingerprint: v.fingerprint, relation: v.relation };
    await this.store.put(next);
    return next;
  }

  /**
   * A list's approval of a pair it names: given when nothing was decided about the pair yet, or
   * when the only thing decided was that a list had stopped naming it (named again, approved
   * again). Any other verdict stands: a person's decision, or a revocation because a market or
   * the relation changed (a person checks those again). Returns the approval when one was given.
   */
  async approveListed(input: RegistryInput, decidedBy: ListSource, reason: string | null): Promise<Verdict | null> {
    const existing = this.store.get(input.key);
    if (existing && !isUnlistedRevocation(existing)) return null;
    return this.approve(input, decidedBy, reason);
  }

  async approve(input: RegistryInput, decidedBy: DecidedBy, reason: string | null = null): Promise<Verdict> {
    const v: Verdict = { key: input.key, status: 'approved', decidedBy, reason, at: this.now(), fingerprint: input.fingerprint, relation: input.relation };
    await this.store.put(v);
    return v;
  }

  async reject(input: RegistryInput, decidedBy: DecidedBy, reason: string | null = null): Promise<Verdict> {
    const v: Verdict = { key: input.key, status: 'rejected', decidedBy, reason, at: this.now(), fingerprint: input.fingerprint, relation: input.relation };
    await this.store.put(v);
    return v;
  }
}
