/**
 * Signing cost (issue 7): per Kalshi request (RSA-PSS SHA-256, 2048-bit key) and per
 * Polymarket order (EIP-712 typed-data signature with viem, plus the order hash and the
 * L2 HMAC of the body). Throwaway keys generated here; nothing leaves the process.
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { privateKeyToAccount } from 'viem/accounts';
import { Secret } from '../credentials/secret.js';
import { KalshiAuth } from '../venues/kalshi/auth.js';
import {
  BYTES32_ZERO,
  buildHmacSignature,
  exactOrderAmounts,
  exchangeDomainFor,
  orderHash,
  saltFromClientOrderId,
  signOrder,
  type OrderStruct,
} from '../venues/polymarket/signing.js';
import { bench, formatResult } from './harness.js';

async function timeAsync(name: string, fn: () => Promise<unknown>, iterations: number, warmup: number): Promise<string> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number): number => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? Number.NaN;
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  return `${name.padEnd(46)} median ${us(at(0.5))}  p95 ${us(at(0.95))}  min ${us(times[0] ?? Number.NaN)}  (${iterations} runs)`;
}

export async function runSigningBenchmarks(): Promise<string[]> {
  const lines: string[] = [];
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const kalshi = new KalshiAuth({ keyId: 'bench', privateKeyPem: new Secret(pem) });
  lines.push(formatResult(await bench('kalshi: sign one request (RSA-PSS 2048)', () => kalshi.headers('POST', '/trade-api/v2/portfolio/events/orders'), { iterations: 500, warmup: 50 }), 'us'));

  const account = privateKeyToAccount(`0x${'4c'.repeat(32)}`);
  const domain = exchangeDomainFor({ negRisk: false, protocolVersion: 'v1' });
  let n = 0;
  const order = (): OrderStruct => {
    n += 1;
    const amounts = exactOrderAmounts('buy', 10_000_000n, 560_000n, 10_000n);
    return {
      salt: saltFromClientOrderId(`bench-${n}`),
      maker: account.address,
      signer: account.address,
      tokenId: 15871154585880608648532107628464183779895785213830018178010423617714102767076n,
      makerAmount: amounts.makerAmount,
      takerAmount: amounts.takerAmount,
      side: amounts.side,
      signatureType: 0,
      timestamp: BigInt(Date.now()),
      metadata: BYTES32_ZERO,
      builder: BYTES32_ZERO,
    };
  };
  lines.push(await timeAsync('polymarket: sign one order (EIP-712, viem)', () => signOrder(account, domain, order()), 300, 30));
  lines.push(formatResult(await bench('polymarket: order hash (order id)', () => orderHash(domain, order()), { iterations: 1000, warmup: 100 }), 'us'));
  const body = JSON.stringify({ order: { salt: 1, signature: `0x${'ab'.repeat(65)}` }, owner: 'k', orderType: 'FOK' });
  const secret = Buffer.alloc(32, 7).toString('base64');
  lines.push(formatResult(await bench('polymarket: L2 HMAC headers of POST /order', () => buildHmacSignature(secret, 1_700_000_000, 'POST', '/order', body), { iterations: 2000, warmup: 200 }), 'us'));
  return lines;
}
