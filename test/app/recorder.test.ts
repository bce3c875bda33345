/**
 * Pair verdicts kept in the database (DbVerdictStore): who approved a pair survives a restart,
 * so that a later run revokes an approval the config (or the demo) gave once it no longer lists
 * the pair, and never one a person gave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DbVerdictStore } from '../../source/app/recorder.js';
import { isUnlistedRevocation, PairRegistry, type RegistryInput } from '../../source/engine/registry.js';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import { tempDir } from '../persistence/helpers.js';

const T0 = Date.UTC(2026, 4, 1, 12);
const input = (kalshi: string, polymarket: string): RegistryInput => ({ key: `${kalshi}|${polymarket}`, relation: 'same', fingerprint: { kalshi: `k-${kalshi}`, polymarket: `p-${polymarket}` } });
const CONFIG = input('KXA-26-X', '0xa');
const USER = input('KXB-26-X', '0xb');
const DEMO = input('KXC-26-X', '0xc');

describe('DbVerdictStore', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });

  async function run(path: string, t: number, body: (registry: PairRegistry, db: ArbDatabase, sessionId: number) => Promise<void>): Promise<void> {
    const db = await openDatabase({ path, now: () => t });
    const sessionId = db.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 'test', configDigest: 'sha256:x', startedAt: t })).id;
    try {
      await body(new PairRegistry(new DbVerdictStore(db, () => sessionId), () => t), db, sessionId);
    } finally {
      await db.close();
    }
  }

  it('a later run revokes the approvals the config and the demo gave to pairs it no longer lists, with who, when and why; a person\'s stays', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.path();
    await run(path, T0, async (registry) => {
      await registry.approve(CONFIG, 'config', 'listed in config');
      await registry.approve(USER, 'user', 'checked by hand');
      await registry.approve(DEMO, 'demo', 'planted');
    });
    await run(path, T0 + 60_000, async (registry, db, sessionId) => {
      expect(registry.verdict(CONFIG.key)?.decidedBy).toBe('config');
      expect(registry.verdict(USER.key)?.decidedBy).toBe('user');
      expect(registry.verdict(DEMO.key)?.decidedBy).toBe('demo');
      const revoked = await registry.revokeUnlisted(new Set());
      expect(revoked.map((v) => [v.key, v.reason])).toEqual([
        [CONFIG.key, 'approval revoked: no longer listed in the config'],
        [DEMO.key, "approval revoked: no longer one of the demo's planted pairs"],
      ]);
      expect(registry.statusOf(CONFIG.key)).toBe('candidate');
      expect(registry.statusOf(DEMO.key)).toBe('candidate');
      expect(registry.statusOf(USER.key)).toBe('approved');
      const pair = db.repos.pairs.list().find((p) => p.kalshiMarketId === 'KXA-26-X')!;
      expect(pair.verdict).toBe('revoked');
      expect(db.repos.pairs.history(pair.id).map((h) => [h.verdict, h.decidedBy, h.reason, h.at, h.sessionId])).toEqual([
        ['candidate', 'matcher', null, T0, 1],
        ['approved', 'engine', '[config] listed in config', T0, 1],
        ['revoked', 'engine', 'approval revoked: no longer listed in the config', T0 + 60_000, sessionId],
      ]);
      expect(db.repos.audit.list({ sessionId }).map((a) => [a.actor, a.kind, a.subject])).toEqual([
        ['engine', 'pair-revoked', CONFIG.key],
        ['engine', 'pair-revoked', DEMO.key],
      ]);
    });
    // after a restart: known as revoked because it was no longer listed (listing it again approves it again)
    await run(path, T0 + 120_000, async (registry) => {
      const v = registry.verdict(CONFIG.key)!;
      expect(v).toMatchObject({ status: 'candidate', decidedBy: 'engine' });
      expect(isUnlistedRevocation(v)).toBe(true);
      expect(await registry.revokeUnlisted(new Set())).toEqual([]);
      expect(await registry.approveListed(CONFIG, 'config', 'listed in config')).toMatchObject({ status: 'approved', decidedBy: 'config' });
      expect(await registry.approveListed(USER, 'config', 'listed in config')).toBeNull();
    });
  });
});
