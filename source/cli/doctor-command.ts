/**
 * `arb-tui doctor`: check the installation and show what arb-tui would use,
 * without touching the network.
 */
import { loadSqlJs, sqlJsWasmPath } from '../persistence/sqljs.js';
import type { AppContext } from '../app/context.js';
import { VERSION } from '../version.js';

export interface DoctorLine {
  readonly ok: boolean;
  readonly text: string;
}

const MIN_NODE: readonly [number, number] = [20, 19];

export function nodeVersionOk(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map((x) => Number.parseInt(x, 10));
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

export async function runDoctor(ctx: AppContext): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  const nodeOk = nodeVersionOk(process.version);
  lines.push({
    ok: nodeOk,
    text: `arb-tui ${VERSION} on Node ${process.version}: ${nodeOk ? 'ok' : `needs Node ${MIN_NODE.join('.')} or newer`}`,
  });
  try {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    const result = db.exec('select sqlite_version()');
    db.close();
    const version = String(result[0]?.values[0]?.[0] ?? '?');
    lines.push({ ok: true, text: `sql.js: ok (SQLite ${version}, ${sqlJsWasmPath()})` });
  } catch (error) {
    lines.push({ ok: false, text: `sql.js: cannot load its WebAssembly: ${(error as Error).message}` });
  }
  const src = ctx.loaded.source;
  lines.push({
    ok: true,
    text: `config: ${src.file ?? 'defaults (no config file found)'}${src.profile ? `, profile ${src.profile}` : ''}${
      src.envKeys.length > 0 ? `, environment ${src.envKeys.join(', ')}` : ''
    }`,
  });
  for (const notice of ctx.loaded.notices) lines.push({ ok: false, text: notice });
  lines.push({ ok: true, text: `mode: ${ctx.config.mode}${ctx.demo ? ' (demo: simulated venues)' : ''}` });
  lines.push({ ok: true, text: `kalshi: ${ctx.config.kalshi.restUrl}` });
  lines.push({ ok: true, text: `polymarket: gamma ${ctx.config.polymarket.gammaUrl}, clob ${ctx.config.polymarket.clobUrl}` });
  return lines;
}
