/**
 * When the opportunity the person selected goes away, the cursor sits on another row they
 * may not have read: Enter then selects that row and says so, and only a second Enter opens
 * its ticket (found by hand: one Enter opened a ticket for a row never looked at).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers/harness.js';
import { KEYS } from './helpers/terminal.js';

let h: Harness | null = null;
afterEach(() => {
  h?.t.unmount();
  h = null;
});

describe('Enter after the selected opportunity went away', () => {
  it('first Enter selects the row now under the cursor and says so; the second opens it', async () => {
    h = harness();
    await h.press('j'); // select the second row by its key
    const picked = h.selected();
    const id = h.store.getSnapshot().opportunities.find((o) => picked.includes(o.legs[0].market.title.slice(0, 12)))?.id;
    expect(id).toBeDefined();
    h.store.update((d) => {
      d.opportunities.delete(id as string);
    });
    h.clock.advance(5_000); // past the closed row's fade
    h.store.flush();
    await h.press(KEYS.enter);
    expect(h.frame()).not.toContain('Trade ticket');
    expect(h.frame()).toContain('The opportunity you had selected is gone');
    expect(h.actions.calls.filter((c) => c.name === 'quote')).toHaveLength(0);
    await h.press(KEYS.enter);
    expect(h.frame()).toContain('Trade ticket');
  });
});
