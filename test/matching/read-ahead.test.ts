/**
 * Reading ahead on a worker thread (`read-ahead.ts`): what the worker sends as
 * numbers decodes to exactly what the main thread reads, the matcher's results
 * are the same with and without it (candidates, documents, vocabulary ids in
 * order), and a worker that fails or is missing costs nothing but its help.
 *
 * The worker runs from this checkout's sources: `read-worker.ts` and what it
 * imports, bundled into a temporary module (Node cannot run TypeScript).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Market } from '../../source/domain/market.js';
import { syntheticCatalog, withCloseTimes } from '../../source/bench/matching.js';
import { Vocabulary } from '../../source/matching/inverted-index.js';
import { readMarket, type MarketDoc } from '../../source/matching/market-doc.js';
import { Matcher } from '../../source/matching/matcher.js';
import { fingerprintFromWords, fingerprintOfMarket } from '../../source/matching/candidate.js';
import {
  BATCH,
  fingerprintBatches,
  READ_AHEAD_MIN,
  ReadAhead,
  ReadingDecoder,
  ReadingEncoder,
  textBatches,
  unpackBatch,
  type FingerprintRequest,
} from '../../source/matching/read-ahead.js';
import { parseSavedKalshi } from '../../source/venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../../source/venues/polymarket/saved.js';

const fixtures = fileURLToPath(new URL('../fixtures/matching/catalog-2026-05/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const realKalshi = parseSavedKalshi(read('kalshi-events.json'));
const realPolymarket = parseSavedPolymarket(read('polymarket-events.json'));
const real: Market[] = [...realPolymarket, ...realKalshi];

/** Every market of `markets` through the encoder and decoder, in batches; null for the ones skipped. */
function roundTrip(markets: readonly Market[], vocab: Vocabulary, encoder = new ReadingEncoder(), skipBelow = 0) {
  const decoder = new ReadingDecoder(vocab);
  const out = [];
  for (const batch of textBatches(markets, 0)) {
    const answer = encoder.encode(batch, (index) => index >= skipBelow);
    // through structured clone, as between the threads
    const cloned = structuredClone(answer);
    decoder.learn(cloned);
    for (let i = 0; i < cloned.count; i += 1) out.push(decoder.decode(cloned, i) ?? null);
  }
  return out;
}

describe('the reading sent as numbers', () => {
  it('decodes to what the main thread reads, for every market of the real catalog', () => {
    const sent = new Vocabulary();
    const here = new Vocabulary();
    const decoded = roundTrip(real, sent);
    expect(decoded).toHaveLength(real.length);
    real.forEach((m, i) => {
      const mine = readMarket(m);
      const theirs = decoded[i];
      expect(theirs, m.id).not.toBeNull();
      expect(theirs?.reading, m.id).toEqual(mine.reading);
      // word ids handed out in the same order as reading here would hand them out
      expect(theirs?.ownIds, m.id).toEqual(mine.own.map((w) => here.id(w)));
    });
    expect(sent.size).toBe(here.size);
    for (let id = 0; id < sent.size; id += 1) expect(sent.token(id)).toBe(here.token(id));
  });

  it('decodes synthetic markets (quantities, dates, two-team shapes) the same way', () => {
    const catalog = withCloseTimes(syntheticCatalog(1_500, 3_000));
    const markets = [...catalog.polymarket, ...catalog.kalshi];
    const decoded = roundTrip(markets, new Vocabulary());
    const here = new Vocabulary();
    markets.forEach((m, i) => {
      const mine = readMarket(m);
      expect(decoded[i]?.reading, m.id).toEqual(mine.reading);
      expect(decoded[i]?.ownIds, m.id).toEqual(mine.own.map((w) => here.id(w)));
    });
    // shared values stay shared: equal lists decode to one object
    const quantityLists = new Set(decoded.map((d) => d?.reading.quantities));
    const distinct = new Set(decoded.map((d) => JSON.stringify(d?.reading.quantities, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))));
    expect(quantityLists.size).toBe(distinct.size);
  });

  it('starts both tables afresh when the values outgrow their limit, and still decodes every market', () => {
    const markets = real.slice(0, BATCH * 2 + 17);
    const here = new Vocabulary();
    const decoded = roundTrip(markets, new Vocabulary(), new ReadingEncoder(5));
    markets.forEach((m, i) => {
      const mine = readMarket(m);
      expect(decoded[i]?.reading, m.id).toEqual(mine.reading);
      expect(decoded[i]?.ownIds, m.id).toEqual(mine.own.map((w) => here.id(w)));
    });
  });

  it('skips the markets the main thread reads itself', () => {
    const markets = real.slice(0, 40);
    const decoded = roundTrip(markets, new Vocabulary(), new ReadingEncoder(), 25);
    expect(decoded.slice(0, 25).every((d) => d === null)).toBe(true);
    expect(decoded.slice(25).every((d) => d !== null)).toBe(true);
  });
});

