/**
 * The PEM pasted where a path belongs (ARB_KALSHI_PRIVATE_KEY_PATH, `private_key_path=`,
 * the "path to the PEM file" prompt) must never be echoed: every output is grepped for
 * every line of a planted canary key, while the error still says what is wrong. Ordinary
 * paths are still named.
 */
import { generateKeyPairSync } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keysSet, keysShow, type KeysDeps, type KeysInput } from '../../source/cli/keys-command.js';
import { memoryKeyring, unavailableKeyring } from '../../source/credentials/keyring.js';
import { classifyPathValue, displayPathValue } from '../../source/credentials/path-value.js';
import { CredentialStore } from '../../source/credentials/store.js';

/** A PEM-looking canary whose every line is distinctive (never a real key). */
const CANARY_BODY = Buffer.from('arb-tui canary private key material 0123456789 '.repeat(6)).toString('base64').match(/.{1,64}/g) as string[];
const CANARY_PEM = ['-----BEGIN PRIVATE KEY-----', ...CANARY_BODY, '-----END PRIVATE KEY-----'].join('\n');
const CANARY_LINES = CANARY_PEM.split('\n').filter((l) => l.trim() !== '');
/** One body line alone, as when the header landed at the previous prompt. */
const CANARY_BODY_LINE = CANARY_BODY[1] as string;
/** A real key, for the cases that must still work. */
const REAL_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const MIX_UP = 'ARB_KALSHI_PRIVATE_KEY_PATH holds what looks like the key itself, not a path to it: put the key in ARB_KALSHI_PRIVATE_KEY or save it to a file and give its path';

function expectNoCanary(text: string): void {
  for (const line of CANARY_LINES) expect(text).not.toContain(line);
  for (const line of REAL_PEM.split('\n').filter((l) => l.trim() !== '')) expect(text).not.toContain(line);
}

const enoent = async (): Promise<never> => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' }));

function capture(): { out: { write(t: string): boolean }; text: () => string } {
  let text = '';
  return { out: { write: (t: string) => ((text += t), true) }, text: () => text };
}

function deps(over: Partial<KeysDeps> & { input?: string } = {}): KeysDeps & { stdoutText: () => string; stderrText: () => string; reads: string[] } {
  const o = capture();
  const e = capture();
  const reads: string[] = [];
  const readFile = over.readFile ?? (async (p: string) => (p === '/keys/kalshi.pem' ? REAL_PEM : enoent()));
  return {
    keyring: over.keyring ?? memoryKeyring(),
    env: over.env ?? {},
    readFile: async (p: string) => {
      reads.push(p);
      return readFile(p);
    },
    stdin: over.stdin ?? (Readable.from([over.input ?? '']) as unknown as KeysInput),
    stdout: o.out,
    stderr: e.out,
    stdoutText: o.text,
    stderrText: e.text,
    reads,
  };
}

function ttyStdin(): PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => void } {
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => void };
  stdin.isTTY = true;
  stdin.setRawMode = () => undefined;
  return stdin;
}

describe('classifyPathValue', () => {
  it('ordinary paths are paths, and are shown', () => {
    for (const p of ['/home/me/kalshi.pem', '~/keys/kalshi-prod.pem', './k.pem', 'C:\\Users\\me\\Kalshi Key.pem', '/srv/arb/keys/kalshi_2024-06.key', '/home/alice/secrets/kalshi/private']) {
      expect(classifyPathValue(p), p).toEqual({ kind: 'path' });
      expect(displayPathValue(p)).toBe(p);
    }
  });

  it('key material and impossible paths are recognised and never shown', () => {
    expect(classifyPathValue(CANARY_PEM).kind).toBe('key');
    expect(classifyPathValue('-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----').kind).toBe('key');
    expect(classifyPathValue(`${CANARY_BODY[0]}\n${CANARY_BODY[1]}`).kind).toBe('key');
    expect(classifyPathValue(`/a/${'x'.repeat(5000)}`)).toMatchObject({ kind: 'not-a-path', reason: expect.stringMatching(/4096/) });
    expect(classifyPathValue(`/a/${'x'.repeat(300)}`).kind).toBe('not-a-path');
    expect(classifyPathValue('\u001b[200~/home/me/k.pem').kind).toBe('not-a-path');
    expect(classifyPathValue(CANARY_BODY_LINE).kind).toBe('secret-like');
    expect(classifyPathValue('c0ffee00'.repeat(8)).kind).toBe('secret-like');
    expect(classifyPathValue(`0x${'ab'.repeat(32)}`).kind).toBe('secret-like');
    for (const v of [CANARY_PEM, CANARY_BODY_LINE, 'c0ffee00'.repeat(8)]) expectNoCanary(displayPathValue(v));
    expect(displayPathValue('c0ffee00'.repeat(8))).not.toContain('c0ffee00');
  });
});

