/**
 * Reading one TOML config file: a syntax error becomes a ConfigError with the
 * file, line and column and the offending lines.
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from './errors.js';

export type TomlTable = Record<string, unknown>;

export function parseTomlText(file: string, text: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
      const excerpt = error.codeblock ? `\n${error.codeblock}` : '';
      throw new ConfigError(`${file}:${error.line}:${error.column}: TOML syntax error: ${reason}${excerpt}`, {
        file,
        line: error.line,
      });
    }
    throw error;
  }
}
