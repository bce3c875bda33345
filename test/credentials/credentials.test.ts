import { generateKeyPairSync } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keysDelete, keysSet, keysShow, type KeysDeps, type KeysInput } from '../../source/cli/keys-command.js';
import { KeychainUnavailableError, memoryKeyring, osKeyring, unavailableKeyring, type Keyring } from '../../source/credentials/keyring.js';
import { REDACTED, Secret } from '../../source/credentials/secret.js';
import { CredentialStore } from '../../source/credentials/store.js';
import { KalshiAuth } from '../../source/venues/kalshi/auth.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
/** A canary planted as every secret: it must never appear in any output. */
const CANARY_HEX = 'c0ffee00'.repeat(8);
const CANARY_TEXT = 'CANARY-s3cr3t-value-9f1d';

function capture(): { out: { write(t: string): boolean }; text: () => string } {
  let text = '';
  return { out: { write: (t: string) => ((text += t), true) }, text: () => text };
}

function deps(over: Partial<KeysDeps> & { input?: string } = {}): KeysDeps & { stdoutText: () => string; stderrText: () => string } {
  const o = capture();
  const e = capture();
  return {
    keyring: over.keyring ?? memoryKeyring(),
    env: over.env ?? {},
    readFile: over.readFile ?? (async (p: string) => (p === '/keys/kalshi.pem' ? PEM : Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' })))),
    stdin: over.stdin ?? (Readable.from([over.input ?? '']) as unknown as KeysInput),
    stdout: o.out,
    stderr: e.out,
    stdoutText: o.text,
    stderrText: e.text,
  };
}

describe('Secret', () => {
  it('prints [redacted] through String, templates, JSON, inspect and errors; reveal() gives the value', () => {
    const s = new Secret(CANARY_TEXT);
    expect(String(s)).toBe(REDACTED);
    expect(`${s}`).toBe(REDACTED);
    expect(JSON.stringify({ s })).toBe(`{"s":"${REDACTED}"}`);
    expect(inspect({ nested: { s } }, { depth: 5, showHidden: true })).not.toContain(CANARY_TEXT);
    expect(new Error(`failed with ${s}`).message).not.toContain(CANARY_TEXT);
    expect(Object.keys(s)).toEqual([]);
    expect(s.reveal()).toBe(CANARY_TEXT);
  });
});

describe('CredentialStore', () => {
  it('environment wins when complete (PEM path), and says so', async () => {
    const store = new CredentialStore({ keyring: memoryKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: '/keys/kalshi.pem' }, readFile: async () => PEM });
    const r = await store.loadKalshi();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toEqual({ kind: 'env', detail: 'environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY_PATH (/keys/kalshi.pem)' });
    expect(r.credentials.privateKeyPem.reveal()).toContain('BEGIN RSA PRIVATE KEY');
  });

  it('falls back to the keychain, and round-trips both venues', async () => {
    const keyring = memoryKeyring();
    const store = new CredentialStore({ keyring, env: {}, readFile: async () => '' });
    await store.saveKalshi({ keyId: 'kid', privateKeyPem: new Secret(PEM) });
    await store.savePolymarket({ privateKey: new Secret(`0x${CANARY_HEX}`), signatureType: 2, funder: '0x1234567890123456789012345678901234567890', api: null });
    const k = await store.loadKalshi();
    const p = await store.loadPolymarket();
    expect(k.ok && k.source.kind).toBe('keychain');
    expect(p.ok && p.credentials.signatureType).toBe(2);
    expect(p.ok && p.credentials.privateKey.reveal()).toBe(`0x${CANARY_HEX}`);
  });

  it('without a keychain, says so and how to use environment variables', async () => {
    const store = new CredentialStore({ keyring: unavailableKeyring(), env: {}, readFile: async () => '' });
    const r = await store.loadPolymarket();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.keychainUnavailable).toContain('AccessDenied');
    expect(r.message).toMatch(/keychain is not available on this host/);
    expect(r.message).toContain('ARB_POLYMARKET_PRIVATE_KEY');
  });

  it('names bad environment values without echoing them', async () => {
    const store = new CredentialStore({
      keyring: memoryKeyring(),
      env: { ARB_POLYMARKET_PRIVATE_KEY: CANARY_TEXT, ARB_KALSHI_KEY_ID: 'k', ARB_KALSHI_PRIVATE_KEY: CANARY_TEXT },
      readFile: async () => '',
    });
    const p = await store.loadPolymarket();
    const k = await store.loadKalshi();
    expect(p.ok || k.ok).toBe(false);
    for (const r of [p, k]) if (!r.ok) expect(r.message).not.toContain(CANARY_TEXT);
    const proxy = await new CredentialStore({ keyring: memoryKeyring(), env: { ARB_POLYMARKET_PRIVATE_KEY: CANARY_HEX, ARB_POLYMARKET_SIGNATURE_TYPE: '1' }, readFile: async () => '' }).loadPolymarket();
    expect(proxy.ok).toBe(false);
    if (!proxy.ok) expect(proxy.message).toMatch(/ARB_POLYMARKET_FUNDER/);
  });
});

