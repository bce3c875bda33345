/**
 * Polymarket CLOB authentication (polymarket-api.md §3).
 * - L1: an EIP-712 `ClobAuth` signature by the wallet key, sent as POLY_ADDRESS,
 *   POLY_SIGNATURE, POLY_TIMESTAMP (unix seconds), POLY_NONCE; used to create
 *   (`POST /auth/api-key`) or derive (`GET /auth/derive-api-key`) the L2 credentials.
 * - L2: HMAC headers on every trading call: POLY_ADDRESS (the signing EOA, not the
 *   funder), POLY_SIGNATURE, POLY_TIMESTAMP, POLY_API_KEY, POLY_PASSPHRASE.
 */
import type { Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { PolymarketApiCredentials, PolymarketCredentials } from '../../credentials/store.js';
import { Secret } from '../../credentials/secret.js';
import type { HttpClient } from '../../lib/http-client.js';
import { RejectedVenueError } from '../errors.js';
import { buildHmacSignature, signClobAuth } from './signing.js';
import { apiKeyResponseSchema } from './trading-schemas.js';

export const POLY_ADDRESS = 'POLY_ADDRESS';
export const POLY_SIGNATURE = 'POLY_SIGNATURE';
export const POLY_TIMESTAMP = 'POLY_TIMESTAMP';
export const POLY_NONCE = 'POLY_NONCE';
export const POLY_API_KEY = 'POLY_API_KEY';
export const POLY_PASSPHRASE = 'POLY_PASSPHRASE';

/** The viem account for a wallet key (the key stays inside viem's closure). */
export function walletAccount(credentials: Pick<PolymarketCredentials, 'privateKey'>): PrivateKeyAccount {
  return privateKeyToAccount(credentials.privateKey.reveal() as Hex);
}

export async function l1Headers(account: PrivateKeyAccount, chainId: number, nowMs: number, nonce = 0n): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [POLY_ADDRESS]: account.address,
    [POLY_SIGNATURE]: await signClobAuth(account, chainId, timestamp, nonce),
    [POLY_TIMESTAMP]: timestamp,
    [POLY_NONCE]: nonce.toString(),
  };
}

export function l2Headers(
  address: Hex,
  api: PolymarketApiCredentials,
  nowMs: number,
  method: string,
  requestPath: string,
  body?: string,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [POLY_ADDRESS]: address,
    [POLY_SIGNATURE]: buildHmacSignature(api.secret.reveal(), timestamp, method, requestPath, body),
    [POLY_TIMESTAMP]: String(timestamp),
    [POLY_API_KEY]: api.key,
    [POLY_PASSPHRASE]: api.passphrase.reveal(),
  };
}

function toApiCredentials(r: { apiKey: string; secret: string; passphrase: string }): PolymarketApiCredentials {
  return { key: r.apiKey, secret: new Secret(r.secret), passphrase: new Secret(r.passphrase) };
}

/** `GET /auth/derive-api-key` (existing credentials for this nonce). */
export async function deriveApiCredentials(clob: HttpClient, account: PrivateKeyAccount, chainId: number, now: () => number, nonce = 0n): Promise<PolymarketApiCredentials> {
  const r = await clob.get('/auth/derive-api-key', {
    label: 'GET /auth/derive-api-key',
    schema: apiKeyResponseSchema,
    headers: await l1Headers(account, chainId, now(), nonce),
    retry: false,
  });
  return toApiCredentials(r.data);
}

/** `POST /auth/api-key` (new credentials; they cannot be recovered later). */
export async function createApiCredentials(clob: HttpClient, account: PrivateKeyAccount, chainId: number, now: () => number, nonce = 0n): Promise<PolymarketApiCredentials> {
  const r = await clob.post('/auth/api-key', {
    label: 'POST /auth/api-key',
    schema: apiKeyResponseSchema,
    headers: await l1Headers(account, chainId, now(), nonce),
  });
  return toApiCredentials(r.data);
}

/** Derive the credentials; create them when the venue has none for this wallet yet. */
export async function deriveOrCreateApiCredentials(clob: HttpClient, account: PrivateKeyAccount, chainId: number, now: () => number, nonce = 0n): Promise<PolymarketApiCredentials> {
  try {
    return await deriveApiCredentials(clob, account, chainId, now, nonce);
  } catch (error) {
    if (error instanceof RejectedVenueError) return createApiCredentials(clob, account, chainId, now, nonce);
    throw error;
  }
}
