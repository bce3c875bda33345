/**
 * Polymarket error classifier for the HTTP client. Gamma and CLOB error bodies
 * are `{"error": "<message>"}` (docs error-codes); Cloudflare may answer HTML.
 *
 * - 429, 408, 5xx -> retryable (the CLOB's 503 "cancel-only" included: reads still work
 *   later, and the message is kept so health can report it);
 * - 401, 403 -> auth;
 * - other 4xx (400 "Invalid token id", 404 "No orderbook exists…", unknown market) -> rejected.
 */
import type { ClassifiedError, ErrorClassifier } from '../../lib/http-client.js';
import { errorBodySchema } from './schemas.js';

function messageOf(status: number, body: unknown, rawText: string): string {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success && parsed.data.error.trim() !== '') return parsed.data.error;
  const snippet = rawText.slice(0, 120).replace(/\s+/g, ' ').trim();
  return snippet === '' ? `HTTP ${status}` : snippet;
}

/** A CLOB message saying new orders are refused while cancels work. */
export function isCancelOnlyMessage(message: string): boolean {
  return /cancel[- ]only/i.test(message);
}

export const classifyPolymarketError: ErrorClassifier = (status, body, rawText): ClassifiedError => {
  const message = messageOf(status, body, rawText);
  if (status === 429) return { kind: 'retryable', code: 'rate-limited', message };
  if (status === 408) return { kind: 'retryable', code: 'timeout', message };
  if (status >= 500) {
    return { kind: 'retryable', code: isCancelOnlyMessage(message) ? 'cancel-only' : 'server', message };
  }
  if (status === 401 || status === 403) return { kind: 'auth', code: status === 401 ? 'unauthorized' : 'forbidden', message };
  if (status === 404) return { kind: 'rejected', code: 'not-found', message };
  return { kind: 'rejected', code: 'bad-request', message };
};