describe('keys commands', () => {
  it('set (piped) → show → delete, with a fake keychain', async () => {
    const keyring = memoryKeyring();
    const d1 = deps({ keyring, input: `key_id=kid-1\n${PEM}` });
    expect(await keysSet('kalshi', d1)).toBe(0);
    expect(d1.stdoutText()).toContain('Stored kalshi credentials');
    const d2 = deps({ keyring, input: `private_key=${CANARY_HEX}\nsignature_type=1\nfunder=0x1234567890123456789012345678901234567890\n` });
    expect(await keysSet('polymarket', d2)).toBe(0);
    const show = deps({ keyring });
    expect(await keysShow(show)).toBe(0);
    expect(show.stdoutText()).toMatch(/kalshi\s+keychain: set; environment: none; using: keychain/);
    expect(show.stdoutText()).toMatch(/polymarket\s+keychain: set; environment: none; using: keychain/);
    const del = deps({ keyring });
    expect(await keysDelete('kalshi', del)).toBe(0);
    expect(keyring.entries.has('kalshi')).toBe(false);
    expect(keyring.entries.has('polymarket')).toBe(true);
  });

  it('set reads a PEM file path and rejects a bad key without echoing it', async () => {
    const keyring = memoryKeyring();
    expect(await keysSet('kalshi', deps({ keyring, input: 'key_id=kid\nprivate_key_path=/keys/kalshi.pem\n' }))).toBe(0);
    const bad = deps({ keyring, input: `private_key=${CANARY_TEXT}\n` });
    expect(await keysSet('polymarket', bad)).toBe(2);
    expect(bad.stderrText()).toMatch(/64 hex digits/);
    expect(bad.stderrText()).not.toContain(CANARY_TEXT);
  });

  it('prompts on a TTY without echoing the input', async () => {
    const keyring = memoryKeyring();
    const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => void; raw: boolean[] };
    stdin.isTTY = true;
    stdin.raw = [];
    stdin.setRawMode = (raw: boolean) => void stdin.raw.push(raw);
    const d = deps({ keyring, stdin: stdin as unknown as KeysInput });
    const done = keysSet('polymarket', d);
    stdin.write(`${CANARY_HEX}\r`); // private key
    stdin.write('\r'); // signature type: default 0
    stdin.write('\r'); // api key: derive
    expect(await done).toBe(0);
    expect(stdin.raw).toEqual([true, false]);
    expect(d.stderrText()).toContain('Polymarket wallet private key:');
    expect(d.stderrText() + d.stdoutText()).not.toContain(CANARY_HEX);
    expect(JSON.parse(keyring.entries.get('polymarket') ?? '{}')).toMatchObject({ signatureType: 0, funder: null, api: null });
  });

  it('where no keychain exists: clear message pointing at the environment variables', async () => {
    const d = deps({ keyring: unavailableKeyring(), input: `private_key=${CANARY_HEX}\n` });
    expect(await keysSet('polymarket', d)).toBe(1);
    expect(d.stderrText()).toMatch(/Cannot store credentials: the OS keychain is not available on this host \(Couldn't access platform storage: AccessDenied\)\. Use environment variables instead: set ARB_POLYMARKET_PRIVATE_KEY/);
    const show = deps({ keyring: unavailableKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: '/keys/kalshi.pem' } });
    expect(await keysShow(show)).toBe(1);
    expect(show.stdoutText()).toMatch(/kalshi\s+keychain: unavailable \(.*AccessDenied\); environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY_PATH; using: environment/);
    expect(show.stdoutText()).toMatch(/No Polymarket credentials: the OS keychain is not available/);
  });

  it('the real @napi-rs/keyring on this host (no Secret Service) gives the clear message, and writes nothing', async () => {
    const real: Keyring = osKeyring('arb-tui-test');
    const error = await real.get('probe').catch((e: unknown) => e);
    if (!(error instanceof KeychainUnavailableError)) {
      // a host with a working Secret Service: nothing to assert about the failure path
      expect(error === null || typeof error === 'string').toBe(true);
      return;
    }
    const d = deps({ keyring: real, input: `private_key=${CANARY_HEX}\n` });
    expect(await keysSet('polymarket', d)).toBe(1);
    expect(d.stderrText()).toMatch(/OS keychain is not available on this host \(.+\)\. Use environment variables instead/);
  });
});

describe('canary: secrets never reach output', () => {
  it('greps every output and serialisation for the planted secret', async () => {
    const keyring = memoryKeyring();
    const env = {
      ARB_POLYMARKET_PRIVATE_KEY: CANARY_HEX,
      ARB_POLYMARKET_API_KEY: 'key-1',
      ARB_POLYMARKET_API_SECRET: CANARY_TEXT,
      ARB_POLYMARKET_API_PASSPHRASE: CANARY_TEXT,
    };
    const outputs: string[] = [];
    const d1 = deps({ keyring, env, input: `key_id=kid\n${PEM}` });
    await keysSet('kalshi', d1);
    const d2 = deps({ keyring, env });
    await keysShow(d2);
    const d3 = deps({ keyring, env });
    await keysDelete('all', d3);
    for (const d of [d1, d2, d3]) outputs.push(d.stdoutText(), d.stderrText());
    const store = new CredentialStore({ keyring, env, readFile: async () => '' });
    const p = await store.loadPolymarket();
    expect(p.ok).toBe(true);
    outputs.push(JSON.stringify(p), inspect(p, { depth: 10, showHidden: true }), String(p.ok && p.credentials.api?.secret));
    const kalshi = { keyId: 'kid', privateKeyPem: new Secret(PEM) };
    outputs.push(JSON.stringify(kalshi), inspect(kalshi, { depth: 10 }), JSON.stringify(new KalshiAuth(kalshi)), inspect(new KalshiAuth(kalshi), { depth: 10 }));
    const all = outputs.join('\n');
    expect(all).not.toContain(CANARY_HEX);
    expect(all).not.toContain(CANARY_TEXT);
    expect(all).not.toContain('BEGIN RSA PRIVATE KEY');
    expect(all).toContain(REDACTED);
  });
});
