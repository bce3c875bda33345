/**
 * A value that should be a file path (ARB_KALSHI_PRIVATE_KEY_PATH, `private_key_path=`,
 * the "path to the PEM file" prompt) but may hold the key itself: pasting the PEM into
 * the path variable is an easy mix-up with ARB_KALSHI_PRIVATE_KEY. Messages about such a
 * value name the path when it is an ordinary path (users need it to fix a typo) and
 * never echo it when it looks like key material or cannot be a path at all.
 */

/** Longer than any path the OS accepts (Linux PATH_MAX is 4096). */
export const MAX_PATH_CHARS = 4096;
/** Longer than any single file name (NAME_MAX is 255 on the usual file systems). */
const MAX_NAME_CHARS = 255;

export type PathValueVerdict =
  /** An ordinary path: safe to name in messages. */
  | { readonly kind: 'path' }
  /** Certainly the key (or another PEM) itself: a PEM marker or several lines. */
  | { readonly kind: 'key' }
  /** Cannot be a file path (too long, control characters); not shown in case it is a secret. */
  | { readonly kind: 'not-a-path'; readonly reason: string }
  /** Could be a path, but looks like a secret (hex key, long base64 run): not shown. */
  | { readonly kind: 'secret-like' };

const PEM_MARKER = /-----(BEGIN|END)\b|PRIVATE KEY/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
/** A run of base64 alphabet (no path separator) long and mixed enough to be key material. */
const BASE64_RUN = /[A-Za-z0-9+=]{20,}/g;
/** A whole value in the base64 alphabet (with '/'), as one line of a PEM body. */
const BASE64_LINE = /^[A-Za-z0-9+/]{40,}={0,2}$/;

function mixed(run: string): boolean {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((re) => re.test(run)).length;
  return classes >= 2 && (/[0-9+]/.test(run) || run.length >= 32);
}

/** What a value given as a path looks like; see `PathValueVerdict`. */
export function classifyPathValue(raw: string): PathValueVerdict {
  const value = raw.trim();
  if (PEM_MARKER.test(value) || /[\r\n]/.test(value)) return { kind: 'key' };
  if (value.length > MAX_PATH_CHARS) return { kind: 'not-a-path', reason: `it is longer than ${MAX_PATH_CHARS} characters` };
  if (CONTROL.test(value)) return { kind: 'not-a-path', reason: 'it contains control characters' };
  if (value.split(/[/\\]/).some((name) => name.length > MAX_NAME_CHARS)) {
    return { kind: 'not-a-path', reason: `it has a name longer than ${MAX_NAME_CHARS} characters` };
  }
  if (HEX_KEY.test(value) || BASE64_LINE.test(value)) return { kind: 'secret-like' };
  if ((value.match(BASE64_RUN) ?? []).some(mixed)) return { kind: 'secret-like' };
  return { kind: 'path' };
}

/** True when the value must never be read as a path (it is the key, or cannot be a path). */
export function isUnusablePathValue(verdict: PathValueVerdict): boolean {
  return verdict.kind === 'key' || verdict.kind === 'not-a-path';
}

/**
 * The refusal for a value that cannot be a path, naming only `label`, e.g.
 * "ARB_KALSHI_PRIVATE_KEY_PATH holds what looks like the key itself, not a path to it".
 * `advice` says what to do instead. Only for verdicts where `isUnusablePathValue` holds.
 */
export function unusablePathMessage(label: string, verdict: PathValueVerdict, advice: string): string {
  if (verdict.kind === 'not-a-path') {
    return `${label} is not a file path (${verdict.reason}; the value is not shown in case it is a secret): ${advice}`;
  }
  return `${label} holds what looks like the key itself, not a path to it: ${advice}`;
}

/** How to name the value in a message: the path itself, or a note that it is withheld. */
export function displayPathValue(raw: string, verdict: PathValueVerdict = classifyPathValue(raw)): string {
  return verdict.kind === 'path' ? raw.trim() : 'value not shown: it looks like key material rather than a path';
}
