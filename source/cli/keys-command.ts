/**
 * `arb-tui keys set kalshi|polymarket`, `keys show`, `keys delete [venue]`.
 *
 * - `set` prompts for each field without echo when stdin is a terminal; when stdin is
 *   piped it reads `name=value` lines (and, for Kalshi, a PEM block):
 *     kalshi:      key_id=<uuid>, then the PEM block, or private_key_path=<file>
 *     polymarket:  private_key=<hex>, signature_type=<0-3>, funder=<0x…>,
 *                  api_key=…, api_secret=…, api_passphrase=… (the last three optional)
 *   and stores one entry per venue in the OS keychain (service "arb-tui").
 * - `show` says which venues are set, where, and which source a run would use; it never
 *   prints a secret.
 * - Where no keychain exists it says so and how to use environment variables instead.
 * The functions return the exit code; the lead wires them into yargs.
 */
import { readFile } from 'node:fs/promises';
import { osKeyring, KeychainUnavailableError, type Keyring } from '../credentials/keyring.js';
import { classifyPathValue, displayPathValue, isUnusablePathValue, unusablePathMessage } from '../credentials/path-value.js';
import { Secret } from '../credentials/secret.js';
import {
  checkKalshiPem,
  CredentialFormatError,
  CredentialStore,
  CREDENTIAL_VENUES,
  missingCredentialsMessage,
  normalizeWalletKey,
  parseFunder,
  parseSignatureType,
  type CredentialVenue,
  type PolymarketCredentials,
  type VenueCredentialStatus,
} from '../credentials/store.js';

export interface KeysInput extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean | undefined;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface KeysOutput {
  write(text: string): unknown;
}

export interface KeysDeps {
  readonly keyring: Keyring;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => Promise<string>;
  readonly stdin: KeysInput;
  readonly stdout: KeysOutput;
  readonly stderr: KeysOutput;
}

export function defaultKeysDeps(): KeysDeps {
  return {
    keyring: osKeyring(),
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
    stdin: process.stdin as unknown as KeysInput,
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

export function isCredentialVenue(value: string): value is CredentialVenue {
  return (CREDENTIAL_VENUES as readonly string[]).includes(value);
}

class KeysInputError extends Error {
  override readonly name = 'KeysInputError';
}

// ---- input -------------------------------------------------------------------------------

/** Reads lines from a terminal in raw mode, echoing nothing. */
class HiddenLineReader {
  private readonly lines: string[] = [];
  private current = '';
  private waiting: { resolve: (line: string) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;
  private readonly onData = (chunk: string | Buffer): void => {
    for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
      if (ch === '\r' || ch === '\n') {
        this.push(this.current);
        this.current = '';
      } else if (ch === '\u0003') {
        this.fail(new KeysInputError('cancelled'));
      } else if (ch === '\u0004') {
        this.push(this.current);
        this.current = '';
      } else if (ch === '\u007f' || ch === '\b') {
        this.current = this.current.slice(0, -1);
      } else {
        this.current += ch;
      }
    }
  };

  constructor(private readonly input: KeysInput) {
    input.setRawMode?.(true);
    input.on('data', this.onData);
    input.resume();
  }

  private push(line: string): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.resolve(line);
    } else this.lines.push(line);
  }

  private fail(error: Error): void {
    this.failed = error;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(error);
    }
  }

  next(): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  close(): void {
    this.input.off('data', this.onData);
    this.input.setRawMode?.(false);
    this.input.pause();
  }
}

async function readAll(input: KeysInput): Promise<string> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** Field values from piped text: `name=value` lines plus an optional PEM block. */
export function parsePipedFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('-----BEGIN')) {
      const block = [line];
      while (i + 1 < lines.length && !(lines[i] as string).trim().startsWith('-----END')) {
        i += 1;
        block.push((lines[i] as string).trim());
      }
      fields.set('private_key_pem', block.join('\n'));
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new KeysInputError(`line ${i + 1}: expected name=value (or a PEM block)`);
    fields.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return fields;
}

type Ask = (label: string) => Promise<string>;

// ---- set ---------------------------------------------------------------------------------

