/** Small text helpers for the views. Pure. */

/** Keep the end of a path that does not fit: "…/data/arb/session.sqlite". */
export function shortenPath(path: string, max: number): string {
  if (path.length <= max) return path;
  if (max <= 1) return '…'.slice(0, max);
  const parts = path.split('/');
  let tail = parts.pop() ?? '';
  while (parts.length > 0) {
    const next = `${parts[parts.length - 1]}/${tail}`;
    if (next.length + 2 > max) break;
    tail = next;
    parts.pop();
  }
  const candidate = `…/${tail}`;
  return candidate.length <= max ? candidate : `…${path.slice(path.length - (max - 1))}`;
}

/** Shorten an id in the middle: "0x3f2a…91bc". */
export function shortenId(id: string, max: number): string {
  if (id.length <= max) return id;
  if (max < 5) return id.slice(0, max);
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${id.slice(0, head)}…${id.slice(id.length - (keep - head))}`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Does `text` contain every whitespace-separated word of `filter` (case-insensitive)? */
export function matchesFilter(text: string, filter: string): boolean {
  const words = filterWords(filter);
  return words.length === 0 || containsAll(text.toLowerCase(), words);
}

/** The words of a filter, lower-cased (`matchesFilter`). */
export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
}

/** Does the lower-cased `hay` contain every one of `words` (`filterWords`)? */
export function containsAll(hay: string, words: readonly string[]): boolean {
  for (const w of words) if (!hay.includes(w)) return false;
  return true;
}

/** Split text into lines of at most `width` characters at spaces (hard-break long words). */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const out: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      let w = word;
      while (w.length > width) {
        if (line.length > 0) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (line.length === 0) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
