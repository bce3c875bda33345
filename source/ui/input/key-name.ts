/**
 * One name per keypress, from Ink's (input, key) pair: "j", "K", "?", "enter",
 * "escape", "tab", "shift-tab", "up", "ctrl-c" … The keymap speaks these names.
 */
import type { Key } from 'ink';

export type KeyName = string;

export function keyName(input: string, key: Key): KeyName | null {
  if (key.ctrl && input.length === 1 && /[a-z]/i.test(input)) return `ctrl-${input.toLowerCase()}`;
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (input === ' ') return 'space';
  if (input.length === 1 && input >= ' ') return input;
  return null;
}

/**
 * The keys of one read from the terminal. Several keys can arrive together (key repeat
 * over a slow SSH link, Ctrl-C pressed twice, Backspace then Enter typed fast, a paste into
 * the filter); Ink hands them over as one input, which is one key each here: printable
 * characters, Backspace (DEL or BS), Enter (CR, LF or CRLF), Tab, Ctrl-letter. A paste of
 * several lines (text with an Enter before its end) is not played back as keys, nor is
 * anything with an escape sequence Ink did not recognise. Esc and a key in one read (which
 * Ink takes for Alt+key) are Esc and the key.
 */
export function keyNames(input: string, key: Key): KeyName[] {
  // Esc then a key, arriving together, reads as Alt+key ("\x1bp"): the app binds no Alt
  // keys, so it is the two keys the person pressed (Esc closing the ticket, then p).
  if (key.meta && !key.ctrl && input.length === 1 && input >= ' ') return ['escape', input === ' ' ? 'space' : input];
  // Ink gives a lone key as at most one character (an arrow, Enter or Esc as '' with its flag)
  if (input.length <= 1) {
    const one = keyName(input, key);
    return one === null ? [] : [one];
  }
  // several characters after an Esc Ink took as Alt: an escape sequence it did not recognise
  if (key.meta || key.ctrl) return [];
  // the rest of an escape sequence whose Esc Ink took off ("[200~" of a bracketed paste, "[A", "OB")
  if (/^(?:\[[0-9;?]*[ -/]*[@-~]|O[A-Za-z])$/.test(input)) return [];
  return splitKeys(input);
}

/**
 * Commands a read of several keys never runs: they trade, decide or halt, and a paste (or
 * keys run together on a slow link) must not do that for the person ("Kyrgios" pasted on a
 * list would open the kill switch and answer it; "500y" on a ticket would confirm a quote
 * never shown). Pressed on their own they work as always.
 */
export const DELIBERATE_COMMANDS: ReadonlySet<string> = new Set([
  'ticket.confirm',
  'confirm.yes',
  'app.kill-switch',
  'pairs.approve',
  'pairs.reject',
  'detail.approve',
  'detail.reject',
]);

/** The keys of a raw read of several (see `keyNames`); empty when it is not keys a person typed. */
function splitKeys(raw: string): KeyName[] {
  const keys: KeyName[] = [];
  let printable = false;
  let enters = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c === 0x0d || c === 0x0a) {
      if (c === 0x0d && raw.charCodeAt(i + 1) === 0x0a) i += 1; // CRLF: one Enter
      keys.push('enter');
      enters += 1;
      continue;
    }
    if (c === 0x7f || c === 0x08) keys.push('backspace');
    else if (c === 0x09) keys.push('tab');
    else if (c === 0x1b) return []; // an escape sequence Ink did not recognise
    else if (c >= 0x01 && c <= 0x1a) keys.push(`ctrl-${String.fromCharCode(c + 0x60)}`);
    else if (c < 0x20) return [];
    else {
      keys.push(c === 0x20 ? 'space' : (raw[i] as string));
      printable = true;
    }
  }
  // text with an Enter before its end, or several: a paste of lines, not keys
  if (printable && (enters > 1 || (enters === 1 && keys.at(-1) !== 'enter'))) return [];
  return keys;
}

/** A printable character a text field may take. */
export function isPrintable(name: KeyName): boolean {
  return name.length === 1 || name === 'space';
}

/** The key as the help screen shows it. */
export function keyLabel(name: KeyName): string {
  switch (name) {
    case 'up':
      return '↑';
    case 'down':
      return '↓';
    case 'left':
      return '←';
    case 'right':
      return '→';
    case 'enter':
      return 'Enter';
    case 'escape':
      return 'Esc';
    case 'tab':
      return 'Tab';
    case 'shift-tab':
      return 'S-Tab';
    case 'pageup':
      return 'PgUp';
    case 'pagedown':
      return 'PgDn';
    case 'home':
      return 'Home';
    case 'end':
      return 'End';
    case 'backspace':
      return 'Bksp';
    case 'space':
      return 'Space';
    default:
      return name.startsWith('ctrl-') ? `Ctrl-${name.slice(5).toUpperCase()}` : name;
  }
}
