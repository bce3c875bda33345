/**
 * Polymarket CLOB V2 signing (polymarket-api.md §3–4), with viem:
 * - EIP-712 orders for the market's exchange: CTF Exchange V2 / Neg Risk CTF Exchange V2
 *   (domain version "2") for `version: "v1"` markets, ExchangeV3 (domain version "3")
 *   for Protocol-V2 (`version: "v2"`) markets; same `Order` struct;
 * - exact integer amounts from (size, price, tick) with the CCv2 rounding rules, in
 *   bigint (no floats);
 * - the L1 `ClobAuth` signature (create/derive API credentials);
 * - the L2 HMAC-SHA256 request signature.
 */
import { createHmac } from 'node:crypto';
import { domainSeparator, hashTypedData, keccak256, stringToHex, type Hex } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { PolymarketMarketRef } from '../../domain/market.js';
import { formatDecimal, ONE, type Price, type Size } from '../../domain/money.js';
import { OrderInputError } from '../trading.js';

export const POLYGON_CHAIN_ID = 137;

/** verifyingContract per exchange (Polygon; CCv2 `src/config.ts`). */
export const POLYMARKET_EXCHANGES = {
  ctfV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskV2: '0xe2222d279d744050d28e00520010520000310F59',
  v3: '0xe3333700cA9d93003F00f0F71f8515005F6c00Aa',
} as const satisfies Record<string, Hex>;

export const BYTES32_ZERO: Hex = `0x${'0'.repeat(64)}`;

export interface ExchangeDomain {
  readonly name: 'Polymarket CTF Exchange';
  readonly version: '2' | '3';
  readonly chainId: number;
  readonly verifyingContract: Hex;
}

/** The exchange (and EIP-712 domain) a market's orders are signed for. */
export function exchangeDomainFor(
  ref: Pick<PolymarketMarketRef, 'negRisk' | 'protocolVersion'>,
  chainId: number = POLYGON_CHAIN_ID,
  exchanges: { readonly ctfV2: Hex; readonly negRiskV2: Hex; readonly v3: Hex } = POLYMARKET_EXCHANGES,
): ExchangeDomain {
  if (ref.protocolVersion === 'v2') return { name: 'Polymarket CTF Exchange', version: '3', chainId, verifyingContract: exchanges.v3 };
  return {
    name: 'Polymarket CTF Exchange',
    version: '2',
    chainId,
    verifyingContract: ref.negRisk ? exchanges.negRiskV2 : exchanges.ctfV2,
  };
}

export const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const;

/** The signed order struct (side 0 = BUY, 1 = SELL; amounts in 1e-6 units). */
export interface OrderStruct {
  readonly salt: bigint;
  readonly maker: Hex;
  readonly signer: Hex;
  readonly tokenId: bigint;
  readonly makerAmount: bigint;
  readonly takerAmount: bigint;
  readonly side: 0 | 1;
  readonly signatureType: 0 | 1 | 2 | 3;
  /** ms */
  readonly timestamp: bigint;
  readonly metadata: Hex;
  readonly builder: Hex;
}

export function orderTypedData(domain: ExchangeDomain, order: OrderStruct) {
  return { domain, types: ORDER_TYPES, primaryType: 'Order' as const, message: order };
}

/** The order hash = the CLOB order id, known before sending. */
export function orderHash(domain: ExchangeDomain, order: OrderStruct): Hex {
  return hashTypedData(orderTypedData(domain, order));
}

export function signOrder(account: PrivateKeyAccount, domain: ExchangeDomain, order: OrderStruct): Promise<Hex> {
  return account.signTypedData(orderTypedData(domain, order));
}

// ---- fast path: the same EIP-712 digest without viem's generic typed-data encoder ----------

/** The `Order` type string (EIP-712 `encodeType`), in ORDER_TYPES order. */
export const ORDER_TYPE_STRING =
  'Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)';
const ORDER_TYPEHASH = Buffer.from(keccak256(stringToHex(ORDER_TYPE_STRING)).slice(2), 'hex');
const UINT256_LIMIT = 1n << 256n;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const BYTES32_RE = /^0x[0-9a-fA-F]{64}$/;

/** The EIP-712 domain separator of an exchange: compute once per exchange and reuse. */
export function exchangeDomainSeparator(domain: ExchangeDomain): Hex {
  return domainSeparator({ domain });
}

