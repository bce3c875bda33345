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
 * The keys of one read from the terminal. Several printable characters can arrive
 * together (key repeat over a slow SSH link, a paste into the filter), and so can a
 * word typed fast and its Enter ("fed⏎"); Ink hands them over as one input, which is
 * one key each here, with one Enter at the end at most (a line break, CRLF included).
 * Several Backspaces in one read are that many Backspaces; Esc and a key in one read
 * (which Ink takes for Alt+key) are Esc and the key. Anything else with control
 * characters that Ink did not recognise stays unknown: a paste of several lines is not
 * played back as keys.
 */
export function keyNames(input: string, key: Key): KeyName[] {
  // Esc then a key, arriving together, reads as Alt+key ("\x1bp"): the app binds no Alt
  // keys, so it is the two keys the person pressed (Esc closing the ticket, then p).
  if (key.meta && !key.ctrl && input.length === 1 && input >= ' ') return ['escape', input === ' ' ? 'space' : input];
  // Backspace held or pressed fast: one read of several DEL (or BS) characters.
  // eslint-disable-next-line no-control-regex
  if (input.length >= 2 && /^[\u007f\u0008]+$/.test(input)) return Array.from({ length: input.length }, () => 'backspace');
  const one = keyName(input, key);
  if (one !== null) return [one];
  if (key.ctrl || key.meta || input.length < 2) return [];
  const line = /(?:\r\n|\r|\n)$/.exec(input);
  const text = line === null ? input : input.slice(0, line.index);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return [];
  const keys = [...text].map((c) => (c === ' ' ? 'space' : c));
  return line === null ? keys : [...keys, 'enter'];
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