describe('ARB_KALSHI_PRIVATE_KEY_PATH holding the key itself', () => {
  it('CredentialStore refuses it without reading or echoing it, and says what to do', async () => {
    for (const pem of [CANARY_PEM, REAL_PEM, `  ${CANARY_PEM.replace(/\n/g, '\\n')}  `]) {
      const reads: string[] = [];
      const store = new CredentialStore({
        keyring: memoryKeyring(),
        env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: pem },
        readFile: async (p) => (reads.push(p), enoent()),
      });
      const r = await store.loadKalshi();
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.message).toBe(`Kalshi credentials in the environment are unusable: ${MIX_UP}`);
      expect(reads).toEqual([]);
      const status = await store.status('kalshi');
      expect(status.problem).toContain(MIX_UP);
      expectNoCanary(`${r.message}\n${JSON.stringify(status)}`);
    }
  });

  it('a value too long to be a path is refused without echoing it', async () => {
    const long = `${'QUJD'.repeat(1100)}`;
    const store = new CredentialStore({ keyring: memoryKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: long }, readFile: enoent });
    const r = await store.loadKalshi();
    expect(!r.ok && r.message).toMatch(/ARB_KALSHI_PRIVATE_KEY_PATH is not a file path \(it is longer than 4096 characters; the value is not shown in case it is a secret\): put the key in ARB_KALSHI_PRIVATE_KEY/);
    expect(!r.ok && r.message).not.toContain('QUJDQUJD');
  });

  it('one line of a key (no PEM markers) is tried as a path but not echoed when it cannot be read', async () => {
    const store = new CredentialStore({ keyring: memoryKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: CANARY_BODY_LINE }, readFile: enoent });
    const r = await store.loadKalshi();
    expect(!r.ok && r.message).toMatch(/cannot read ARB_KALSHI_PRIVATE_KEY_PATH \(value not shown: it looks like key material rather than a path\): ENOENT/);
    expectNoCanary(!r.ok ? r.message : '');
  });

  it('an ordinary path is still named, in errors and in the source', async () => {
    const missing = new CredentialStore({ keyring: memoryKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: ' /home/me/kalshi.pem ' }, readFile: enoent });
    const r = await missing.loadKalshi();
    expect(!r.ok && r.message).toBe('Kalshi credentials in the environment are unusable: cannot read ARB_KALSHI_PRIVATE_KEY_PATH (/home/me/kalshi.pem): ENOENT');
    const ok = await new CredentialStore({ keyring: memoryKeyring(), env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: '/keys/kalshi.pem' }, readFile: async () => REAL_PEM }).loadKalshi();
    expect(ok.ok && ok.source.detail).toBe('environment: ARB_KALSHI_KEY_ID, ARB_KALSHI_PRIVATE_KEY_PATH (/keys/kalshi.pem)');
  });

  it('keys show prints neither the key nor any line of it, but the mix-up', async () => {
    for (const keyring of [memoryKeyring(), unavailableKeyring()]) {
      const d = deps({ keyring, env: { ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: CANARY_PEM } });
      expect(await keysShow(d)).toBe(1);
      expect(d.stdoutText()).toContain(MIX_UP);
      expect(d.reads).toEqual([]);
      expectNoCanary(d.stdoutText() + d.stderrText());
    }
  });
});

