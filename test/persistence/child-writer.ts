/**
 * Child process for the kill and two-process tests (compiled by build-child.ts).
 *
 *   node child-writer.js kill <db> <flushMode>
 *     loads modules, prints "armed", waits for a line on stdin, then
 *     writes records in a loop; after each flushNow() prints "flushed <n>" (n = records on disk)
 *   node child-writer.js hold <db>
 *     opens the database, prints "ready", waits for stdin to close, closes
 */
import { createInterface } from 'node:readline';
import { openDatabase, type FlushMode } from '../../source/persistence/database.js';
import { loadSqlJs } from '../../source/persistence/sqljs.js';

/** Resolves on the first line of stdin (the parent's "go"). */
function goSignal(): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.once('line', () => {
      rl.close();
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const [mode, path, flushMode] = process.argv.slice(2);
  if (!path) throw new Error('usage');
  if (mode === 'hold') {
    const db = await openDatabase({ path });
    process.stdout.write('ready\n');
    process.stdin.resume();
    process.stdin.on('end', () => {
      void db.close().then(() => process.exit(0));
    });
    return;
  }
  // Load everything first, then wait for "go": the parent pre-starts the next child while killing this one.
  await loadSqlJs();
  process.stdout.write('armed\n');
  await goSignal();
  const db = await openDatabase({ path, flushMode: (flushMode ?? 'worker') as FlushMode, flushIntervalMs: 5 });
  let session = db.repos.sessions.latest();
  if (!session) {
    session = db.write((r) => r.sessions.start({ mode: 'paper', demo: true, appVersion: 'kill-test', configDigest: 'x' }));
  }
  const sessionId = session.id;
  const pair = db.write((r) => r.pairs.ensureCandidate({ kalshiMarketId: 'K', polymarketMarketId: 'P', relation: 'same' }));
  let n = db.conn.get('SELECT count(*) AS n FROM audit_log', [], (r) => Number(r['n'])) ?? 0;
  process.stdout.write(`start ${n}\n`);
  for (;;) {
    // A few non-critical writes, then a critical one, flushed before it is reported.
    for (let i = 0; i < 3; i += 1) {
      db.write((r) =>
        r.opportunities.open(sessionId, pair.id, {
          at: Date.now(),
          netEdge: 12_345n,
          size: 10_000_000n,
          kalshi: { side: 'yes', price: 450_000n, fee: 17_000n },
          polymarket: { side: 'no', price: 520_000n, fee: 9_000n },
        }),
      );
    }
    n += 1;
    const seq = n;
    await db.writeCritical((r) => r.audit.append({ actor: 'engine', kind: 'kill-test', subject: String(seq), detail: { seq, big: 2n ** 62n } }));
    process.stdout.write(`flushed ${seq}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exit(3);
});
