/**
 * Real processes: SIGKILL at random moments while writing, and two processes
 * on one file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../source/persistence/database.js';
import { lockPathFor } from '../../source/persistence/lock.js';
import { buildChild, type BuiltChild } from './build-child.js';
import { tempDir } from './helpers.js';

let child: BuiltChild;
beforeAll(() => {
  child = buildChild();
});
afterAll(() => child.cleanup());

interface Running {
  readonly proc: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line matching. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const proc = spawn(process.execPath, [child.entry, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buffer = '';
  let stderr = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.re.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  proc.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      const found = lines.find((l) => re.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => reject(new Error(`child exited (${code}) before ${re}; stderr: ${stderr}`)));
      });
    },
  };
}

/** Deterministic pseudo-random delays (xorshift), so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

async function killLane(lane: number, kills: number): Promise<{ maxSeen: number; survived: number }> {
  const d = tempDir(`arb-kill-${lane}-`);
  const path = d.path();
  const random = rng(0x5eed + lane);
  let reported = 0;
  let survived = 0;
  try {
    // Mostly the main-thread flush path; every fourth child uses the worker mirror.
    const modeOf = (k: number): string => (k % 4 === 3 ? 'worker' : 'main-thread');
    let next: Running | null = null;
    for (let k = 0; k < kills; k += 1) {
      const r: Running = next ?? run(['kill', path, modeOf(k)]);
      await r.waitFor(/^armed$/);
      // Pre-start the next child (it only loads modules until told to go).
      next = k + 1 < kills ? run(['kill', path, modeOf(k + 1)]) : null;
      r.proc.stdin?.write('go\n');
      if (random() < 0.2) {
        // Kill during start-up: lock taking, stale-lock takeover, open, first writes.
        await new Promise((res) => setTimeout(res, Math.floor(random() * 60)));
      } else {
        const start = await r.waitFor(/^start \d+$/);
        // every record reported flushed by an earlier child must be there at start
        const atStart = Number(start.split(' ')[1]);
        expect(atStart, `lane ${lane} kill ${k}: records at start`).toBeGreaterThanOrEqual(reported);
        // Every fifth child is let run until it has reported a flush, so the lanes make
        // progress however loaded the machine is; the kill still lands at a random moment after.
        if (k % 5 === 4) await r.waitFor(/^flushed \d+$/);
        await new Promise((res) => setTimeout(res, Math.floor(random() * 120)));
      }
      r.proc.kill('SIGKILL');
      await r.exited;
      const flushed = r.lines.filter((l) => l.startsWith('flushed ')).map((l) => Number(l.slice(8)));
      if (flushed.length > 0) reported = Math.max(reported, ...flushed);
      survived += 1;
    }
    // Final check in-process: the file opens, passes the integrity check, and holds 1..reported without gaps.
    const db = await openDatabase({ path, flushMode: 'main-thread' });
    const seqs = db.repos.audit.list().filter((e) => e.kind === 'kill-test').map((e) => Number(e.subject));
    await db.close();
    expect(seqs.length).toBeGreaterThanOrEqual(reported);
    expect(seqs.slice(0, reported)).toEqual(Array.from({ length: reported }, (_, i) => i + 1));
    expect(readdirSync(d.dir).sort().join(', ')).toBe('arb.db');
    return { maxSeen: reported, survived };
  } finally {
    d.cleanup();
  }
}

describe('processes', () => {
  it('survives SIGKILL at random moments 100 times: every reopen works and keeps every record reported flushed', async () => {
    const lanes = await Promise.all([killLane(1, 50), killLane(2, 50)]);
    expect(lanes.reduce((n, l) => n + l.survived, 0)).toBe(100);
    // the loop did make progress (otherwise the test proves nothing)
    for (const l of lanes) expect(l.maxSeen).toBeGreaterThan(5);
  }, 300_000);

  it('a second process on the same file gets a clear error naming the holder pid', async () => {
    const d = tempDir('arb-two-');
    try {
      const holder = run(['hold', d.path()]);
      await holder.waitFor(/^ready$/);
      const second = run(['kill', d.path(), 'worker']);
      await second.waitFor(/^armed$/);
      second.proc.stdin?.write('go\n');
      const code = await second.exited;
      expect(code).toBe(3);
      await expect(openDatabase({ path: d.path() })).rejects.toThrow(
        new RegExp(`in use by another arb-tui process \\(pid ${holder.proc.pid}\\)`),
      );
      holder.proc.stdin?.end();
      expect(await holder.exited).toBe(0);
      const db = await openDatabase({ path: d.path() });
      expect(db.notices).toEqual([]);
      await db.close();
    } finally {
      d.cleanup();
    }
  }, 30_000);

  it('a stale lock from a dead pid is taken over with a notice', async () => {
    const d = tempDir('arb-stale-');
    try {
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((res) => dead.on('exit', res));
      writeFileSync(lockPathFor(d.path()), JSON.stringify({ pid: dead.pid, hostname: '', createdAt: 0 }));
      const db = await openDatabase({ path: d.path() });
      expect(db.notices).toEqual([expect.stringContaining(`stale lock from pid ${dead.pid}`)]);
      await db.close();
    } finally {
      d.cleanup();
    }
  });
});