describe('keys set kalshi: the key given where its path belongs', () => {
  it('piped private_key_path=<key line> is refused without echoing it; a missing ordinary path is named', async () => {
    for (const value of [CANARY_BODY_LINE, CANARY_LINES[0] as string, 'x'.repeat(5000)]) {
      const keyring = memoryKeyring();
      const d = deps({ keyring, input: `key_id=kid\nprivate_key_path=${value}\n` });
      expect(await keysSet('kalshi', d)).toBe(2);
      expect(d.stderrText()).toMatch(/^keys set kalshi: (private_key_path holds what looks like the key itself, not a path to it|cannot read private_key_path \(value not shown|private_key_path is not a file path)/);
      expect(d.stderrText()).toMatch(/save it to a file and give its path/);
      expectNoCanary(d.stdoutText() + d.stderrText());
      expect(d.stderrText()).not.toContain('xxxxxxxx');
      expect(keyring.entries.size).toBe(0);
    }
    const missing = deps({ input: 'key_id=kid\nprivate_key_path=/keys/typo.pem\n' });
    expect(await keysSet('kalshi', missing)).toBe(2);
    expect(missing.stderrText()).toBe('keys set kalshi: cannot read /keys/typo.pem: ENOENT\n');
  });

  it('at the interactive path prompt, a pasted key line is not echoed back', async () => {
    const keyring = memoryKeyring();
    const stdin = ttyStdin();
    const d = deps({ keyring, stdin: stdin as unknown as KeysInput });
    const done = keysSet('kalshi', d);
    stdin.write('kid-1\r'); // key id
    stdin.write(`${CANARY_BODY_LINE}\r`); // a key line where the path belongs
    expect(await done).toBe(2);
    expect(d.stderrText()).toContain('cannot read the answer to "path to the PEM file" (value not shown: it looks like key material rather than a path): ENOENT');
    expect(d.stderrText()).toContain('paste the whole PEM at that prompt');
    expectNoCanary(d.stdoutText() + d.stderrText());
    expect(keyring.entries.size).toBe(0);
  });

  it('at the interactive key id prompt, a pasted key is refused before it reaches the path question', async () => {
    const stdin = ttyStdin();
    const d = deps({ stdin: stdin as unknown as KeysInput });
    const done = keysSet('kalshi', d);
    stdin.write(`${CANARY_PEM}\r`);
    expect(await done).toBe(2);
    expect(d.stderrText()).toMatch(/the Kalshi API key id looks like the private key itself/);
    expect(d.reads).toEqual([]);
    expectNoCanary(d.stdoutText() + d.stderrText());
  });

  it('a PEM pasted at the path prompt behind a bracketed-paste marker, or on one line, is taken as the key', async () => {
    for (const paste of [`\u001b[200~${REAL_PEM.trim()}\u001b[201~\r`, `${REAL_PEM.trim().replace(/\n/g, '\\n')}\r`]) {
      const keyring = memoryKeyring();
      const stdin = ttyStdin();
      const d = deps({ keyring, stdin: stdin as unknown as KeysInput });
      const done = keysSet('kalshi', d);
      stdin.write('kid-1\r');
      stdin.write(paste);
      expect(await done).toBe(0);
      expect(d.reads).toEqual([]);
      expect(JSON.parse(keyring.entries.get('kalshi') ?? '{}')).toMatchObject({ keyId: 'kid-1' });
      expectNoCanary(d.stdoutText() + d.stderrText());
    }
  });

  it('an ordinary path at the interactive prompt still works, and a wrong one is named', async () => {
    const keyring = memoryKeyring();
    const stdin = ttyStdin();
    const d = deps({ keyring, stdin: stdin as unknown as KeysInput });
    const done = keysSet('kalshi', d);
    stdin.write('kid-1\r/keys/kalshi.pem\r');
    expect(await done).toBe(0);
    expect(keyring.entries.has('kalshi')).toBe(true);
    const stdin2 = ttyStdin();
    const d2 = deps({ stdin: stdin2 as unknown as KeysInput });
    const done2 = keysSet('kalshi', d2);
    stdin2.write('kid-1\r/keys/kalhsi.pem\r');
    expect(await done2).toBe(2);
    expect(d2.stderrText()).toContain('keys set kalshi: cannot read /keys/kalhsi.pem: ENOENT');
  });
});