async function gatherKalshi(ask: Ask, fields: Map<string, string> | null, deps: KeysDeps): Promise<{ keyId: string; privateKeyPem: Secret }> {
  let keyId: string;
  let pem: Secret;
  if (fields) {
    keyId = fields.get('key_id') ?? '';
    const path = fields.get('private_key_path');
    const block = fields.get('private_key_pem');
    if (block !== undefined) pem = checkKalshiPem(block);
    else if (path !== undefined) pem = checkKalshiPem(await readKeyFile(deps, path, 'piped'));
    else throw new KeysInputError('give the Kalshi private key as a PEM block or private_key_path=<file>');
  } else {
    keyId = await ask('Kalshi API key id: ');
    if (classifyPathValue(keyId).kind === 'key') {
      throw new KeysInputError('the Kalshi API key id looks like the private key itself: give the key id (a UUID) first, then the key');
    }
    const first = (await ask('Kalshi private key: path to the PEM file, or paste the PEM: ')).trim();
    const begin = first.indexOf('-----BEGIN');
    if (begin >= 0) {
      // A pasted PEM, possibly behind a bracketed-paste marker, possibly on one line.
      const block = [first.slice(begin)];
      let line = block[0] as string;
      for (;;) {
        const end = /-----END [^-\r\n]*-----/.exec(line);
        if (end) {
          block[block.length - 1] = line.slice(0, end.index + end[0].length);
          break;
        }
        line = (await ask('')).trim();
        block.push(line);
      }
      pem = checkKalshiPem(block.join('\n'));
    } else {
      pem = checkKalshiPem(await readKeyFile(deps, first, 'prompt'));
    }
  }
  keyId = keyId.trim();
  if (keyId === '') throw new KeysInputError('the Kalshi API key id is empty');
  return { keyId, privateKeyPem: pem };
}

/**
 * Read the PEM file named at the prompt or by `private_key_path=`. A value that looks
 * like the key itself (pasted at the path question) is refused without echoing it; an
 * ordinary path is named in the error so the user can spot a typo.
 */
async function readKeyFile(deps: KeysDeps, path: string, from: 'piped' | 'prompt'): Promise<string> {
  const label = from === 'piped' ? 'private_key_path' : 'the answer to "path to the PEM file"';
  const advice =
    from === 'piped'
      ? 'give the PEM block itself on its own lines instead, or save it to a file and give its path'
      : 'paste the whole PEM at that prompt (from its -----BEGIN line), or save it to a file and give its path';
  const verdict = classifyPathValue(path);
  if (isUnusablePathValue(verdict)) throw new KeysInputError(unusablePathMessage(label, verdict, advice));
  try {
    return await deps.readFile(path.trim());
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'read error';
    if (verdict.kind === 'path') throw new KeysInputError(`cannot read ${path.trim()}: ${code}`);
    throw new KeysInputError(`cannot read ${label} (${displayPathValue(path, verdict)}): ${code}; ${advice}`);
  }
}

async function gatherPolymarket(ask: Ask, fields: Map<string, string> | null): Promise<PolymarketCredentials> {
  const get = async (name: string, label: string): Promise<string> => (fields ? (fields.get(name) ?? '') : await ask(label)).trim();
  const privateKey = normalizeWalletKey(await get('private_key', 'Polymarket wallet private key: '));
  const typeText = await get('signature_type', 'Signature type (0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271) [0]: ');
  const signatureType = typeText === '' ? 0 : parseSignatureType(typeText);
  const funderText = signatureType === 0 && !fields ? '' : await get('funder', 'Funder address (proxy / Safe / deposit wallet): ');
  const funder = funderText === '' ? null : parseFunder(funderText);
  const apiKey = await get('api_key', 'CLOB API key (Enter to derive from the wallet key): ');
  let api: PolymarketCredentials['api'] = null;
  if (apiKey !== '') {
    const apiSecret = await get('api_secret', 'CLOB API secret: ');
    const passphrase = await get('api_passphrase', 'CLOB API passphrase: ');
    if (apiSecret === '' || passphrase === '') throw new KeysInputError('give the API key, secret and passphrase together, or none');
    api = { key: apiKey, secret: new Secret(apiSecret), passphrase: new Secret(passphrase) };
  } else if (fields && (fields.has('api_secret') || fields.has('api_passphrase'))) {
    throw new KeysInputError('give the API key, secret and passphrase together, or none');
  }
  return { privateKey, signatureType, funder, api };
}

