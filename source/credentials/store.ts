/**
 * Credentials for the venues, from the environment or the OS keychain, with the
 * source reported. Environment variables win when they are complete (typical SSH
 * host without a keychain); otherwise the keychain entry (service "arb-tui", one JSON
 * entry per venue) is used. Every secret is wrapped in `Secret` as soon as it is read,
 * and no message here ever contains a secret value (only variable names and paths; a
 * "path" that looks like the key itself is never echoed, see path-value.ts).
 */
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import type { SecretEnvVar } from '../config/secrets.js';
import { KeychainUnavailableError, type Keyring } from './keyring.js';
import { classifyPathValue, displayPathValue, isUnusablePathValue, unusablePathMessage } from './path-value.js';
import { Secret } from './secret.js';

export type CredentialVenue = 'kalshi' | 'polymarket';
export const CREDENTIAL_VENUES: readonly CredentialVenue[] = ['kalshi', 'polymarket'];

export interface KalshiCredentials {
  /** API key id (a UUID); not secret by itself, but kept out of output anyway. */
  readonly keyId: string;
  readonly privateKeyPem: Secret;
}

/** 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271 (deposit wallet). */
export type PolymarketSignatureType = 0 | 1 | 2 | 3;

export interface PolymarketApiCredentials {
  readonly key: string;
  readonly secret: Secret;
  readonly passphrase: Secret;
}

export interface PolymarketCredentials {
  /** Wallet private key, 0x + 64 hex. */
  readonly privateKey: Secret;
  readonly signatureType: PolymarketSignatureType;
  /** Proxy / Safe / deposit wallet holding the funds; null = the key's own address. */
  readonly funder: `0x${string}` | null;
  /** L2 API credentials; null = derive them at start-up with the wallet key (L1). */
  readonly api: PolymarketApiCredentials | null;
}

export interface CredentialSource {
  readonly kind: 'env' | 'keychain';
  /** "environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY_PATH (/home/me/kalshi.pem)" (never a secret-looking path) */
  readonly detail: string;
}

export type LoadResult<T> =
  | { readonly ok: true; readonly credentials: T; readonly source: CredentialSource }
  | { readonly ok: false; readonly message: string; readonly keychainUnavailable: string | null };

export interface VenueCredentialStatus {
  readonly venue: CredentialVenue;
  /** 'set' | 'not set' | 'unavailable' | 'malformed' */
  readonly keychain: 'set' | 'not set' | 'unavailable' | 'malformed';
  readonly keychainReason: string | null;
  /** Names of the venue's variables that are set (never their values). */
  readonly envSet: readonly SecretEnvVar[];
  readonly envComplete: boolean;
  /** Which source a run would use, or null when none is usable. */
  readonly used: 'env' | 'keychain' | null;
  /** Problem with the source that would be used (bad format), without secret values. */
  readonly problem: string | null;
}

export class CredentialFormatError extends Error {
  override readonly name = 'CredentialFormatError';
}

export interface CredentialStoreDeps {
  readonly keyring: Keyring;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => Promise<string>;
}

const HEX_KEY = /^(0x)?([0-9a-fA-F]{64})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Normalise a wallet private key to 0x + 64 lowercase hex; throws without echoing it. */
export function normalizeWalletKey(text: string): Secret {
  const m = HEX_KEY.exec(text.trim());
  if (!m) throw new CredentialFormatError('the Polymarket wallet key must be 64 hex digits (optionally 0x-prefixed)');
  return new Secret(`0x${(m[2] as string).toLowerCase()}`);
}

export function parseFunder(text: string): `0x${string}` {
  const t = text.trim();
  if (!ADDRESS.test(t)) throw new CredentialFormatError('the funder must be an address: 0x + 40 hex digits');
  return t as `0x${string}`;
}

export function parseSignatureType(text: string): PolymarketSignatureType {
  const t = text.trim();
  if (!/^[0-3]$/.test(t)) throw new CredentialFormatError('the signature type must be 0 (EOA), 1 (POLY_PROXY), 2 (POLY_GNOSIS_SAFE) or 3 (POLY_1271)');
  return Number(t) as PolymarketSignatureType;
}

