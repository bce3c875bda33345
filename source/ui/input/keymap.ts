/**
 * THE keymap: every command the UI understands, the keys bound to it in each
 * scope, and what it does. The dispatcher resolves keys from it and the help
 * overlay is generated from it; nothing else binds keys.
 */
import type { KeyName } from './key-name.js';

/** Where a binding applies. Modal scopes (ticket, confirm, help, detail, message, filter) take keys first. */
export type Scope =
  | 'always'
  | 'app'
  | 'list'
  | 'opportunities'
  | 'pairs'
  | 'log'
  | 'filter'
  | 'ticket'
  | 'detail'
  | 'confirm'
  | 'message'
  | 'help'
  | 'too-small';

export type CommandId =
  | 'app.quit'
  | 'app.force-quit'
  | 'app.help'
  | 'app.pause'
  | 'app.export'
  | 'app.kill-switch'
  | 'view.next'
  | 'view.prev'
  | 'view.opportunities'
  | 'view.pairs'
  | 'view.positions'
  | 'view.orders'
  | 'view.log'
  | 'list.up'
  | 'list.down'
  | 'list.page-up'
  | 'list.page-down'
  | 'list.top'
  | 'list.bottom'
  | 'list.filter'
  | 'opportunities.open'
  | 'pairs.open'
  | 'log.open'
  | 'opportunities.sort'
  | 'pairs.approve'
  | 'pairs.reject'
  | 'filter.type'
  | 'filter.backspace'
  | 'filter.accept'
  | 'filter.clear'
  | 'ticket.confirm'
  | 'ticket.cancel'
  | 'ticket.more'
  | 'ticket.less'
  | 'ticket.digit'
  | 'ticket.backspace'
  | 'ticket.requote'
  | 'detail.close'
  | 'detail.up'
  | 'detail.down'
  | 'detail.approve'
  | 'detail.reject'
  | 'confirm.yes'
  | 'confirm.no'
  | 'message.close'
  | 'help.close'
  | 'help.up'
  | 'help.down';

export interface Binding {
  readonly id: CommandId;
  readonly scope: Scope;
  readonly keys: readonly KeyName[];
  readonly description: string;
  /** Takes the character typed (text fields): any printable key not bound otherwise in the scope. */
  readonly text?: 'printable' | 'size';
}