function putUint(buf: Buffer, offset: number, value: bigint, bits: number, field: string): void {
  if (value < 0n || value >= (bits === 256 ? UINT256_LIMIT : 1n << BigInt(bits))) throw new OrderInputError(`order ${field} out of range for uint${bits}`);
  buf.write(value.toString(16).padStart(64, '0'), offset, 32, 'hex');
}

function putHex(buf: Buffer, offset: number, value: string, re: RegExp, field: string): void {
  if (!re.test(value)) throw new OrderInputError(`order ${field} is not a valid ${re === ADDRESS_RE ? 'address' : 'bytes32'}`);
  const hex = value.slice(2);
  buf.write(hex.padStart(64, '0'), offset, 32, 'hex');
}

/**
 * The order's EIP-712 digest (= `orderHash(domain, order)`, the CLOB order id) from a
 * precomputed domain separator: typeHash ‖ 11 words, keccak256, then
 * keccak256(0x1901 ‖ separator ‖ structHash). Tested against viem's `hashTypedData`.
 */
export function orderDigest(separator: Hex, order: OrderStruct): Hex {
  const words = Buffer.alloc(32 * 12);
  ORDER_TYPEHASH.copy(words, 0);
  putUint(words, 32, order.salt, 256, 'salt');
  putHex(words, 64, order.maker, ADDRESS_RE, 'maker');
  putHex(words, 96, order.signer, ADDRESS_RE, 'signer');
  putUint(words, 128, order.tokenId, 256, 'tokenId');
  putUint(words, 160, order.makerAmount, 256, 'makerAmount');
  putUint(words, 192, order.takerAmount, 256, 'takerAmount');
  putUint(words, 224, BigInt(order.side), 8, 'side');
  putUint(words, 256, BigInt(order.signatureType), 8, 'signatureType');
  putUint(words, 288, order.timestamp, 256, 'timestamp');
  putHex(words, 320, order.metadata, BYTES32_RE, 'metadata');
  putHex(words, 352, order.builder, BYTES32_RE, 'builder');
  const structHash = keccak256(words, 'bytes');
  const message = Buffer.alloc(66);
  message[0] = 0x19;
  message[1] = 0x01;
  if (!BYTES32_RE.test(separator)) throw new OrderInputError('domain separator is not bytes32');
  message.write(separator.slice(2), 2, 32, 'hex');
  message.set(structHash, 34);
  return keccak256(message);
}

/** Sign an order digest (the EIP-712 signature is the signature of the digest). */
export function signOrderDigest(account: PrivateKeyAccount, digest: Hex): Promise<Hex> {
  return account.sign({ hash: digest });
}

/**
 * A salt derived from our client order id (first 6 bytes of its keccak256): the same
 * id always gives the same salt, and it stays a safe JSON integer (< 2^48).
 */
export function saltFromClientOrderId(clientOrderId: string): bigint {
  return BigInt(keccak256(stringToHex(clientOrderId)).slice(0, 14));
}

// ---- amounts -------------------------------------------------------------------------------

export interface RoundingConfig {
  readonly price: number;
  readonly size: number;
  readonly amount: number;
}

/** CCv2 `roundingConfig.ts`, keyed by tick size at scale 1e6. */
export const ROUNDING_CONFIG: ReadonlyMap<Price, RoundingConfig> = new Map([
  [100_000n, { price: 1, size: 2, amount: 3 }],
  [10_000n, { price: 2, size: 2, amount: 4 }],
  [5_000n, { price: 3, size: 2, amount: 5 }],
  [2_500n, { price: 4, size: 2, amount: 6 }],
  [1_000n, { price: 3, size: 2, amount: 5 }],
  [100n, { price: 4, size: 2, amount: 6 }],
]);