function unavailableAdvice(venue: CredentialVenue, reason: string): string {
  return missingCredentialsMessage(venue, reason).replace(/^No (Kalshi|Polymarket) credentials: /, 'Cannot store credentials: ');
}

export async function keysSet(venue: CredentialVenue, deps: KeysDeps): Promise<number> {
  const store = new CredentialStore(deps);
  const tty = deps.stdin.isTTY === true && typeof deps.stdin.setRawMode === 'function';
  let reader: HiddenLineReader | null = null;
  try {
    let fields: Map<string, string> | null = null;
    let ask: Ask = async () => '';
    if (tty) {
      reader = new HiddenLineReader(deps.stdin);
      const r = reader;
      ask = async (label) => {
        if (label !== '') deps.stderr.write(label);
        const line = await r.next();
        if (label !== '') deps.stderr.write('\n');
        return line;
      };
      deps.stderr.write('(input is not echoed)\n');
    } else {
      fields = parsePipedFields(await readAll(deps.stdin));
    }
    if (venue === 'kalshi') await store.saveKalshi(await gatherKalshi(ask, fields, deps));
    else await store.savePolymarket(await gatherPolymarket(ask, fields));
    deps.stdout.write(`Stored ${venue} credentials in the ${store.keyringDescription} (service arb-tui, account ${venue}).\n`);
    const env = store.envSet(venue);
    if (env.length > 0) deps.stdout.write(`Note: ${env.join(', ')} ${env.length === 1 ? 'is' : 'are'} set in the environment; complete environment credentials take precedence.\n`);
    return 0;
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      deps.stderr.write(`${unavailableAdvice(venue, error.reason)}\n`);
      return 1;
    }
    if (error instanceof CredentialFormatError || error instanceof KeysInputError) {
      deps.stderr.write(`keys set ${venue}: ${error.message}\n`);
      return error instanceof KeysInputError && error.message === 'cancelled' ? 130 : 2;
    }
    throw error;
  } finally {
    reader?.close();
  }
}

// ---- show / delete -------------------------------------------------------------------------

export function describeStatus(s: VenueCredentialStatus): string {
  const keychain =
    s.keychain === 'unavailable' ? `unavailable (${s.keychainReason ?? 'unknown reason'})` : s.keychain;
  const env = s.envSet.length === 0 ? 'none' : `${s.envSet.join(', ')}${s.envComplete ? '' : ' (incomplete)'}`;
  const used = s.used === 'env' ? 'environment' : s.used === 'keychain' ? 'keychain' : 'none';
  return `${s.venue.padEnd(10)} keychain: ${keychain}; environment: ${env}; using: ${used}`;
}

/** Which credentials are set and where (never the secret): one venue, or both; exit 1 when one asked about is not usable. */
export async function keysShow(deps: KeysDeps, only?: CredentialVenue): Promise<number> {
  const store = new CredentialStore(deps);
  let allUsable = true;
  for (const venue of only === undefined ? CREDENTIAL_VENUES : [only]) {
    const s = await store.status(venue);
    deps.stdout.write(`${describeStatus(s)}\n`);
    if (s.problem !== null) {
      deps.stdout.write(`           ${s.problem}\n`);
      allUsable = false;
    } else if (s.used === null) {
      deps.stdout.write(`           ${missingCredentialsMessage(venue, s.keychain === 'unavailable' ? s.keychainReason : null)}\n`);
      allUsable = false;
    }
  }
  return allUsable ? 0 : 1;
}

export async function keysDelete(venue: CredentialVenue | 'all', deps: KeysDeps): Promise<number> {
  const store = new CredentialStore(deps);
  const venues = venue === 'all' ? CREDENTIAL_VENUES : [venue];
  try {
    for (const v of venues) {
      const deleted = await store.delete(v);
      deps.stdout.write(deleted ? `Deleted ${v} credentials from the ${store.keyringDescription}.\n` : `No ${v} credentials in the ${store.keyringDescription}.\n`);
      const env = store.envSet(v);
      if (env.length > 0) deps.stdout.write(`Note: ${env.join(', ')} still set in the environment.\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      deps.stderr.write(`Cannot delete: the OS keychain is not available on this host (${error.reason}); nothing is stored there. Unset the ARB_* variables to remove environment credentials.\n`);
      return 1;
    }
    throw error;
  }
}