/** Markets whose fields test the batches' text: nulls, no close time, quotes, NUL, non-ASCII, an event title across batches. */
function oddMarkets(): Market[] {
  const base = real.slice(0, BATCH + 10);
  return base.map((m, i) => {
    if (i % 7 === 0) return { ...m, subtitle: null, rules: null, closeTime: null };
    if (i % 7 === 1) return { ...m, subtitle: '', rules: '', closeTime: Number.NaN };
    if (i % 7 === 2) return { ...m, title: `Will "Yes"\u0000 win\n\t${m.title}? ☃ \ud83d\ude00`, rules: 'a\\b \ud800 lone' };
    if (i % 7 === 3) return { ...m, eventTitle: base[i - 1]?.eventTitle ?? m.eventTitle, status: 'closed' };
    if (i % 7 === 4) return { ...m, closeTime: 1_790_000_000_000 + i * 1_000.5 };
    return m;
  });
}

describe('the batches of texts sent to the reader thread', () => {
  it('carry every field a market is read and fingerprinted by, as it is', () => {
    const markets = oddMarkets();
    const unpacked = [...textBatches(markets, 0)].map((b) => structuredClone(b)).flatMap((b) => unpackBatch(b));
    expect(unpacked).toHaveLength(markets.length);
    markets.forEach((m, i) => {
      const u = unpacked[i];
      expect(u, m.id).toEqual({
        venue: m.venue,
        title: m.title,
        subtitle: m.subtitle,
        yesLabel: m.venue === 'polymarket' ? m.yesLabel : '',
        noLabel: m.venue === 'polymarket' ? m.noLabel : '',
        rules: m.rules,
        eventTitle: m.eventTitle,
        status: m.status,
        closeTime: m.closeTime === null || Number.isNaN(m.closeTime) ? null : m.closeTime,
      });
      expect(readMarket(u as Market), m.id).toEqual(readMarket(m));
    });
  });

  function request(count: number): FingerprintRequest {
    return { base: 0, count, ready: new SharedArrayBuffer(count), words: new SharedArrayBuffer(count * 16), stop: new SharedArrayBuffer(4) };
  }

  it('are fingerprinted on the reader thread exactly as the main thread fingerprints the markets', () => {
    const markets = [...oddMarkets(), ...withCloseTimes(syntheticCatalog(300, 300)).kalshi];
    const batches = [...textBatches(markets, 0)].map((b) => structuredClone(b));
    const req = request(markets.length);
    fingerprintBatches(req, batches);
    expect(new Uint8Array(req.ready).every((b) => b === 1)).toBe(true);
    const words = new Int32Array(req.words);
    markets.forEach((m, i) => expect(fingerprintFromWords(words, i * 4), m.id).toBe(fingerprintOfMarket(m)));
    // and they tell the markets apart
    expect(new Set(markets.map((m) => fingerprintOfMarket(m))).size).toBeGreaterThan(markets.length * 0.9);
  });

  it('stop being fingerprinted when the main thread says so', () => {
    const markets = oddMarkets();
    const batches = [...textBatches(markets, 0)];
    const req = request(markets.length);
    Atomics.store(new Int32Array(req.stop), 0, 1);
    fingerprintBatches(req, batches);
    expect(new Uint8Array(req.ready).some((b) => b === 1)).toBe(false);
  });
});

