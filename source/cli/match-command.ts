/**
 * `arb-tui match --kalshi FILE --polymarket FILE [--json] [--min-confidence X]`:
 * offline matching of two saved venue responses. Proposes pairs with their
 * relation, polarity, confidence, reasons and warnings; trades nothing and
 * approves nothing (a person approves pairs in the registry).
 */
import { readFile } from 'node:fs/promises';
import type { Market } from '../domain/market.js';
import type { MatchCandidate } from '../matching/candidate.js';
import { matchMarkets } from '../matching/matcher.js';
import { isVenueError } from '../venues/errors.js';
import { parseSavedKalshi } from '../venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../venues/polymarket/saved.js';
import { renderTable, type Column } from './text-table.js';
import { UserError } from './user-error.js';

export interface MatchArgs {
  readonly kalshiFile: string;
  readonly polymarketFile: string;
  readonly json: boolean;
  readonly minConfidence: number;
}

export interface MatchIo {
  stdout(text: string): void;
  readonly columns: number;
}

/** One proposed pair as `--json` prints it. */
export interface MatchJsonRow {
  readonly kalshi_ticker: string;
  readonly polymarket_condition_id: string;
  /** The Polymarket outcome that pays when Kalshi YES pays. */
  readonly polymarket_outcome: string | null;
  readonly relation: 'same' | 'inverse';
  readonly confidence: number;
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  readonly kalshi_title: string;
  readonly polymarket_question: string;
  readonly pair_key: string;
  readonly fingerprint: { readonly kalshi: string; readonly polymarket: string };
}

async function loadSaved(
  file: string,
  flag: string,
  parse: (body: unknown) => Market[],
): Promise<Market[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UserError(`${flag} ${file}: cannot read the file (${why})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${flag} ${file}: not JSON (${(e as Error).message})`);
  }
  try {
    return parse(body);
  } catch (e) {
    if (isVenueError(e)) {
      const field = 'field' in e && typeof e.field === 'string' && e.field !== '' ? ` at ${e.field}` : '';
      throw new UserError(`${flag} ${file}: not a saved ${flag === '--kalshi' ? 'Kalshi' : 'Polymarket'} response${field}: ${e.message}`);
    }
    throw e;
  }
}

export function toJsonRow(c: MatchCandidate): MatchJsonRow {
  if (c.relation === 'different') throw new Error(`invariant: a vetoed pair ${c.key} was proposed`);
  return {
    kalshi_ticker: c.kalshiTicker,
    polymarket_condition_id: c.polymarketConditionId,
    polymarket_outcome: c.polymarketOutcome,
    relation: c.relation,
    confidence: c.confidence,
    reasons: c.reasons,
    warnings: c.warnings,
    kalshi_title: c.kalshiTitle,
    polymarket_question: c.polymarketTitle,
    pair_key: c.key,
    fingerprint: c.fingerprint,
  };
}

function renderProposals(proposals: readonly MatchCandidate[], columns: number): string {
  const fixed = 7 + 5 + 16 + 2 * 5;
  const free = Math.max(40, columns - fixed);
  const kw = Math.max(16, Math.floor(free * 0.3));
  const pw = Math.max(20, Math.floor(free * 0.4));
  const rw = Math.max(10, free - kw - pw);
  const cols: Column[] = [
    { header: 'Kalshi', width: kw },
    { header: 'Polymarket', width: pw },
    { header: 'Kalshi YES =', width: 16 },
    { header: 'rel', width: 7 },
    { header: 'conf', width: 5, align: 'right' },
    { header: 'why', width: rw },
  ];
  const rows = proposals.map((c) => [
    // the ticker's last part (the outcome of a multi-outcome event) first: a long ticker cut the title off
    `${c.kalshiTicker.split('-').at(-1) ?? c.kalshiTicker} · ${c.kalshiTitle}`,
    c.polymarketTitle,
    c.polymarketOutcome ?? '',
    c.relation,
    c.confidence.toFixed(2),
    c.reasons.slice(1).join('; '),
  ]);
  return renderTable(cols, rows);
}

export async function runMatch(args: MatchArgs, io: MatchIo): Promise<void> {
  if (!Number.isFinite(args.minConfidence) || args.minConfidence < 0 || args.minConfidence > 1) {
    throw new UserError(`--min-confidence must be between 0 and 1, got ${String(args.minConfidence)}`);
  }
  const kalshi = await loadSaved(args.kalshiFile, '--kalshi', parseSavedKalshi);
  const polymarket = await loadSaved(args.polymarketFile, '--polymarket', parseSavedPolymarket);
  if (kalshi.some((m) => m.venue !== 'kalshi') || polymarket.some((m) => m.venue !== 'polymarket')) {
    throw new Error('invariant: saved parser returned a market of the other venue');
  }
  const { proposals } = matchMarkets(kalshi, polymarket, { minConfidence: args.minConfidence });
  if (args.json) {
    io.stdout(`${JSON.stringify(proposals.map(toJsonRow), null, 2)}\n`);
    return;
  }
  const inverse = proposals.filter((c) => c.relation === 'inverse').length;
  io.stdout(
    `${proposals.length} proposed pair${proposals.length === 1 ? '' : 's'} (${inverse} inverse) from ${kalshi.length} Kalshi × ${polymarket.length} Polymarket markets, min confidence ${args.minConfidence}.\n`,
  );
  if (proposals.length > 0) io.stdout(`${renderProposals(proposals, io.columns)}\n`);
  io.stdout('Candidates only: read both venues\' rules and approve a pair before anything trades it.\n');
}
