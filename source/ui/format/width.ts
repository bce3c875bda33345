/**
 * Terminal column widths of text, and fitting text into a column. Pure.
 *
 * Wide (East Asian, emoji) characters take two columns, combining marks and
 * joiners none. An approximation of wcwidth that covers market titles; the
 * table pads with it so one row is one string (one Ink write, not one per cell).
 */

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\u200B-\u200D\uFE00-\uFE0F]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  if (isWide(cp)) return 2;
  if (cp >= 0x1f000 && PICTOGRAPHIC.test(ch)) return 2;
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Exactly `width` columns: truncated with "…" when too long, padded on the side `align` leaves free. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  // Control characters (e.g. a newline in a venue title) would break the row.
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  let w = displayWidth(clean);
  let out = clean;
  if (w > width) {
    out = '';
    w = 0;
    for (const ch of clean) {
      const cw = charWidth(ch);
      if (w + cw > width - 1) break;
      out += ch;
      w += cw;
    }
    out += '…';
    w += 1;
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'right' ? pad + out : out + pad;
}
