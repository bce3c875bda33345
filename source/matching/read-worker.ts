/**
 * The reader thread (`read-ahead.ts`): reads the batches of market texts it is
 * sent, in order, and answers each with its reading as numbers. It reads a
 * market only after claiming it (the main thread may have claimed it first),
 * and after each answer bumps the counter the main thread may wait on. After
 * a refresh's batches, it writes their markets' fingerprints where the main
 * thread reads them (`fingerprintBatches`).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import {
  CLAIM_FREE,
  CLAIM_WORKER,
  fingerprintBatches,
  ReadingEncoder,
  type FingerprintRequest,
  type ReadFailure,
  type TextBatch,
} from './read-ahead.js';

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const answered = new Int32Array(signal);
const encoder = new ReadingEncoder();
/** the batches read since the last fingerprint request (kept as they came: one string and two arrays each) */
let batches: TextBatch[] = [];

port.on('message', (message: TextBatch | { fingerprints: FingerprintRequest }) => {
  if ('fingerprints' in message) {
    const kept = batches;
    batches = [];
    // nothing is answered: the main thread computes what is not written yet
    try {
      fingerprintBatches(message.fingerprints, kept);
    } catch {
      // the main thread computes them
    }
    return;
  }
  const batch = message;
  batches.push(batch);
  try {
    const claims = batch.claims === undefined ? null : new Uint8Array(batch.claims);
    const first = batch.first ?? 0;
    const claim = (index: number): boolean =>
      claims === null || Atomics.compareExchange(claims, index - first, CLAIM_FREE, CLAIM_WORKER) === CLAIM_FREE;
    const answer = encoder.encode(batch, claim);
    port.postMessage(answer, [answer.ints.buffer as ArrayBuffer]);
  } catch (error) {
    const failure: ReadFailure = { base: batch.base, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(failure);
  }
  Atomics.add(answered, 0, 1);
  Atomics.notify(answered, 0);
});
