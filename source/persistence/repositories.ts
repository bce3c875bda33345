/** All repositories over one connection. */
import type { SqlConnection } from './connection.js';
import { AppStateRepository, AuditRepository } from './repositories/audit.js';
import { MarketsRepository } from './repositories/markets.js';
import { OpportunitiesRepository } from './repositories/opportunities.js';
import { OrdersRepository } from './repositories/orders.js';
import { PairsRepository } from './repositories/pairs.js';
import { SessionsRepository } from './repositories/sessions.js';
import { TradesRepository } from './repositories/trades.js';

export class Repositories {
  readonly sessions: SessionsRepository;
  readonly markets: MarketsRepository;
  readonly pairs: PairsRepository;
  readonly opportunities: OpportunitiesRepository;
  readonly trades: TradesRepository;
  readonly orders: OrdersRepository;
  readonly audit: AuditRepository;
  readonly state: AppStateRepository;

  constructor(conn: SqlConnection, now: () => number) {
    this.sessions = new SessionsRepository(conn, now);
    this.markets = new MarketsRepository(conn, now);
    this.pairs = new PairsRepository(conn, now);
    this.opportunities = new OpportunitiesRepository(conn, now);
    this.trades = new TradesRepository(conn, now);
    this.orders = new OrdersRepository(conn, now);
    this.audit = new AuditRepository(conn, now);
    this.state = new AppStateRepository(conn, now);
  }
}
