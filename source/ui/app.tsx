/**
 * The root component: reads the store's snapshot and the UI state, routes
 * every key through the one dispatcher, and lays out status bar, tabs, the
 * active view (or the modal on top) and the footer. No timers, I/O or engine
 * here: AppActions is the only way out.
 */
import { Box, useApp, useInput, type Key } from 'ink';
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import type { AppActions } from '../app/actions.js';
import type { Snapshot, Store } from '../store/store.js';
import { Footer } from './components/footer.js';
import { MessageLine, StatusBar } from './components/status-bar.js';
import { Tabs } from './components/tabs.js';
import { layersFor, runCommand, type ControllerContext } from './controller.js';
import { Cell, useTerminalSize } from './hooks.js';
import { dispatch } from './input/dispatcher.js';
import { DELIBERATE_COMMANDS, keyNames } from './input/key-name.js';
import type { Scope } from './input/keymap.js';
import { layoutFor, listRows, ordersSplit, type Layout } from './layout.js';
import { fillRows, logRows, opportunityRows, orderRows, pairRows, pnlTotals, positionKey, positionRows } from './rows.js';
import { HaltConfirm, MessageDialog, TooSmall } from './screens/dialogs.js';
import { HelpScreen } from './screens/help.js';
import { LogScreen } from './screens/log.js';
import { emptyOpportunities, OpportunitiesScreen } from './screens/opportunities.js';
import { OrdersScreen } from './screens/orders.js';
import { PairDetailScreen } from './screens/pair-detail.js';
import { PairsScreen } from './screens/pairs.js';
import { PositionsScreen } from './screens/positions.js';
import { ticketCanConfirm, TicketScreen } from './screens/ticket.js';
import { initialUiState, selectedIndex, windowTop, type UiState, type ViewId } from './state.js';
import type { Theme } from './theme.js';

/** Subscription surface of the store the UI needs (a `Store` satisfies it). */
export type SnapshotSource = Pick<Store, 'subscribe' | 'getSnapshot'>;

export interface AppProps {
  readonly store: SnapshotSource;
  readonly actions: AppActions;
  readonly theme: Theme;
  /** Start from this UI state (tests, benchmarks). */
  readonly initialState?: UiState;
}

function footerScopes(state: UiState): Scope[] {
  return layersFor(state, false).map((l) => l.scope);
}

function View({ snapshot, ui, layout, theme }: { snapshot: Snapshot; ui: UiState; layout: Layout; theme: Theme }) {
  const view = ui.view;
  const filter = ui.filters[view];
  const filtered = filter !== '';
  const pos = ui.positions[view];
  const height = listRows(view, layout.contentRows);
  const place = (keys: readonly string[]) => {
    const sel = selectedIndex(pos, keys);
    return { sel, top: windowTop(pos.top, sel, height, keys.length), key: sel < 0 ? null : (keys[sel] ?? null) };
  };
  switch (view) {
    case 'opportunities': {
      const rows = opportunityRows(snapshot, ui.sort, filter);
      const p = place(rows.map((r) => r.key));
      return <OpportunitiesScreen rows={rows} top={p.top} height={height} selectedKey={p.key} now={snapshot.publishedAt} theme={theme} filtered={filtered} width={layout.columns} empty={emptyOpportunities(snapshot)} />;
    }
    case 'pairs': {
      const rows = pairRows(snapshot, filter);
      const p = place(rows.map((r) => r.key));
      return <PairsScreen rows={rows} top={p.top} height={height} selected={p.sel < 0 ? null : (rows[p.sel] ?? null)} theme={theme} filtered={filtered} width={layout.columns} />;
    }
    case 'positions': {
      const rows = positionRows(snapshot, filter);
      const p = place(rows.map(positionKey));
      return <PositionsScreen rows={rows} top={p.top} height={height} selectedKey={p.key} totals={pnlTotals(snapshot.positions)} theme={theme} filtered={filtered} width={layout.columns} />;
    }
    case 'orders': {
      const orders = orderRows(snapshot, filter);
      const p = place(orders.map((o) => o.id));
      const split = ordersSplit(layout.contentRows);
      return (
        <OrdersScreen
          orders={orders}
          fills={fillRows(snapshot, filter)}
          top={p.top}
          orderHeight={split.orders}
          fillHeight={split.fills}
          selectedKey={p.key}
          theme={theme}
          filtered={filtered}
          width={layout.columns}
        />
      );
    }
    case 'log': {
      const rows = logRows(snapshot, filter);
      const p = place(rows.map((r) => r.key));
      return <LogScreen rows={rows} top={p.top} height={height} selectedKey={p.key} theme={theme} filtered={filtered} width={layout.columns} />;
    }
  }
}

