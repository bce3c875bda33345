/**
 * Build step (run with node after tsc, never imported at run time): bundle
 * the terminal UI — Ink, React and `dist/ui/**` — into `dist/ui-bundle/`, so
 * the TUI loads one file instead of some 800 modules on its way to the first
 * frame (issue 6: Ink alone is ~600 modules, most of them a lodash-style
 * barrel it imports for one function).
 *
 * - Entry `dist/ui/render.js`, ESM for Node, not minified, no source map.
 * - Our modules outside `dist/ui/` (domain, engine: shared with the runtime)
 *   stay external, as relative imports of the same files: one copy of each,
 *   loaded once, whichever UI build runs.
 * - `process.env.NODE_ENV` stays a run-time check (React and the reconciler
 *   pick their production build as they do unbundled; `loadUi()` defaults it
 *   to "production" before the import).
 * - Module order is kept: `ui/ink-env.js` runs before Ink is evaluated, as in
 *   the unbundled graph (Ink reads the CI variables once, at import).
 * - Ink's React-devtools hook (only with DEV=true) stays a lazily loaded
 *   chunk importing `react-devtools-core`, which is not installed: the same
 *   warning as unbundled.
 *
 * Writes `dist/ui-bundle/inputs.json`: the dist files bundled from our code.
 * In a development build `source/app/tui.ts` uses the bundle only while none
 * of them is newer than it (a later tsc-only build of the UI falls back to
 * `dist/ui/`).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

export const BUNDLE_DIR = 'ui-bundle';
export const BUNDLE_FILE = 'render.js';
export const INPUTS_FILE = 'inputs.json';

/** The list `inputs.json` holds: dist-relative paths with forward slashes. */
export interface BundleInputs {
  readonly entry: string;
  readonly inputs: readonly string[];
}

const inside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

const distPath = (dist: string, file: string): string => relative(dist, file).split(sep).join('/');

export async function bundleUi(dist: string): Promise<{ file: string; bytes: number; modules: number; inputs: BundleInputs }> {
  const uiDir = join(dist, 'ui');
  const outDir = join(dist, BUNDLE_DIR);
  const entry = join(uiDir, 'render.js');
  const output = await build({
    input: entry,
    platform: 'node',
    // Warnings are printed (the build goes on); errors fail it.
    logLevel: 'warn',
    plugins: [
      {
        name: 'arb-tui-shared-modules-external',
        resolveId(source, importer) {
          if (!importer || !(source.startsWith('./') || source.startsWith('../'))) return null;
          const target = resolve(dirname(importer), source);
          // Our own modules outside the UI are shared with the runtime: keep them as imports of the same files.
          if (inside(dist, importer) && inside(dist, target) && !inside(uiDir, target)) return { id: target, external: 'relative' };
          return null;
        },
      },
    ],
    external: ['react-devtools-core'],
    output: {
      dir: outDir,
      entryFileNames: BUNDLE_FILE,
      chunkFileNames: '[name]-[hash].js',
      format: 'esm',
      minify: false,
      sourcemap: false,
      cleanDir: true,
    },
  });
  const chunk = output.output.find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk || chunk.type !== 'chunk') throw new Error('rolldown produced no entry chunk');
  const modules = output.output.flatMap((o) => (o.type === 'chunk' ? o.moduleIds : []));
  const ours = modules.filter((id) => inside(uiDir, id)).map((id) => distPath(dist, id));
  if (!ours.includes('ui/ink-env.js')) throw new Error('the bundle lacks ui/ink-env.js');
  const inputs: BundleInputs = { entry: distPath(dist, join(outDir, BUNDLE_FILE)), inputs: [...new Set(ours)].sort() };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, INPUTS_FILE), `${JSON.stringify(inputs, null, 1)}\n`);
  const file = join(outDir, BUNDLE_FILE);
  return { file, bytes: statSync(file).size, modules: modules.length, inputs };
}

const main = async (): Promise<void> => {
  const dist = fileURLToPath(new URL('../', import.meta.url));
  const started = Date.now();
  const r = await bundleUi(dist);
  // `npm run build --silent` (npm start, npm run bench): no summary line.
  if (process.env['npm_config_loglevel'] === 'silent') return;
  process.stdout.write(
    `ui bundle: ${relative(process.cwd(), r.file)} (${r.modules} modules, ${r.inputs.inputs.length} of ours, ` +
      `${(r.bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms\n`,
  );
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`ui bundle failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