/** Check that a PEM holds an RSA private key (PKCS#1 or PKCS#8); throws without echoing it. */
export function checkKalshiPem(pem: string): Secret {
  const text = pem.replace(/\\n/g, '\n').trim();
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new CredentialFormatError('the Kalshi key must be an RSA private key');
  } catch (error) {
    if (error instanceof CredentialFormatError) throw error;
    throw new CredentialFormatError('the Kalshi private key is not a readable PEM RSA private key');
  }
  return new Secret(`${text}\n`);
}

const kalshiEntrySchema = z.object({ keyId: z.string().min(1), privateKeyPem: z.string().min(1) });
const polymarketEntrySchema = z.object({
  privateKey: z.string(),
  signatureType: z.number().int().min(0).max(3),
  funder: z.string().nullable(),
  api: z.object({ key: z.string().min(1), secret: z.string().min(1), passphrase: z.string().min(1) }).nullable(),
});

function kalshiAdvice(): string {
  return 'set ARB_KALSHI_KEY_ID and ARB_KALSHI_PRIVATE_KEY_PATH (path to the PEM file; or ARB_KALSHI_PRIVATE_KEY with the PEM text)';
}

function polymarketAdvice(): string {
  return (
    'set ARB_POLYMARKET_PRIVATE_KEY (wallet key), and for proxy/Safe/deposit wallets ARB_POLYMARKET_SIGNATURE_TYPE and ' +
    'ARB_POLYMARKET_FUNDER; optionally ARB_POLYMARKET_API_KEY, ARB_POLYMARKET_API_SECRET, ARB_POLYMARKET_API_PASSPHRASE ' +
    '(otherwise API credentials are derived from the wallet key)'
  );
}