export const KEYMAP: readonly Binding[] = [
  { id: 'app.force-quit', scope: 'always', keys: ['ctrl-c'], description: 'Quit anywhere (2× force)' },
  { id: 'app.quit', scope: 'app', keys: ['q'], description: 'Quit (saves the database)' },
  { id: 'app.help', scope: 'app', keys: ['?'], description: 'This help' },
  { id: 'app.pause', scope: 'app', keys: ['p'], description: 'Pause / resume the prices' },
  { id: 'app.export', scope: 'app', keys: ['e'], description: 'Export the session to CSV' },
  { id: 'app.kill-switch', scope: 'app', keys: ['K'], description: 'Kill switch (asks first)' },
  { id: 'view.next', scope: 'app', keys: ['tab'], description: 'Next view' },
  { id: 'view.prev', scope: 'app', keys: ['shift-tab'], description: 'Previous view' },
  { id: 'view.opportunities', scope: 'app', keys: ['1'], description: 'Opportunities' },
  { id: 'view.pairs', scope: 'app', keys: ['2'], description: 'Pairs' },
  { id: 'view.positions', scope: 'app', keys: ['3'], description: 'Positions & P&L' },
  { id: 'view.orders', scope: 'app', keys: ['4'], description: 'Orders & fills' },
  { id: 'view.log', scope: 'app', keys: ['5'], description: 'Log' },

  { id: 'list.up', scope: 'list', keys: ['up', 'k'], description: 'Move up' },
  { id: 'list.down', scope: 'list', keys: ['down', 'j'], description: 'Move down' },
  { id: 'list.page-up', scope: 'list', keys: ['pageup'], description: 'Page up' },
  { id: 'list.page-down', scope: 'list', keys: ['pagedown'], description: 'Page down' },
  { id: 'list.top', scope: 'list', keys: ['home', 'g'], description: 'First row' },
  { id: 'list.bottom', scope: 'list', keys: ['end', 'G'], description: 'Last row' },
  { id: 'list.filter', scope: 'list', keys: ['/'], description: 'Filter rows' },

  { id: 'opportunities.open', scope: 'opportunities', keys: ['enter'], description: 'Trade ticket' },
  { id: 'opportunities.sort', scope: 'opportunities', keys: ['s'], description: 'Sort: net / annualised' },
  { id: 'pairs.open', scope: 'pairs', keys: ['enter'], description: 'Pair details: why the matcher paired them' },
  { id: 'pairs.approve', scope: 'pairs', keys: ['a'], description: 'Approve the pair' },
  { id: 'pairs.reject', scope: 'pairs', keys: ['r'], description: 'Reject the pair' },
  { id: 'log.open', scope: 'log', keys: ['enter'], description: 'Show the whole log line' },

  { id: 'filter.accept', scope: 'filter', keys: ['enter'], description: 'Keep the filter' },
  { id: 'filter.clear', scope: 'filter', keys: ['escape'], description: 'Clear the filter' },
  { id: 'filter.backspace', scope: 'filter', keys: ['backspace'], description: 'Delete a character' },
  { id: 'filter.type', scope: 'filter', keys: [], description: 'Type to filter', text: 'printable' },

  { id: 'ticket.confirm', scope: 'ticket', keys: ['y'], description: 'Confirm this exact quote' },
  { id: 'ticket.cancel', scope: 'ticket', keys: ['n', 'escape'], description: 'Cancel' },
  { id: 'ticket.more', scope: 'ticket', keys: ['+', '=', 'right'], description: 'Size +1' },
  { id: 'ticket.less', scope: 'ticket', keys: ['-', 'left'], description: 'Size −1' },
  { id: 'ticket.digit', scope: 'ticket', keys: [], description: 'Type a size (digits, .)', text: 'size' },
  { id: 'ticket.backspace', scope: 'ticket', keys: ['backspace'], description: 'Delete a size digit' },
  { id: 'ticket.requote', scope: 'ticket', keys: ['r'], description: 'Quote again (new books)' },

  { id: 'detail.close', scope: 'detail', keys: ['escape', 'enter', 'q'], description: 'Close the detail view' },
  { id: 'detail.up', scope: 'detail', keys: ['up', 'k'], description: 'Scroll up' },
  { id: 'detail.down', scope: 'detail', keys: ['down', 'j'], description: 'Scroll down' },
  { id: 'detail.approve', scope: 'detail', keys: ['a'], description: 'Approve the pair' },
  { id: 'detail.reject', scope: 'detail', keys: ['r'], description: 'Reject the pair' },

  { id: 'confirm.yes', scope: 'confirm', keys: ['y'], description: 'Yes' },
  { id: 'confirm.no', scope: 'confirm', keys: ['n', 'escape'], description: 'No' },

  { id: 'message.close', scope: 'message', keys: ['escape', 'enter', 'space', 'q'], description: 'Close' },

  { id: 'help.close', scope: 'help', keys: ['?', 'escape', 'q'], description: 'Close help' },
  { id: 'help.up', scope: 'help', keys: ['up', 'k'], description: 'Scroll up' },
  { id: 'help.down', scope: 'help', keys: ['down', 'j'], description: 'Scroll down' },

  { id: 'app.quit', scope: 'too-small', keys: ['q'], description: 'Quit' },
];

export const SCOPE_TITLES: Record<Scope, string> = {
  always: 'Everywhere',
  app: 'Global',
  list: 'Lists',
  opportunities: 'Opportunities',
  pairs: 'Pairs',
  log: 'Log',
  filter: 'Filter (after /)',
  ticket: 'Trade ticket',
  detail: 'Pair detail',
  confirm: 'Confirmations',
  message: 'Messages',
  help: 'Help',
  'too-small': 'Terminal too small',
};
