/** The whole app in a fake 80x24 terminal over a filled store, with recording actions. */
import { App } from '../../../source/ui/app.js';
import type { SessionInfo } from '../../../source/store/store.js';
import { MONO_THEME } from '../../../source/ui/theme.js';
import { FakeActions, filledStore, manualClock } from './fixtures.js';
import { renderInTerminal, settle, type Terminal } from './terminal.js';

export interface Harness {
  readonly t: Terminal;
  readonly actions: FakeActions;
  readonly store: ReturnType<typeof filledStore>['store'];
  readonly clock: ReturnType<typeof manualClock>;
  /** The line with the cursor marker, trimmed. */
  selected(): string;
  press(...keys: string[]): Promise<void>;
  frame(): string;
}

export function harness(options: { session?: Partial<SessionInfo>; columns?: number; rows?: number } = {}): Harness {
  const clock = manualClock();
  const { store } = filledStore({ clock, ...(options.session ? { session: options.session } : {}) });
  const actions = new FakeActions(store, clock.now);
  const t = renderInTerminal(<App store={store} actions={actions} theme={MONO_THEME} />, options.columns ?? 80, options.rows ?? 24);
  return {
    t,
    actions,
    store,
    clock,
    selected: () => t.frame().split('\n').find((l) => l.startsWith('›'))?.trim() ?? '',
    press: async (...keys: string[]) => {
      await t.press(...keys);
      await settle();
    },
    frame: () => t.frame(),
  };
}