export function roundingConfigFor(tick: Price): RoundingConfig {
  const c = ROUNDING_CONFIG.get(tick);
  if (!c) throw new OrderInputError(`unsupported Polymarket tick size ${formatDecimal(tick)}`);
  return c;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function roundHalfUp(value: bigint, step: bigint): bigint {
  return ((value + step / 2n) / step) * step;
}

/**
 * price × size (scale 1e6 each) → amount in 1e-6 units, per CCv2: when the product has
 * more than `amountDecimals` decimals, round up at amountDecimals + 4, then, if still
 * too long, round down to amountDecimals.
 */
export function productAmount(price: Price, size: Size, amountDecimals: number): bigint {
  let product = price * size; // scale 1e12, exact
  const keepUnit = pow10(12 - amountDecimals);
  if (product % keepUnit !== 0n) {
    if (amountDecimals + 4 < 12) {
      const upUnit = pow10(12 - amountDecimals - 4);
      product = ((product + upUnit - 1n) / upUnit) * upUnit;
    }
    if (product % keepUnit !== 0n) product = (product / keepUnit) * keepUnit;
  }
  return product / 1_000_000n;
}

export interface RawAmounts {
  readonly side: 0 | 1;
  readonly makerAmount: bigint;
  readonly takerAmount: bigint;
  /** The price and size the amounts encode (after the tick's rounding). */
  readonly price: Price;
  readonly size: Size;
}

/**
 * Limit-order amounts (CCv2 `getOrderRawAmounts`): price rounded half-up to the tick's
 * price decimals, size rounded down to 2 decimals; BUY pays `size × price` pUSD for
 * `size` shares, SELL gives `size` shares for `size × price`.
 */
export function orderRawAmounts(action: 'buy' | 'sell', size: Size, price: Price, tick: Price): RawAmounts {
  const cfg = roundingConfigFor(tick);
  const p = roundHalfUp(price, pow10(6 - cfg.price));
  const sizeUnit = pow10(6 - cfg.size);
  const s = size - (size % sizeUnit);
  const amount = productAmount(p, s, cfg.amount);
  return action === 'buy'
    ? { side: 0, makerAmount: amount, takerAmount: s, price: p, size: s }
    : { side: 1, makerAmount: s, takerAmount: amount, price: p, size: s };
}

/**
 * Amounts for an intent, refusing anything the rounding would change: a limit price
 * off the tick grid or outside [tick, 1 − tick], or a size that is not a whole number
 * of 0.01 shares. (We never let rounding move a price or a contract count.)
 */
export function exactOrderAmounts(action: 'buy' | 'sell', size: Size, price: Price, tick: Price): RawAmounts {
  const raw = orderRawAmounts(action, size, price, tick);
  if (raw.price !== price || price % tick !== 0n) throw new OrderInputError(`price ${formatDecimal(price)} is not on the ${formatDecimal(tick)} tick grid`);
  if (price < tick || price > ONE - tick) throw new OrderInputError(`price ${formatDecimal(price)} is outside [tick, 1 − tick]`);
  if (raw.size !== size || size <= 0n) throw new OrderInputError(`size ${formatDecimal(size)} is not a positive multiple of 0.01 shares`);
  if (raw.makerAmount <= 0n || raw.takerAmount <= 0n) throw new OrderInputError('order amounts round to zero');
  return raw;
}

// ---- L1 auth -------------------------------------------------------------------------------

export const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';

export const CLOB_AUTH_TYPES = {
  ClobAuth: [
    { name: 'address', type: 'address' },
    { name: 'timestamp', type: 'string' },
    { name: 'nonce', type: 'uint256' },
    { name: 'message', type: 'string' },
  ],
} as const;

export function clobAuthTypedData(address: Hex, chainId: number, timestampSeconds: string, nonce: bigint) {
  return {
    domain: { name: 'ClobAuthDomain', version: '1', chainId },
    types: CLOB_AUTH_TYPES,
    primaryType: 'ClobAuth' as const,
    message: { address, timestamp: timestampSeconds, nonce, message: CLOB_AUTH_MESSAGE },
  };
}

export function signClobAuth(account: PrivateKeyAccount, chainId: number, timestampSeconds: string, nonce: bigint): Promise<Hex> {
  return account.signTypedData(clobAuthTypedData(account.address, chainId, timestampSeconds, nonce));
}

// ---- L2 HMAC -------------------------------------------------------------------------------

/**
 * HMAC-SHA256 over `timestamp + METHOD + requestPath + body`, keyed with the
 * base64url-decoded secret; standard base64 output made URL-safe (`+`→`-`, `/`→`_`),
 * `=` padding kept (CCv2 `signing/hmac.ts`).
 */
export function buildHmacSignature(secret: string, timestamp: number | string, method: string, requestPath: string, body?: string): string {
  const key = Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const message = `${timestamp}${method}${requestPath}${body ?? ''}`;
  return createHmac('sha256', key).update(message, 'utf8').digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
