/**
 * The paper venues' memory in the arb-tui database (app_state, one key per venue), so
 * paper orders, fills, positions, balance and ids survive a restart and start-up
 * reconciliation reads them back through the venue port like a real venue's.
 *
 * The app wires it in paper mode:
 *   new PaperVenue({ id, bookSource, now, store: paperVenueStore(db, id) })
 * Each save is one transaction written at once; an order's is flushed (writeCritical)
 * before the paper venue answers it, a minted id's rides on the caller's next flush (the
 * intent that records the id is written after it, so no image has the id without it).
 */
import type { VenueId } from '../../domain/market.js';
import type { ArbDatabase } from '../../persistence/database.js';
import type { PaperVenueStore } from '../../venues/paper/paper-venue.js';

export const PAPER_VENUE_STATE_PREFIX = 'paper_venue:';

export function paperVenueStore(db: ArbDatabase, venue: VenueId): PaperVenueStore {
  const key = `${PAPER_VENUE_STATE_PREFIX}${venue}`;
  return {
    load: () => db.repos.state.get(key),
    save: (state, durable) => {
      if (durable) return db.writeCritical((r) => r.state.set(key, state));
      db.write((r) => r.state.set(key, state));
      return undefined;
    },
  };
}
