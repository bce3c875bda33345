import fc from 'fast-check';
import { encodeAbiParameters, keccak256, recoverTypedDataAddress, stringToHex, concatHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { OrderInputError } from '../../../source/venues/trading.js';
import {
  BYTES32_ZERO,
  buildHmacSignature,
  exactOrderAmounts,
  exchangeDomainFor,
  orderHash,
  orderRawAmounts,
  orderTypedData,
  POLYMARKET_EXCHANGES,
  saltFromClientOrderId,
  signClobAuth,
  signOrder,
  type OrderStruct,
  ORDER_TYPES,
} from '../../../source/venues/polymarket/signing.js';
import * as signingFast from '../../../source/venues/polymarket/signing.js';

/** Hardhat account #0: the publicly known key the official clients' tests use. */
const HARDHAT_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const account = privateKeyToAccount(HARDHAT_KEY);

describe('published test vectors (official clients)', () => {
  it('L2 HMAC: clob-client buildPolyHmacSignature vector', () => {
    expect(buildHmacSignature('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 1000000, 'test-sign', '/orders', '{"hash": "0x123"}')).toBe(
      'ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=',
    );
  });

  it('L1 ClobAuth: clob-client buildClobEip712Signature vector (Amoy, ts 10000000, nonce 23)', async () => {
    expect(account.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(await signClobAuth(account, 80002, '10000000', 23n)).toBe(
      '0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b',
    );
  });

  it('amounts: clob-client createOrder vectors (21.04 shares)', () => {
    expect(orderRawAmounts('buy', 21_040_000n, 500_000n, 100_000n)).toMatchObject({ makerAmount: 10_520_000n, takerAmount: 21_040_000n, side: 0 });
    expect(orderRawAmounts('buy', 21_040_000n, 560_000n, 10_000n)).toMatchObject({ makerAmount: 11_782_400n, takerAmount: 21_040_000n });
    expect(orderRawAmounts('sell', 21_040_000n, 500_000n, 100_000n)).toMatchObject({ makerAmount: 21_040_000n, takerAmount: 10_520_000n, side: 1 });
    expect(orderRawAmounts('sell', 21_040_000n, 560_000n, 10_000n)).toMatchObject({ makerAmount: 21_040_000n, takerAmount: 11_782_400n });
  });
});

describe('amount rounding rules', () => {
  const ticks = [
    { tick: 100_000n, amountDp: 3 },
    { tick: 10_000n, amountDp: 4 },
    { tick: 5_000n, amountDp: 5 },
    { tick: 2_500n, amountDp: 6 },
    { tick: 1_000n, amountDp: 5 },
    { tick: 100n, amountDp: 6 },
  ];

  it('property: shares keep 2 decimals, cash keeps the tick amount decimals, buy pays ≤ price, sell gets ≤ price', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ticks), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 9_999 }), (t, hundredths, p) => {
        const size = BigInt(hundredths) * 10_000n;
        const price = t.tick * BigInt(1 + (p % Number(1_000_000n / t.tick - 1n)));
        if (price >= 1_000_000n) return;
        for (const action of ['buy', 'sell'] as const) {
          const a = exactOrderAmounts(action, size, price, t.tick);
          const shares = action === 'buy' ? a.takerAmount : a.makerAmount;
          const cash = action === 'buy' ? a.makerAmount : a.takerAmount;
          expect(shares).toBe(size);
          expect(shares % 10_000n).toBe(0n);
          expect(cash % 10n ** BigInt(6 - t.amountDp)).toBe(0n);
          // exact product when it fits, otherwise rounded down (never pays more than price × size)
          expect(cash * 1_000_000n <= price * size).toBe(true);
          expect(price * size - cash * 1_000_000n < 10n ** BigInt(12 - t.amountDp)).toBe(true);
        }
      }),
    );
  });

  it('refuses a price off the tick grid, outside [tick, 1 − tick], or a size finer than 0.01', () => {
    expect(() => exactOrderAmounts('buy', 1_000_000n, 505_000n, 10_000n)).toThrow(OrderInputError);
    expect(() => exactOrderAmounts('buy', 1_000_000n, 1_000_000n, 10_000n)).toThrow(OrderInputError);
    expect(() => exactOrderAmounts('buy', 1_005_000n, 500_000n, 10_000n)).toThrow(OrderInputError);
    expect(() => exactOrderAmounts('buy', 1_000_000n, 500_000n, 3_000n)).toThrow(OrderInputError);
  });
});

