/**
 * End to end through the CLI: the Kalshi PEM put into ARB_KALSHI_PRIVATE_KEY_PATH (an easy
 * mix-up with ARB_KALSHI_PRIVATE_KEY) is never printed by `keys show` or `--mode execute`;
 * both say what is wrong instead.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli, isolatedEnv } from './run-cli.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PEM_LINES = PEM.split('\n').filter((l) => l.trim() !== '');
const MIX_UP = 'ARB_KALSHI_PRIVATE_KEY_PATH holds what looks like the key itself, not a path to it: put the key in ARB_KALSHI_PRIVATE_KEY or save it to a file and give its path';

function expectNoKeyLine(text: string): void {
  for (const line of PEM_LINES) expect(text).not.toContain(line);
}

describe('the key in ARB_KALSHI_PRIVATE_KEY_PATH', () => {
  for (const value of [PEM, PEM.trim()]) {
    it(`keys show and --mode execute name the mix-up without printing any line of the key (${value === PEM ? 'as cat gives it' : 'trimmed'})`, async () => {
      const iso = isolatedEnv({ ARB_KALSHI_KEY_ID: 'kid', ARB_KALSHI_PRIVATE_KEY_PATH: value });
      const show = await cli(['keys', 'show'], iso);
      expect(show.code).toBe(1);
      expect(show.stdout).toContain(MIX_UP);
      expectNoKeyLine(show.stdout + show.stderr);

      const run = await cli(['--mode', 'execute', '--headless'], iso);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(MIX_UP);
      expectNoKeyLine(run.stdout + run.stderr);
    });
  }
});