describe('the matcher with a reader thread', () => {
  let dir: string;
  let workerUrl: URL;
  let failingUrl: URL;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-read-ahead-'));
    const file = join(dir, 'read-worker.mjs');
    await build({
      input: fileURLToPath(new URL('../../source/matching/read-worker.ts', import.meta.url)),
      platform: 'node',
      logLevel: 'warn',
      resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
      output: { file, format: 'esm' },
    });
    workerUrl = pathToFileURL(file);
    // a reader that answers every batch with an error
    const failing = join(dir, 'failing-worker.mjs');
    writeFileSync(
      failing,
      "import { workerData } from 'node:worker_threads';\n" +
        "workerData.port.on('message', (b) => workerData.port.postMessage({ base: b.base, error: 'disk on fire' }));\n",
    );
    failingUrl = pathToFileURL(failing);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const catalog = withCloseTimes(syntheticCatalog(4_000, 8_000, 11));
  const all = [...catalog.polymarket, ...catalog.kalshi];

  /** Everything the matcher holds, ids as they are (so the vocabulary's order counts). */
  function state(m: Matcher): string {
    const docs = all.map((market) => {
      const d = m.doc(market.venue, market.id) as MarketDoc;
      const { market: _m, fingerprint: _f, eventOutcomeCounts, eventWords, teams, ...rest } = d;
      return { ...rest, eventOutcomeCounts, eventWords: [...eventWords], teams: teams?.map((t) => [...t]) ?? null };
    });
    const candidates = m.candidates().sort((a, b) => (a.key < b.key ? -1 : 1));
    return JSON.stringify({ docs, candidates, proposals: m.proposals() }, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  }

  it('finds the same pairs, reads the same documents and hands out the same token ids', () => {
    expect(all.length).toBeGreaterThanOrEqual(READ_AHEAD_MIN);
    const alone = new Matcher({ readAhead: false });
    alone.upsert(all);
    const helped = new Matcher({ readAhead: { workerUrl, anyMachine: true } });
    helped.upsert(all);
    expect(helped.readAheadFailure).toBeNull();
    const counts = helped.readAheadCounts;
    expect(counts?.sent).toBe(all.length);
    // each market built from its own text was built from the worker's reading or read here (a
    // Kalshi outcome resolved from its ticker reads another text, always here); siblings' second reads count again
    const asked = (counts?.ahead ?? 0) + (counts?.here ?? 0);
    expect(asked).toBeGreaterThan(all.length * 0.9);
    expect(state(helped)).toBe(state(alone));
    helped.close();
  });

  it('reads every market on the worker when the main thread gives it time', async () => {
    const vocab = new Vocabulary();
    const reader = new ReadAhead(vocab, { workerUrl, anyMachine: true });
    const markets = all.slice(0, 3_000);
    expect(reader.send(markets)).toBe(0);
    for (let i = 0; i < 1_000 && reader.answered() < markets.length; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(reader.answered()).toBe(markets.length);
    const here = new Vocabulary();
    markets.forEach((m, i) => {
      const mine = readMarket(m);
      const theirs = reader.take(i);
      expect(theirs?.reading, m.id).toEqual(mine.reading);
      expect(theirs?.ownIds, m.id).toEqual(mine.own.map((w) => here.id(w)));
    });
    expect(reader.counts).toMatchObject({ sent: markets.length, ahead: markets.length, here: 0 });
    // then the worker fingerprints the refresh's markets, which stay there after the refresh is released
    reader.release();
    for (let i = 0; i < 1_000 && reader.fingerprint(markets.length - 1) === undefined; i += 1) await new Promise((r) => setTimeout(r, 10));
    markets.forEach((m, i) => expect(reader.fingerprint(i), m.id).toBe(fingerprintOfMarket(m)));
    expect(reader.fingerprint(markets.length)).toBeUndefined();
    // the next refresh: the worker's tables carry on from the first; the last refresh's fingerprints are forgotten
    const next = all.slice(3_000, 5_000);
    expect(reader.send(next)).toBe(3_000);
    expect(reader.fingerprint(0)).toBeUndefined();
    for (let i = 0; i < 1_000 && reader.answered() < 5_000; i += 1) await new Promise((r) => setTimeout(r, 10));
    next.forEach((m, i) => {
      const mine = readMarket(m);
      const theirs = reader.take(3_000 + i);
      expect(theirs?.reading, m.id).toEqual(mine.reading);
      expect(theirs?.ownIds, m.id).toEqual(mine.own.map((w) => here.id(w)));
    });
    // a market of a refresh that is over is not answered
    reader.release();
    expect(reader.take(10)).toBeUndefined();
    reader.close();
  });

  it('reads each market once: the main thread claims ahead of the worker what the worker has not reached', () => {
    const vocab = new Vocabulary();
    const reader = new ReadAhead(vocab, { workerUrl, anyMachine: true });
    const markets = all.slice(0, 6_000);
    expect(reader.send(markets)).toBe(0);
    // taken at once, in order, as a refresh builds them: whatever the split, each reading is the main thread's own
    markets.forEach((m, i) => {
      const theirs = reader.take(i);
      const mine = readMarket(m);
      // (undefined: claimed by the main thread as it came to it, to be read now, as `buildDoc` does)
      const ids = mine.own.map((w) => vocab.id(w));
      if (theirs !== undefined) {
        expect(theirs.reading, m.id).toEqual(mine.reading);
        expect(theirs.ownIds, m.id).toEqual(ids);
      }
    });
    const counts = reader.counts;
    // every market was claimed by one thread: the worker's answers and the main thread's reads add up
    expect(counts.ahead + counts.here).toBe(markets.length);
    expect(counts.here).toBeGreaterThan(0);
    reader.close();
  });

  it('keeps what the main thread read ahead, and the answers of the worker, only until they are built', async () => {
    const reader = new ReadAhead(new Vocabulary(), { workerUrl, anyMachine: true });
    const markets = all.slice(0, 6_000);
    expect(reader.send(markets)).toBe(0);
    // the worker has started and answered its first batch
    for (let i = 0; i < 1_000 && reader.answered() < BATCH; i += 1) await new Promise((r) => setTimeout(r, 10));
    let most = 0;
    let fromWorker = -1;
    markets.forEach((m, i) => {
      const before = reader.counts.ahead;
      const theirs = reader.take(i);
      if (reader.counts.ahead > before) fromWorker = i;
      // read here when it is the main thread's to read now, as a refresh does
      if (theirs === undefined) readMarket(m);
      else if (i % 50 === 0) expect(theirs.reading, m.id).toEqual(readMarket(m).reading);
      // built, as the matcher tells it after each event
      reader.forget(i + 1);
      if (i % 20 === 0) most = Math.max(most, reader.held.readings);
    });
    // nothing is kept for what was built
    expect(reader.held).toEqual({ readings: 0, batches: 0 });
    // a market built and forgotten is read again by the caller, without waiting for an answer that is gone
    expect(fromWorker).toBeGreaterThanOrEqual(0);
    const t = performance.now();
    expect(reader.take(fromWorker)).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(1_000);
    expect(reader.failure).toBeNull();
    // the main thread, faster at building the worker's readings than the worker at making them,
    // read ahead what the worker had not claimed, and built it soon after
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(markets.length / 2);
    reader.close();
  });

  it('reads on the main thread alone when the worker answers with an error, with the same results', async () => {
    const alone = new Matcher({ readAhead: false });
    alone.upsert(all);
    const m = new Matcher({ readAhead: { workerUrl: failingUrl, anyMachine: true } });
    m.upsert(all);
    expect(state(m)).toBe(state(alone));
    // the first error stops it for good (it may come after the build: it is seen when answers are next taken in)
    const reader = (m as unknown as { reader: ReadAhead }).reader;
    for (let i = 0; i < 1_000 && m.readAheadFailure === null; i += 1) {
      reader.answered();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(m.readAheadFailure).toBe('the reader thread failed: disk on fire');
    expect(reader.running).toBe(false);
    expect(reader.send(all)).toBeNull();
  });

  it('reads on the main thread alone when the worker module is missing', async () => {
    const m = new Matcher({ readAhead: { workerUrl: pathToFileURL(join(dir, 'no-such-worker.mjs')), anyMachine: true } });
    m.upsert(all);
    const alone = new Matcher({ readAhead: false });
    alone.upsert(all);
    expect(state(m)).toBe(state(alone));
    // the worker's start fails after the build (it never waited for it)
    for (let i = 0; i < 200 && m.readAheadFailure === null; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(m.readAheadFailure).toMatch(/reader thread stopped/);
  });

  it('stops an idle worker, and starts another for the next large refresh', async () => {
    const m = new Matcher({ readAhead: { workerUrl, anyMachine: true, idleMs: 20 } });
    m.upsert(all.slice(0, 6_000));
    const reader = (m as unknown as { reader: { running: boolean } }).reader;
    expect(reader.running).toBe(true);
    for (let i = 0; i < 100 && reader.running; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(reader.running).toBe(false);
    m.upsert(all.slice(6_000));
    expect(reader.running).toBe(true);
    expect(m.readAheadFailure).toBeNull();
    m.close();
    expect(reader.running).toBe(false);
  });

  it('reads small refreshes on the main thread (no worker started)', () => {
    const m = new Matcher({ readAhead: { workerUrl, anyMachine: true } });
    m.upsert(all.slice(0, READ_AHEAD_MIN - 1));
    expect(m.readAheadCounts?.sent).toBe(0);
    expect((m as unknown as { reader: { running: boolean } }).reader.running).toBe(false);
  });
});
