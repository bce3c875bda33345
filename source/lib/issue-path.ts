/**
 * A zod issue's path as a field name (`markets[3].yes_ask_dollars`). Its own
 * module so that parsers of saved responses (the demo catalog among them) do
 * not load the HTTP client and its dependencies.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}