function Content({ snapshot, ui, layout, theme }: { snapshot: Snapshot; ui: UiState; layout: Layout; theme: Theme }) {
  const m = ui.modal;
  const h = layout.contentRows;
  if (m === null) return <View snapshot={snapshot} ui={ui} layout={layout} theme={theme} />;
  switch (m.kind) {
    case 'help':
      return <HelpScreen height={h} columns={layout.columns} scroll={m.scroll} theme={theme} />;
    case 'detail':
      return <PairDetailScreen pair={snapshot.pairs.find((p) => p.key === m.pairKey) ?? null} height={h} columns={layout.columns} scroll={m.scroll} theme={theme} />;
    case 'ticket':
      return <TicketScreen ticket={m.ticket} now={snapshot.publishedAt} session={snapshot.session} height={h} columns={layout.columns} theme={theme} />;
    case 'confirm-halt':
      return <HaltConfirm halt={m.halt} busy={m.busy} error={m.error} height={h} theme={theme} />;
    case 'message':
      return <MessageDialog title={m.title} lines={m.lines} tone={m.tone} busy={m.busy} height={h} theme={theme} />;
  }
}

function viewCounts(s: Snapshot): Record<ViewId, number> {
  return {
    opportunities: s.opportunities.length,
    pairs: s.pairs.length,
    positions: s.positions.length,
    orders: s.orders.length,
    log: s.log.length,
  };
}

export function App({ store, actions, theme, initialState }: AppProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const uiCell = useRef<Cell<UiState> | null>(null);
  if (uiCell.current === null) uiCell.current = new Cell(initialState ?? initialUiState());
  const cell = uiCell.current;
  const ui = useSyncExternalStore(cell.subscribe, cell.get);
  const size = useTerminalSize();
  const layout = useMemo(() => layoutFor(size.columns, size.rows), [size.columns, size.rows]);
  const { exit } = useApp();

  // The controller reads the latest values at call time (answers arrive later).
  const latest = useRef({ layout, store });
  latest.current = { layout, store };
  const ctx = useMemo<ControllerContext>(
    () => ({
      getState: cell.get,
      setState: cell.set,
      getSnapshot: () => latest.current.store.getSnapshot(),
      actions,
      getLayout: () => latest.current.layout,
      exit: (error?: Error) => (error === undefined ? exit() : exit(error)),
    }),
    [cell, actions, exit],
  );

  const onKey = useCallback(
    (input: string, key: Key) => {
      // Each key is dispatched against the state the previous one left.
      const names = keyNames(input, key);
      for (const name of names) {
        const command = dispatch(name, layersFor(cell.get(), latest.current.layout.tooSmall));
        if (command === null) continue;
        // a read of several keys (a paste) never trades, decides or halts: the rest of it is dropped too
        if (names.length > 1 && DELIBERATE_COMMANDS.has(command.id)) break;
        runCommand(command, ctx);
      }
    },
    [cell, ctx],
  );
  useInput(onKey);

  if (layout.tooSmall) return <TooSmall columns={layout.columns} rows={layout.rows} theme={theme} />;

  const filter = ui.filters[ui.view];
  const sortLabel = ui.view === 'opportunities' ? `sort ${ui.sort === 'net' ? 'net' : 'ann.'}` : '';
  const right = [sortLabel, filter !== '' && !ui.filterEditing ? `/${filter}` : ''].filter((x) => x !== '').join(' · ');
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.frameRows} overflow="hidden">
      <StatusBar snapshot={snapshot} theme={theme} columns={layout.columns} />
      <MessageLine snapshot={snapshot} notice={ui.notice} theme={theme} />
      <Tabs view={ui.view} counts={viewCounts(snapshot)} right={right} theme={theme} columns={layout.columns} />
      <Box flexDirection="column" height={layout.contentRows} flexShrink={0} overflow="hidden">
        <Content snapshot={snapshot} ui={ui} layout={layout} theme={theme} />
      </Box>
      <Footer scopes={footerScopes(ui)} hidden={ui.modal?.kind === 'ticket' && !ticketCanConfirm(ui.modal.ticket) ? ['ticket.confirm'] : []} filter={{ text: filter, editing: ui.filterEditing }} theme={theme} width={layout.columns} />
    </Box>
  );
}
