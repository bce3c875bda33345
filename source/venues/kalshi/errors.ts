/**
 * Kalshi error bodies -> typed error kinds, for HttpClient's classifier.
 *
 * Shapes seen on the wire (docs §9, demo captures):
 *   nested  {"error":{"code":"not_found","message":"not found","service":"exchange"}}
 *   flat    {"code":"bad_request","message":"bad request","details":"json: cannot unmarshal …"}
 *   bare    {"msg":"Parameter validation failed for GetMarkets: …"}
 *   429     {"error":"too many requests"}   (no Retry-After header)
 * plus anything else (HTML from a proxy, empty body), which keeps the HTTP status.
 *
 * Kinds: 401/403 and the authentication codes -> auth; 429, 408, 425 and 5xx -> retryable;
 * other statuses -> rejected.
 */
import type { ClassifiedError } from '../../lib/http-client.js';
import { kalshiErrorBodySchema } from './schemas.js';

/** Codes that mean "your credentials", whatever the status. Prefix-matched (codes can embed ids). */
const AUTH_CODES = ['authentication_error', 'signature_is_missing_from_headers', 'header_timestamp_expired', 'unauthorized', 'forbidden'];

export interface KalshiErrorInfo {
  readonly code: string | undefined;
  readonly message: string;
}

/** Read code and message out of any of the known error-body shapes. */
export function readKalshiError(status: number, body: unknown, rawText: string): KalshiErrorInfo {
  const parsed = kalshiErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const b = parsed.data;
    if ('msg' in b) return { code: undefined, message: b.msg };
    if ('error' in b) {
      if (typeof b.error === 'string') return { code: undefined, message: b.error };
      return { code: b.error.code, message: describe(b.error) };
    }
    return { code: b.code, message: describe(b) };
  }
  const snippet = rawText.trim().slice(0, 120).replace(/\s+/g, ' ');
  return { code: undefined, message: snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}` };
}

function describe(e: { code: string; message?: string | undefined; details?: string | undefined }): string {
  const head = e.message && e.message !== e.code ? `${e.code}: ${e.message}` : e.code;
  return e.details ? `${head} (${e.details})` : head;
}

/** The HttpClient classifier for Kalshi. */
export function classifyKalshiError(status: number, body: unknown, rawText: string): ClassifiedError {
  const info = readKalshiError(status, body, rawText);
  const code = info.code?.toLowerCase();
  const isAuthCode = code !== undefined && AUTH_CODES.some((c) => code.startsWith(c));
  if (status === 401 || status === 403 || isAuthCode) return { kind: 'auth', code: info.code, message: info.message };
  if (status === 429 || status === 408 || status === 425 || status >= 500) {
    return { kind: 'retryable', code: info.code, message: info.message };
  }
  return { kind: 'rejected', code: info.code, message: info.message };
}
