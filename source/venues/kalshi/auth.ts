/**
 * Kalshi request signing (kalshi-api.md §4): every authenticated request carries
 *   KALSHI-ACCESS-KEY        the API key id
 *   KALSHI-ACCESS-TIMESTAMP  unix milliseconds, as a string
 *   KALSHI-ACCESS-SIGNATURE  base64( RSA-PSS-SHA256( timestamp + METHOD + path ) )
 * where `path` is the full path from the host, including `/trade-api/v2`, without the
 * query string and without the host; the body is not signed. PSS uses MGF1(SHA-256)
 * and a salt as long as the digest (32 bytes). Sign immediately before sending: Kalshi
 * rejects timestamps more than a few seconds old (`header_timestamp_expired`).
 */
import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { KalshiCredentials } from '../../credentials/store.js';

export const KALSHI_HEADER_KEY = 'KALSHI-ACCESS-KEY';
export const KALSHI_HEADER_SIGNATURE = 'KALSHI-ACCESS-SIGNATURE';
export const KALSHI_HEADER_TIMESTAMP = 'KALSHI-ACCESS-TIMESTAMP';

/** The signed text: timestamp + METHOD + path, the query string dropped. */
export function kalshiSignatureMessage(timestampMs: string, method: string, path: string): string {
  const q = path.indexOf('?');
  return `${timestampMs}${method.toUpperCase()}${q < 0 ? path : path.slice(0, q)}`;
}

/** RSA-PSS SHA-256, salt length = digest length, base64. */
export function signKalshiMessage(key: KeyObject, message: string): string {
  return sign('sha256', Buffer.from(message, 'utf8'), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString('base64');
}

export class KalshiAuth {
  readonly keyId: string;
  readonly #key: KeyObject;
  readonly #now: () => number;

  constructor(credentials: KalshiCredentials, now: () => number = Date.now) {
    this.keyId = credentials.keyId;
    this.#key = createPrivateKey(credentials.privateKeyPem.reveal());
    this.#now = now;
  }

  /** Headers for one request; `path` is the full path (with `/trade-api/v2`), query allowed. */
  headers(method: string, path: string): Record<string, string> {
    const timestamp = String(this.#now());
    return {
      [KALSHI_HEADER_KEY]: this.keyId,
      [KALSHI_HEADER_TIMESTAMP]: timestamp,
      [KALSHI_HEADER_SIGNATURE]: signKalshiMessage(this.#key, kalshiSignatureMessage(timestamp, method, path)),
    };
  }

  toJSON(): { keyId: string } {
    return { keyId: '[redacted]' };
  }
}
