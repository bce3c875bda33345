/** Reading the verbatim fixture copies under test/fixtures/kalshi/. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KALSHI_FIXTURES = fileURLToPath(new URL('../../fixtures/kalshi/', import.meta.url));

export function fixtureText(relative: string): string {
  return readFileSync(`${KALSHI_FIXTURES}${relative}`, 'utf8');
}

export function fixtureJson(relative: string): unknown {
  return JSON.parse(fixtureText(relative)) as unknown;
}
