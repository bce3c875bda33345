/**
 * The facade the app wires into `AppActions.confirm` (and the headless runner):
 *
 *   const execution = createExecution({ db, sessionId, venues, now, settings, onUpdate, resolveMarket });
 *   await execution.reconcile();            // start-up: armed, or read-only with a reason
 *   const result = await execution.execute(opportunity, size, quoteId);   // ConfirmResult
 *
 * Paper mode passes PaperVenues as `venues`; nothing else changes.
 */
import type { ConfirmResult } from '../../app/actions.js';
import type { KalshiFeeRounding } from '../../domain/fees.js';
import type { Market, VenueId } from '../../domain/market.js';
import type { Size } from '../../domain/money.js';
import type { OrderBook } from '../../domain/order-book.js';
import type { ArbDatabase } from '../../persistence/database.js';
import type { TradingVenue } from '../../venues/trading.js';
import { notTradableMessage, type AccountLimits, type Opportunity } from '../detector.js';
import { Executor, type AttemptReport, type ExecuteOptions, type ReconcileResult } from './executor.js';
import type { RiskDecision } from './risk-gate.js';
import { DEFAULT_EXECUTION_SETTINGS, type ExecutionSettings } from './settings.js';
import type { ExecutionUpdate } from './views.js';

export interface CreateExecutionOptions {
  readonly db: ArbDatabase;
  readonly sessionId: number;
  readonly venues: Readonly<Record<VenueId, TradingVenue>>;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Missing fields take DEFAULT_EXECUTION_SETTINGS. */
  readonly settings?: Partial<ExecutionSettings>;
  readonly onUpdate?: (update: ExecutionUpdate) => void;
  /** What the account can pay for moved (balances read again, a reservation released). */
  readonly onAccountChange?: () => void;
  readonly onAlert?: (message: string) => void;
  readonly onLog?: (level: 'info' | 'warn', message: string) => void;
  readonly books?: (venue: VenueId, marketId: string) => OrderBook | undefined;
  /** Needed to reconcile attempts of an earlier run (markets by venue and id). */
  readonly resolveMarket?: (venue: VenueId, marketId: string) => Market | undefined | Promise<Market | undefined>;
  readonly paper?: boolean;
  readonly kalshiFeeRounding?: KalshiFeeRounding;
}

export interface Execution {
  readonly settings: ExecutionSettings;
  /** Armed once reconciliation succeeded. */
  readonly armed: boolean;
  /** Why trading is read-only (null when armed): show it as a banner. */
  readonly readOnlyReason: string | null;
  reconcile(): Promise<ReconcileResult>;
  /** A confirmed ticket: submitted once the intent is on disk and both orders are on their way. */
  execute(opportunity: Opportunity, size: Size, quoteId: string, options?: ExecuteOptions): Promise<ConfirmResult>;
  /** Headless auto-execution (refused unless `autoExecute`; every risk limit applies). */
  autoExecute(opportunity: Opportunity, quoteId: string): Promise<ConfirmResult>;
  /** Like execute, with the attempt's completion (tests, headless). */
  start(opportunity: Opportunity, size: Size, quoteId: string, options?: ExecuteOptions): Promise<{ result: ConfirmResult; completion: Promise<AttemptReport> | null }>;
  check(opportunity: Opportunity, size: Size): RiskDecision;
  /** What the account can pay for now, per pair (the engine sizes opportunities to it). */
  accountView(): (kalshi: Market, polymarket: Market) => AccountLimits;
  resetCircuitBreaker(): Promise<void>;
  unblockPair(pairKey: string): Promise<void>;
  /** Wait for every running attempt to end. */
  idle(): Promise<void>;
  /** The app is stopping: refuse new attempts (saying `reason`) and wait for those under way. */
  stop(reason: string): Promise<void>;
}

export function createExecution(options: CreateExecutionOptions): Execution {
  const settings: ExecutionSettings = { ...DEFAULT_EXECUTION_SETTINGS, ...options.settings };
  const executor = new Executor({ ...options, settings });
  return {
    settings,
    get armed() {
      return executor.armed;
    },
    get readOnlyReason() {
      return executor.readOnlyReason;
    },
    reconcile: () => executor.reconcile(),
    execute: async (opportunity, size, quoteId, opts) => (await executor.start(opportunity, size, quoteId, opts)).result,
    autoExecute: async (opportunity, quoteId) => {
      if (!settings.autoExecute) return { kind: 'refused', reason: 'auto_execute is off' };
      if (!opportunity.tradable) return { kind: 'refused', reason: notTradableMessage(opportunity) };
      return (await executor.start(opportunity, opportunity.size, `auto:${opportunity.id}@${opportunity.computedAt}`, { actor: 'engine' })).result;
    },
    start: (opportunity, size, quoteId, opts) => executor.start(opportunity, size, quoteId, opts),
    check: (opportunity, size) => executor.check(opportunity, size),
    accountView: () => executor.accountView(),
    resetCircuitBreaker: () => executor.resetCircuitBreaker(),
    unblockPair: (pairKey) => executor.unblockPair(pairKey),
    idle: () => executor.idle(),
    stop: (reason) => executor.stop(reason),
  };
}
