/**
 * `arb-tui --headless` end to end through the CLI entry (in process), on the
 * simulated venues: NDJSON events, --once output, the database written, and
 * a clean stop on the stop signal.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawOpen } from '../persistence/helpers.js';
import { cli, isolatedEnv } from './run-cli.js';

function lines(text: string): Array<Record<string, unknown>> {
  return text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('arb-tui --headless', () => {
  it('--once on the demo prints the opportunities found and a summary, with decimal strings', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'h.sqlite');
    let found = 0;
    // The demo's books cross now and then: a few seeds make sure at least one run shows some.
    for (const seed of ['1', '2', '3', '4', '5']) {
      const r = await cli(['--headless', '--once', '--demo', '--seed', seed, '--db', db], iso);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('headless monitor on simulated venues');
      const out = lines(r.stdout);
      const summary = out.at(-1)!;
      expect(summary).toMatchObject({ type: 'summary', venues: { kalshi: 'live', polymarket: 'live' } });
      expect(summary['approved_pairs']).toBeGreaterThanOrEqual(20);
      const opportunities = out.filter((o) => o['type'] === 'opportunity');
      expect(opportunities).toHaveLength(summary['opportunities'] as number);
      for (const o of opportunities) {
        for (const k of ['size', 'total_cost', 'payout', 'net_profit', 'total_fees']) expect(o[k]).toMatch(/^-?\d+\.\d+$/);
        expect(o['roi']).toMatch(/^-?\d+\.\d{6}$/);
        const legs = o['legs'] as Array<Record<string, unknown>>;
        expect(legs.map((l) => l['venue'])).toEqual(['kalshi', 'polymarket']);
        for (const l of legs) for (const k of ['vwap', 'worst_price', 'fee', 'cost']) expect(l[k]).toMatch(/^\d+\.\d+$/);
      }
      found += opportunities.length;
    }
    expect(found).toBeGreaterThan(0);
    expect(existsSync(db)).toBe(true);
    const sessions = await cli(['sessions', '--json', '--db', db], iso);
    expect(sessions.code).toBe(0);
    expect((JSON.parse(sessions.stdout) as unknown[]).length).toBe(5);
    const csv = await cli(['export', '--session', 'all', '--what', 'pairs', '--db', db], iso);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/kalshi/i);
  });

  it('runs until stopped, writing one JSON object per event, and stops cleanly', async () => {
    const iso = isolatedEnv();
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    setTimeout(() => stop('SIGTERM'), 1_500);
    const db = join(iso.cwd, 'run.sqlite');
    const r = await cli(['--headless', '--demo', '--db', db], { ...iso, stopSignal: () => stopped });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const types = new Set(out.map((o) => o['type']));
    expect(types).toContain('venue-status');
    expect(types).toContain('pair-proposed');
    // every pair proposed is in the database (written in batches after the events, the rest at the stop)
    const proposed = new Set(out.filter((o) => o['type'] === 'pair-proposed').map((o) => (o['pair'] as Record<string, unknown>)['key']));
    const raw = await rawOpen(readFileSync(db));
    const stored = raw.exec('SELECT kalshi_market_id || \'|\' || polymarket_market_id FROM pairs')[0]?.values.map((v) => v[0]) ?? [];
    raw.close();
    expect(new Set(stored)).toEqual(proposed);
    for (const o of out) expect(typeof o['at']).toBe('string');
    expect(r.stderr).toContain('SIGTERM: stopping, flushing the database');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('arb-tui: stopped');
  });

  it('auto-execution (config) trades tradable opportunities in paper mode, within the limits, and records the trades', async () => {
    const iso = isolatedEnv({ ARB_EXECUTION__AUTO_EXECUTE: 'true' });
    const db = join(iso.cwd, 'auto.sqlite');
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    setTimeout(() => stop('SIGINT'), 4_000);
    const r = await cli(['--headless', '--demo', '--seed', '2', '--mode', 'paper', '--db', db], { ...iso, stopSignal: () => stopped });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('auto-execution is ON (paper)');
    const autos = lines(r.stdout).filter((o) => o['type'] === 'auto-execute');
    expect(autos.length).toBeGreaterThan(0);
    expect(autos.some((a) => a['result'] === 'submitted')).toBe(true);
    const trades = await cli(['export', '--session', 'last', '--what', 'trades', '--db', db], iso);
    const rows = trades.stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows[1]).toMatch(/,complete,|,hedged-partial,|,unwound,/);
    // The runtime's own lines reach stderr: each attempt's start and end, and arming.
    expect(r.stderr).toContain('[info] trading armed (paper)');
    expect(r.stderr).toMatch(/\[info\] trade \d+/);

    // As if the process had died in the middle of the last attempt: it is not final in the database.
    const raw = await rawOpen(readFileSync(db));
    raw.run("UPDATE trades SET status = 'intent' WHERE id = (SELECT MAX(id) FROM trades)");
    const reopened = (raw.exec('SELECT MAX(id) FROM trades')[0]?.values[0]?.[0] ?? 0) as number;
    writeFileSync(db, raw.export());
    raw.close();

    // A restart on the same database: the paper venues come back from it, reconciliation
    // settles the open attempt once the catalogs are in and agrees with the recorded orders
    // and fills (trading armed), and new orders get new ids.
    let stop2: (s: string) => void = () => undefined;
    const stopped2 = new Promise<string>((resolve) => {
      stop2 = resolve;
    });
    setTimeout(() => stop2('SIGINT'), 4_000);
    const again = await cli(['--headless', '--demo', '--seed', '2', '--mode', 'paper', '--db', db], { ...iso, stopSignal: () => stopped2 });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/read-only|reconciliation:/);
    expect(again.stderr).toContain('[info] trading armed (paper)');
    expect(again.stderr).toMatch(new RegExp(`\\[info\\] reconciled: trade ${reopened}: intent → `));
    const after = await rawOpen(readFileSync(db));
    expect(after.exec(`SELECT status FROM trades WHERE id = ${reopened}`)[0]?.values[0]?.[0]).toMatch(/^(complete|hedged-partial|unwound|one-leg-failed|failed)$/);
    after.close();
    expect(lines(again.stdout).filter((o) => o['type'] === 'auto-execute').some((a) => a['result'] === 'submitted')).toBe(true);
    const fills = await cli(['export', '--session', 'all', '--what', 'fills', '--db', db], iso);
    const fillRows = fills.stdout.trim().split('\n').slice(1);
    const clientIds = fillRows.map((row) => row.split(',')[3]);
    const sessions = new Set(fillRows.map((row) => row.split(',')[0]));
    expect(sessions.size).toBe(2);
    // Two fills per order at most on a paper venue; ids are never reused across sessions.
    const bySession = new Map<string, Set<string>>();
    fillRows.forEach((row, i) => {
      const session = row.split(',')[0] as string;
      const set = bySession.get(session) ?? new Set<string>();
      set.add(clientIds[i] as string);
      bySession.set(session, set);
    });
    const [a, b] = [...bySession.values()] as [Set<string>, Set<string>];
    expect([...a].filter((id) => b.has(id))).toEqual([]);
  });

  it('a save that fails while it runs is reported at once (stderr and an NDJSON alert); the failed final save is one line, no stack', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'moved.sqlite');
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    // Once the app is up — the file replaced by a save after the one that created it (the
    // session's start is saved before the engine runs) — a directory where the file was:
    // every save after this fails (for root too).
    let firstInode: number | null = null;
    const swap = setInterval(() => {
      if (!existsSync(db)) return;
      const inode = statSync(db).ino;
      firstInode ??= inode;
      if (inode === firstInode) return;
      clearInterval(swap);
      rmSync(db, { force: true });
      mkdirSync(db);
      setTimeout(() => stop('SIGTERM'), 3_000);
    }, 10);
    const r = await cli(['--headless', '--demo', '--db', db], { ...iso, stopSignal: () => stopped });
    expect(r.stderr).toMatch(/\[error\] database: background flush failed/);
    const alerts = lines(r.stdout).filter((o) => o['type'] === 'alert');
    expect(alerts.some((a) => a['level'] === 'error' && String(a['message']).includes('background flush failed'))).toBe(true);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('log_level applies to the stderr lines (warn: no info lines); the NDJSON events are unaffected', async () => {
    const iso = isolatedEnv({ ARB_LOG_LEVEL: 'warn' });
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    setTimeout(() => stop('SIGTERM'), 2_000);
    const r = await cli(['--headless', '--demo', '--mode', 'paper', '--db', join(iso.cwd, 'quiet.sqlite')], { ...iso, stopSignal: () => stopped });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('[info]');
    expect(lines(r.stdout).length).toBeGreaterThan(0);
  });

  it('--once without --headless is a usage error', async () => {
    const r = await cli(['--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--once works with --headless');
  });

  it('a second process on the same database gets a clear message naming the holder', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'locked.sqlite');
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const first = cli(['--headless', '--demo', '--db', db], { ...iso, stopSignal: () => stopped });
    await new Promise((r) => setTimeout(r, 700));
    const second = await cli(['--headless', '--once', '--demo', '--db', db], iso);
    stop('SIGINT');
    await first;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/pid \d+/);
  });
});

describe('reading the history after trying only the demo', () => {
  it('sessions and export point at the demo database when only it exists', async () => {
    const iso = isolatedEnv();
    const once = await cli(['--headless', '--once', '--demo'], iso);
    expect(once.code).toBe(0);
    const demoDb = join(iso.cwd, 'data', 'arb-tui', 'arb-tui-demo.sqlite');
    expect(existsSync(demoDb)).toBe(true);
    const sessions = await cli(['sessions'], iso);
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toBe(`No sessions recorded yet.\n(the demo's sessions are in ${demoDb}: add --demo to read them)\n`);
    const csv = await cli(['export'], iso);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain(`(nothing recorded yet); the demo's sessions are in ${demoDb}: add --demo to read them`);
    // with --demo both read it
    expect((await cli(['sessions', '--demo'], iso)).stdout).toMatch(/^\s+1\s/m);
    expect((await cli(['export', '--demo', '--what', 'pairs'], iso)).code).toBe(0);
  });
});

describe('pairs approved up front by the config', () => {
  const TIE = 'KXCOPPAITALIAGAME-26MAY13LAZINT-TIE';
  const DRAW = '0x961134d4dcd0ae9ff00adcbbb02ac96fe52d4b7df46d35045e1e7f79a2ddaf76';

  function pairRow(csv: string): string | undefined {
    return csv.split('\n').find((row) => row.includes(TIE) && row.includes(DRAW));
  }

  it('an approval whose only basis was a [[pairs]] entry is revoked once the config no longer lists it, and listing it again approves it again', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'pq.sqlite');
    const listed = join(iso.cwd, 'listed.toml');
    writeFileSync(listed, `[[pairs]]\nkalshi_ticker = "${TIE}"\npolymarket_condition_id = "${DRAW}"\nrelation = "same"\n`);
    const empty = join(iso.cwd, 'empty.toml');
    writeFileSync(empty, '');
    const summary = (stdout: string) => lines(stdout).at(-1)!;

    const first = await cli(['--headless', '--once', '--demo', '--config', listed, '--db', db], iso);
    expect(first.code).toBe(0);
    const approvedWithConfig = summary(first.stdout)['approved_pairs'] as number;
    expect(pairRow((await cli(['export', '--session', 'last', '--what', 'pairs', '--db', db], iso)).stdout)).toMatch(/,approved,.*\[config\]/);

    const second = await cli(['--headless', '--once', '--demo', '--config', empty, '--db', db], iso);
    expect(second.code).toBe(0);
    expect(summary(second.stdout)['approved_pairs']).toBe(approvedWithConfig - 1);
    expect(second.stderr).toContain(`approval revoked: no longer listed in the config (${TIE}|0x9611…af76)`);
    const row = pairRow((await cli(['export', '--session', 'last', '--what', 'pairs', '--db', db], iso)).stdout);
    expect(row).toMatch(/,revoked,/);
    expect(row).toContain('approval revoked: no longer listed in the config');

    // nothing more to revoke on the next run; listing it again approves it again
    const third = await cli(['--headless', '--once', '--demo', '--config', empty, '--db', db], iso);
    expect(third.stderr).not.toContain('approval revoked');
    const fourth = await cli(['--headless', '--once', '--demo', '--config', listed, '--db', db], iso);
    expect(summary(fourth.stdout)['approved_pairs']).toBe(approvedWithConfig);
    expect(pairRow((await cli(['export', '--session', 'last', '--what', 'pairs', '--db', db], iso)).stdout)).toMatch(/,approved,.*\[config\]/);
  });
});

describe('arb-tui --headless --once, stopped before the cycle ends', () => {
  /** A venue that accepts every connection and never answers. */
  async function silentVenue(): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const paths: string[] = [];
    const server = http.createServer((req) => {
      paths.push(req.url ?? '');
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      paths,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while a venue does not answer stops the cycle at once, ends the session with the signal and exits ${code}`, async () => {
      const venue = await silentVenue();
      try {
        const iso = isolatedEnv({
          ARB_KALSHI__REST_URL: `${venue.url}/trade-api/v2`,
          ARB_POLYMARKET__GAMMA_URL: venue.url,
          ARB_POLYMARKET__CLOB_URL: venue.url,
        });
        const db = join(iso.cwd, 'slow.sqlite');
        let stop: (s: string) => void = () => undefined;
        const stopped = new Promise<string>((resolve) => {
          stop = resolve;
        });
        // once both venues have been asked (and will not answer within their 10 s timeout)
        let signalledAt = Number.POSITIVE_INFINITY;
        const asked = setInterval(() => {
          const kalshi = venue.paths.some((p) => p.startsWith('/trade-api/v2/'));
          if (!kalshi || !venue.paths.some((p) => !p.startsWith('/trade-api/v2/'))) return;
          clearInterval(asked);
          signalledAt = Date.now();
          stop(signal);
        }, 10);
        const r = await cli(['--headless', '--once', '--db', db], { ...iso, stopSignal: () => stopped });
        clearInterval(asked);
        // the requests under way were aborted: no wait for their timeouts, retries or the unwind bound
        expect(Date.now() - signalledAt).toBeLessThan(900);
        expect(r.code).toBe(code);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(`arb-tui: ${signal}: stopping before the cycle finished`);
        expect(r.stderr).not.toContain('still stopping');
        expect(r.stderr.trim().split('\n').at(-1)).toBe('arb-tui: stopped');
        const sessions = await cli(['sessions', '--json', '--db', db], iso);
        expect(sessions.code).toBe(0);
        const [session] = JSON.parse(sessions.stdout) as Array<Record<string, unknown>>;
        expect(session).toMatchObject({ endReason: signal });
        expect(session?.['endedAt']).toEqual(expect.any(String));
      } finally {
        await venue.close();
      }
    });
  }
});