describe('EIP-712 order signing', () => {
  const order: OrderStruct = {
    salt: saltFromClientOrderId('client-1'),
    maker: account.address,
    signer: account.address,
    tokenId: 1234n,
    makerAmount: 50_000_000n,
    takerAmount: 100_000_000n,
    side: 0,
    signatureType: 0,
    timestamp: 1780449126930n,
    metadata: BYTES32_ZERO,
    builder: BYTES32_ZERO,
  };

  it('picks the exchange and domain version by market', () => {
    expect(exchangeDomainFor({ negRisk: false, protocolVersion: 'v1' })).toMatchObject({ version: '2', verifyingContract: POLYMARKET_EXCHANGES.ctfV2, chainId: 137, name: 'Polymarket CTF Exchange' });
    expect(exchangeDomainFor({ negRisk: true, protocolVersion: 'v1' })).toMatchObject({ version: '2', verifyingContract: POLYMARKET_EXCHANGES.negRiskV2 });
    expect(exchangeDomainFor({ negRisk: true, protocolVersion: 'v2' })).toMatchObject({ version: '3', verifyingContract: POLYMARKET_EXCHANGES.v3 });
  });

  it('the order hash equals an independent EIP-712 computation, and the signature recovers the wallet', async () => {
    const domain = exchangeDomainFor({ negRisk: false, protocolVersion: 'v1' });
    const typeHash = keccak256(stringToHex('Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)'));
    const domainTypeHash = keccak256(stringToHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
    const domainSeparator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [domainTypeHash, keccak256(stringToHex('Polymarket CTF Exchange')), keccak256(stringToHex('2')), 137n, POLYMARKET_EXCHANGES.ctfV2],
      ),
    );
    const structHash = keccak256(
      encodeAbiParameters(
        [
          { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' },
          { type: 'uint256' }, { type: 'uint8' }, { type: 'uint8' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'bytes32' },
        ],
        [typeHash, order.salt, order.maker, order.signer, order.tokenId, order.makerAmount, order.takerAmount, order.side, order.signatureType, order.timestamp, order.metadata, order.builder],
      ),
    );
    const digest = keccak256(concatHex(['0x1901' as Hex, domainSeparator, structHash]));
    expect(orderHash(domain, order)).toBe(digest);
    const signature = await signOrder(account, domain, order);
    expect(await recoverTypedDataAddress({ ...orderTypedData(domain, order), signature })).toBe(account.address);
    // the same signature checked against another exchange's domain recovers someone else
    const other = exchangeDomainFor({ negRisk: false, protocolVersion: 'v2' });
    expect(await recoverTypedDataAddress({ ...orderTypedData(other, order), signature })).not.toBe(account.address);
  });

  it('derives a stable, JSON-safe salt from the client order id', () => {
    expect(saltFromClientOrderId('a')).toBe(saltFromClientOrderId('a'));
    expect(saltFromClientOrderId('a')).not.toBe(saltFromClientOrderId('b'));
    fc.assert(fc.property(fc.string(), (s) => Number.isSafeInteger(Number(saltFromClientOrderId(s)))));
  });
});

describe('fast order digest (hand-encoded EIP-712, viem as the oracle)', () => {
  const { exchangeDomainSeparator, orderDigest, signOrderDigest, ORDER_TYPE_STRING } = signingFast;
  const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
  const struct = fc.record({
    salt: uint256,
    maker: address,
    signer: address,
    tokenId: uint256,
    makerAmount: uint256,
    takerAmount: uint256,
    side: fc.constantFrom(0 as const, 1 as const),
    signatureType: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    timestamp: uint256,
    metadata: bytes32,
    builder: bytes32,
  });
  const domains = [
    exchangeDomainFor({ negRisk: false, protocolVersion: 'v1' }),
    exchangeDomainFor({ negRisk: true, protocolVersion: 'v1' }),
    exchangeDomainFor({ negRisk: false, protocolVersion: 'v2' }),
    exchangeDomainFor({ negRisk: false, protocolVersion: 'v1' }, 80002),
  ];

  it('the type string is the one ORDER_TYPES encodes', () => {
    expect(ORDER_TYPE_STRING).toBe(`Order(${ORDER_TYPES.Order.map((f) => `${f.type} ${f.name}`).join(',')})`);
  });

  it('equals viem hashTypedData for any order on every exchange domain (property)', () => {
    fc.assert(
      fc.property(struct, fc.constantFrom(...domains), (o: OrderStruct, d) => {
        expect(orderDigest(exchangeDomainSeparator(d), o)).toBe(orderHash(d, o));
      }),
      { numRuns: 200 },
    );
  });

  it('signing the digest gives the same signature as viem signTypedData (RFC 6979), recoverable to the signer', async () => {
    const d = domains[2] as (typeof domains)[number];
    const o: OrderStruct = {
      salt: saltFromClientOrderId('c-1'),
      maker: account.address,
      signer: account.address,
      tokenId: 555n,
      makerAmount: 5_600_000n,
      takerAmount: 10_000_000n,
      side: 0,
      signatureType: 0,
      timestamp: 1_780_000_000_000n,
      metadata: BYTES32_ZERO,
      builder: BYTES32_ZERO,
    };
    const fast = await signOrderDigest(account, orderDigest(exchangeDomainSeparator(d), o));
    expect(fast).toBe(await signOrder(account, d, o));
    expect(await recoverTypedDataAddress({ ...orderTypedData(d, o), signature: fast })).toBe(account.address);
  });

  it('refuses values that do not fit their EIP-712 type instead of encoding them wrongly', () => {
    const sep = exchangeDomainSeparator(domains[0] as (typeof domains)[number]);
    const base: OrderStruct = { salt: 1n, maker: account.address, signer: account.address, tokenId: 1n, makerAmount: 1n, takerAmount: 1n, side: 0, signatureType: 0, timestamp: 1n, metadata: BYTES32_ZERO, builder: BYTES32_ZERO };
    expect(() => orderDigest(sep, { ...base, salt: -1n })).toThrow(OrderInputError);
    expect(() => orderDigest(sep, { ...base, tokenId: 1n << 256n })).toThrow(OrderInputError);
    expect(() => orderDigest(sep, { ...base, maker: '0x1234' })).toThrow(OrderInputError);
    expect(() => orderDigest(sep, { ...base, metadata: '0x00' })).toThrow(OrderInputError);
  });
});
