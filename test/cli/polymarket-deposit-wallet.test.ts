/**
 * Execute mode with a Polymarket deposit wallet (signature type 3, POLY_1271) is refused at
 * start-up with the reason: its orders need an EIP-1271 wrapped signature this client does
 * not build, so every Polymarket leg would be refused after the Kalshi leg may have filled.
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, isolatedEnv } from './run-cli.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const WALLET_KEY = `0x${'11'.repeat(32)}`;

describe('execute mode and the Polymarket signature type', () => {
  it('type 3 (deposit wallet) is refused before anything starts, with the reason and what to use instead; no key is printed', async () => {
    const iso = isolatedEnv({
      ARB_KALSHI_KEY_ID: 'kid',
      ARB_KALSHI_PRIVATE_KEY: PEM,
      ARB_POLYMARKET_PRIVATE_KEY: WALLET_KEY,
      ARB_POLYMARKET_SIGNATURE_TYPE: '3',
      ARB_POLYMARKET_FUNDER: '0x1234567890123456789012345678901234567890',
      ARB_POLYMARKET_API_KEY: '00000000-0000-4000-8000-000000000000',
      ARB_POLYMARKET_API_SECRET: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==',
      ARB_POLYMARKET_API_PASSPHRASE: 'passphrase-passphrase',
    });
    const db = join(iso.cwd, 'type3.sqlite');
    const run = await cli(['--mode', 'execute', '--headless', '--db', db], iso);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Polymarket signature type 3 (deposit wallet, POLY_1271) cannot place orders with arb-tui yet');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout + run.stderr).not.toContain('11'.repeat(32));
    // the session that never got going is ended with the reason, not left "(running/crashed)"
    const sessions = JSON.parse((await cli(['sessions', '--json', '--db', db], iso)).stdout) as Array<{ endedAt: string | null; endReason: string | null }>;
    expect(sessions.at(-1)).toMatchObject({ endedAt: expect.any(String), endReason: 'start-up failed' });
  });
});
