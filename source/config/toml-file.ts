/**
 * Reading one TOML config file: a syntax error becomes a ConfigError with the
 * file, line and column and the offending line, its value hidden when the key
 * looks like a secret (a key pasted unquoted is a syntax error, and the parser's
 * own excerpt would print it).
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from './errors.js';
import { isSecretLookingKey } from './secrets.js';

export type TomlTable = Record<string, unknown>;

/** `key = value` (the key bare, quoted or dotted), or a table header. */
const KEY_LINE = /^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/;
const HEADER_LINE = /^\s*\[\[?[^\]=]*\]\]?\s*(?:#.*)?$/;

/**
 * The line as it may be shown: a table header or a `key = value` line whose key does not
 * look like a secret is shown as is; a secret-looking key's value is hidden; any other
 * line (a value running on from an earlier line) is not shown, as it may hold one.
 */
export function safeExcerptLine(line: string): { text: string; verbatim: boolean } {
  if (HEADER_LINE.test(line)) return { text: line, verbatim: true };
  const key = KEY_LINE.exec(line);
  if (key === null) return { text: '(line not shown: it may continue a value)', verbatim: false };
  const parts = (key[2] ?? '').split('.').map((p) => p.trim().replace(/^["']|["']$/g, ''));
  // any word of the line that names a secret (an inline table `kalshi = { private_key = … }` too)
  const words = line.match(/[A-Za-z0-9_-]+/g) ?? [];
  if (parts.some(isSecretLookingKey) || words.some(isSecretLookingKey)) {
    return { text: `${key[1] ?? ''}${key[2] ?? ''} = (value hidden: the line names a secret)`, verbatim: false };
  }
  return { text: line, verbatim: true };
}

function excerpt(text: string, line: number, column: number): string {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return '';
  const shown = safeExcerptLine(source);
  const gutter = `${line} | `;
  const caret = shown.verbatim && column >= 1 ? `\n${' '.repeat(gutter.length + column - 1)}^` : '';
  return `\n${gutter}${shown.text}${caret}`;
}

export function parseTomlText(file: string, text: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      let reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
      // a string left open runs into the line break, which the parser names as a control character
      if (/control characters are not allowed in strings/.test(reason)) reason += ' (a string left open? check its closing quote)';
      throw new ConfigError(`${file}:${error.line}:${error.column}: TOML syntax error: ${reason}${excerpt(text, error.line, error.column)}`, {
        file,
        line: error.line,
      });
    }
    throw error;
  }
}
