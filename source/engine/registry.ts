/**
 * The pair registry: what a person (or the config, or the demo) decided about
 * each proposed pair. Only approved pairs are ever traded. Rejected pairs stay
 * blocked whatever the matcher says later. An approval is bound to the
 * fingerprints of both markets (title, rules, close time, status): when either
 * venue changes one, the approval is revoked back to candidate with a warning.
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