/** The instruction shown when a venue has no usable credentials. */
export function missingCredentialsMessage(venue: CredentialVenue, keychainReason: string | null): string {
  const name = venue === 'kalshi' ? 'Kalshi' : 'Polymarket';
  const advice = venue === 'kalshi' ? kalshiAdvice() : polymarketAdvice();
  if (keychainReason !== null) {
    return (
      `No ${name} credentials: the OS keychain is not available on this host (${keychainReason}). ` +
      `Use environment variables instead: ${advice}.`
    );
  }
  return `No ${name} credentials. Run \`arb-tui keys set ${venue}\` to store them in the OS keychain, or ${advice}.`;
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

export class CredentialStore {
  private readonly deps: CredentialStoreDeps;

  constructor(deps: CredentialStoreDeps) {
    this.deps = deps;
  }

  get keyringDescription(): string {
    return this.deps.keyring.description;
  }

  envSet(venue: CredentialVenue): SecretEnvVar[] {
    const prefix = `ARB_${venue.toUpperCase()}_`;
    return (Object.keys(this.deps.env) as string[])
      .filter((k) => k.startsWith(prefix) && present(this.deps.env[k]))
      .sort() as SecretEnvVar[];
  }

  private envComplete(venue: CredentialVenue): boolean {
    const e = this.deps.env;
    if (venue === 'kalshi') return present(e['ARB_KALSHI_KEY_ID']) && (present(e['ARB_KALSHI_PRIVATE_KEY']) || present(e['ARB_KALSHI_PRIVATE_KEY_PATH']));
    return present(e['ARB_POLYMARKET_PRIVATE_KEY']);
  }

  // ---- Kalshi ---------------------------------------------------------------------------

  private async kalshiFromEnv(): Promise<KalshiCredentials & { detail: string }> {
    const e = this.deps.env;
    const keyId = (e['ARB_KALSHI_KEY_ID'] ?? '').trim();
    const path = e['ARB_KALSHI_PRIVATE_KEY_PATH'];
    if (present(e['ARB_KALSHI_PRIVATE_KEY'])) {
      return { keyId, privateKeyPem: checkKalshiPem(e['ARB_KALSHI_PRIVATE_KEY']), detail: 'environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY' };
    }
    // The PEM pasted into the path variable (an easy mix-up with ARB_KALSHI_PRIVATE_KEY)
    // is refused without reading or echoing it; an ordinary path is named in messages.
    const verdict = classifyPathValue(path as string);
    if (isUnusablePathValue(verdict)) {
      throw new CredentialFormatError(
        unusablePathMessage('ARB_KALSHI_PRIVATE_KEY_PATH', verdict, 'put the key in ARB_KALSHI_PRIVATE_KEY or save it to a file and give its path'),
      );
    }
    const shown = displayPathValue(path as string, verdict);
    let text: string;
    try {
      text = await this.deps.readFile((path as string).trim());
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'read error';
      throw new CredentialFormatError(`cannot read ARB_KALSHI_PRIVATE_KEY_PATH (${shown}): ${code}`);
    }
    return {
      keyId,
      privateKeyPem: checkKalshiPem(text),
      detail: `environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY_PATH (${shown})`,
    };
  }

  async loadKalshi(): Promise<LoadResult<KalshiCredentials>> {
    if (this.envComplete('kalshi')) {
      try {
        const { detail, ...credentials } = await this.kalshiFromEnv();
        return { ok: true, credentials, source: { kind: 'env', detail } };
      } catch (error) {
        return { ok: false, message: `Kalshi credentials in the environment are unusable: ${(error as Error).message}`, keychainUnavailable: null };
      }
    }
    let raw: string | null;
    try {
      raw = await this.deps.keyring.get('kalshi');
    } catch (error) {
      const reason = error instanceof KeychainUnavailableError ? error.reason : (error as Error).message;
      return { ok: false, message: missingCredentialsMessage('kalshi', reason), keychainUnavailable: reason };
    }
    if (raw === null) return { ok: false, message: missingCredentialsMessage('kalshi', null), keychainUnavailable: null };
    try {
      const entry = kalshiEntrySchema.parse(JSON.parse(raw));
      return {
        ok: true,
        credentials: { keyId: entry.keyId, privateKeyPem: checkKalshiPem(entry.privateKeyPem) },
        source: { kind: 'keychain', detail: `${this.deps.keyring.description} (service arb-tui, account kalshi)` },
      };
    } catch {
      return { ok: false, message: 'The Kalshi keychain entry is malformed; run `arb-tui keys set kalshi` again.', keychainUnavailable: null };
    }
  }

  async saveKalshi(credentials: KalshiCredentials): Promise<void> {
    await this.deps.keyring.set('kalshi', JSON.stringify({ keyId: credentials.keyId, privateKeyPem: credentials.privateKeyPem.reveal() }));
  }

  // ---- Polymarket -----------------------------------------------------------------------

  private polymarketFromEnv(): PolymarketCredentials {
    const e = this.deps.env;
    const privateKey = normalizeWalletKey(e['ARB_POLYMARKET_PRIVATE_KEY'] ?? '');
    const signatureType = present(e['ARB_POLYMARKET_SIGNATURE_TYPE']) ? parseSignatureType(e['ARB_POLYMARKET_SIGNATURE_TYPE']) : 0;
    const funder = present(e['ARB_POLYMARKET_FUNDER']) ? parseFunder(e['ARB_POLYMARKET_FUNDER']) : null;
    const apiVars = ['ARB_POLYMARKET_API_KEY', 'ARB_POLYMARKET_API_SECRET', 'ARB_POLYMARKET_API_PASSPHRASE'] as const;
    const setCount = apiVars.filter((v) => present(e[v])).length;
    if (setCount !== 0 && setCount !== 3) {
      throw new CredentialFormatError(`set all of ${apiVars.join(', ')} or none (then they are derived from the wallet key)`);
    }
    const api =
      setCount === 3
        ? {
            key: (e['ARB_POLYMARKET_API_KEY'] as string).trim(),
            secret: new Secret((e['ARB_POLYMARKET_API_SECRET'] as string).trim()),
            passphrase: new Secret((e['ARB_POLYMARKET_API_PASSPHRASE'] as string).trim()),
          }
        : null;
    checkPolymarketCombination(signatureType, funder);
    return { privateKey, signatureType, funder, api };
  }

  async loadPolymarket(): Promise<LoadResult<PolymarketCredentials>> {
    if (this.envComplete('polymarket')) {
      try {
        const credentials = this.polymarketFromEnv();
        const names = this.envSet('polymarket').join(', ');
        return { ok: true, credentials, source: { kind: 'env', detail: `environment: ${names}` } };
      } catch (error) {
        return { ok: false, message: `Polymarket credentials in the environment are unusable: ${(error as Error).message}`, keychainUnavailable: null };
      }
    }
    let raw: string | null;
    try {
      raw = await this.deps.keyring.get('polymarket');
    } catch (error) {
      const reason = error instanceof KeychainUnavailableError ? error.reason : (error as Error).message;
      return { ok: false, message: missingCredentialsMessage('polymarket', reason), keychainUnavailable: reason };
    }
    if (raw === null) return { ok: false, message: missingCredentialsMessage('polymarket', null), keychainUnavailable: null };
    try {
      const entry = polymarketEntrySchema.parse(JSON.parse(raw));
      const credentials: PolymarketCredentials = {
        privateKey: normalizeWalletKey(entry.privateKey),
        signatureType: entry.signatureType as PolymarketSignatureType,
        funder: entry.funder === null ? null : parseFunder(entry.funder),
        api: entry.api === null ? null : { key: entry.api.key, secret: new Secret(entry.api.secret), passphrase: new Secret(entry.api.passphrase) },
      };
      checkPolymarketCombination(credentials.signatureType, credentials.funder);
      return { ok: true, credentials, source: { kind: 'keychain', detail: `${this.deps.keyring.description} (service arb-tui, account polymarket)` } };
    } catch {
      return { ok: false, message: 'The Polymarket keychain entry is malformed; run `arb-tui keys set polymarket` again.', keychainUnavailable: null };
    }
  }

  async savePolymarket(c: PolymarketCredentials): Promise<void> {
    checkPolymarketCombination(c.signatureType, c.funder);
    await this.deps.keyring.set(
      'polymarket',
      JSON.stringify({
        privateKey: c.privateKey.reveal(),
        signatureType: c.signatureType,
        funder: c.funder,
        api: c.api === null ? null : { key: c.api.key, secret: c.api.secret.reveal(), passphrase: c.api.passphrase.reveal() },
      }),
    );
  }

  // ---- both -----------------------------------------------------------------------------

  async delete(venue: CredentialVenue): Promise<boolean> {
    return this.deps.keyring.delete(venue);
  }

  async status(venue: CredentialVenue): Promise<VenueCredentialStatus> {
    const envSet = this.envSet(venue);
    const envComplete = this.envComplete(venue);
    let keychain: VenueCredentialStatus['keychain'] = 'not set';
    let keychainReason: string | null = null;
    try {
      const raw = await this.deps.keyring.get(venue);
      keychain = raw === null ? 'not set' : 'set';
    } catch (error) {
      keychain = 'unavailable';
      keychainReason = error instanceof KeychainUnavailableError ? error.reason : (error as Error).message;
    }
    let used: VenueCredentialStatus['used'] = null;
    let problem: string | null = null;
    if (envComplete || keychain === 'set') {
      const loaded = venue === 'kalshi' ? await this.loadKalshi() : await this.loadPolymarket();
      if (loaded.ok) used = loaded.source.kind;
      else {
        problem = loaded.message;
        if (!envComplete) keychain = 'malformed';
      }
    }
    return { venue, keychain, keychainReason, envSet, envComplete, used, problem };
  }
}

/** Types 1 and 2 sign for a proxy / Safe: the funder must be given; type 3 signs as the wallet itself. */
export function checkPolymarketCombination(signatureType: PolymarketSignatureType, funder: string | null): void {
  if ((signatureType === 1 || signatureType === 2 || signatureType === 3) && funder === null) {
    throw new CredentialFormatError(
      `signature type ${signatureType} needs the funder address (the proxy, Safe or deposit wallet holding the funds): set ARB_POLYMARKET_FUNDER`,
    );
  }
}
