/**
 * Which UI build the TUI loads: the bundle `npm run build` writes next to
 * tsc's output, unless it is missing or, in a development build (tsc's
 * .tsbuildinfo present), lists no inputs or one of the UI modules it was
 * built from is newer or gone (a tsc-only build after it); then tsc's
 * modules, with the reason. An installed package (no .tsbuildinfo, files
 * stamped with the time they were unpacked) takes its bundle as packed.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseUiBuild, describeUiBuild } from '../../source/app/tui.js';

/** A dist/ tree as tsc and bundle-ui.js leave it: app/tui.js, ui/*.js, ui-bundle/{render.js,inputs.json}. */
function distTree(root: string, options: { bundle?: boolean; inputs?: string | null; installed?: boolean } = {}): URL {
  for (const dir of ['app', 'ui/screens', 'ui-bundle']) mkdirSync(join(root, dir), { recursive: true });
  if (options.installed !== true) writeFileSync(join(root, '.tsbuildinfo'), '{}');
  writeFileSync(join(root, 'app', 'tui.js'), '');
  writeFileSync(join(root, 'ui', 'render.js'), '');
  writeFileSync(join(root, 'ui', 'ink-env.js'), '');
  writeFileSync(join(root, 'ui', 'screens', 'ticket.js'), '');
  if (options.bundle !== false) writeFileSync(join(root, 'ui-bundle', 'render.js'), '');
  const inputs = options.inputs === undefined ? JSON.stringify({ entry: 'ui-bundle/render.js', inputs: ['ui/ink-env.js', 'ui/render.js', 'ui/screens/ticket.js'] }) : options.inputs;
  if (inputs !== null) writeFileSync(join(root, 'ui-bundle', 'inputs.json'), inputs);
  return pathToFileURL(join(root, 'app', 'tui.js'));
}

const setTime = (file: string, seconds: number): void => utimesSync(file, seconds, seconds);

describe('chooseUiBuild', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'arb-ui-build-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const age = (bundleAt: number, inputAt: number): void => {
    setTime(join(root, 'ui-bundle', 'render.js'), bundleAt);
    for (const f of ['ui/ink-env.js', 'ui/render.js', 'ui/screens/ticket.js']) setTime(join(root, f), inputAt);
  };

  it('takes the bundle when it is newer than every module it lists', () => {
    const base = distTree(root);
    age(2_000_000, 1_000_000);
    expect(chooseUiBuild(base)).toEqual({ kind: 'bundle', file: join(root, 'ui-bundle', 'render.js') });
  });

  it('takes the bundle when all files share one time', () => {
    const base = distTree(root);
    age(499_162_500, 499_162_500);
    expect(chooseUiBuild(base).kind).toBe('bundle');
  });

  it('installed from the package (no .tsbuildinfo): takes the bundle whatever times npm unpacked the files at', () => {
    const base = distTree(root, { installed: true, inputs: null });
    age(1_000_000, 2_000_000);
    expect(chooseUiBuild(base)).toEqual({ kind: 'bundle', file: join(root, 'ui-bundle', 'render.js') });
  });

  it('installed without a bundle: the modules', () => {
    const base = distTree(root, { installed: true, bundle: false });
    expect(chooseUiBuild(base).kind).toBe('modules');
  });

  it('falls back to the modules without a bundle (a tsc-only build)', () => {
    const base = distTree(root, { bundle: false });
    expect(chooseUiBuild(base)).toEqual({ kind: 'modules', reason: 'no bundle (tsc-only build)' });
  });

  it('falls back when a UI module was rebuilt after the bundle, naming it', () => {
    const base = distTree(root);
    age(2_000_000, 1_000_000);
    setTime(join(root, 'ui', 'screens', 'ticket.js'), 2_000_001);
    expect(chooseUiBuild(base)).toEqual({ kind: 'modules', reason: 'the bundle is stale: ui/screens/ticket.js is newer' });
  });

  it('falls back when a module the bundle was built from is gone', () => {
    const base = distTree(root);
    age(2_000_000, 1_000_000);
    rmSync(join(root, 'ui', 'ink-env.js'));
    expect(chooseUiBuild(base)).toEqual({ kind: 'modules', reason: 'the bundle is stale: ui/ink-env.js is gone' });
  });

  it.each([
    ['missing', null, /no readable inputs\.json/],
    ['not JSON', '{"inputs": [', /no readable inputs\.json/],
    ['an empty list', '{"inputs": []}', /lists no modules/],
    ['not a list of paths', '{"inputs": [1, 2]}', /lists no modules/],
    ['no list at all', '[]', /lists no modules/],
  ])('falls back when inputs.json is %s', (_what, inputs, reason) => {
    const base = distTree(root, { inputs });
    age(2_000_000, 1_000_000);
    const build = chooseUiBuild(base);
    expect(build.kind).toBe('modules');
    expect(build.kind === 'modules' ? build.reason : '').toMatch(reason);
  });

  it('says which build a run uses', () => {
    expect(describeUiBuild({ kind: 'bundle', file: '/x/dist/ui-bundle/render.js' })).toBe('arb-tui: UI from the bundle /x/dist/ui-bundle/render.js\n');
    expect(describeUiBuild({ kind: 'modules', reason: 'no bundle (tsc-only build)' })).toBe("arb-tui: UI from tsc's modules: no bundle (tsc-only build)\n");
  });

  it('runs from source (tests, no bundle next to it): the modules', () => {
    expect(chooseUiBuild()).toEqual({ kind: 'modules', reason: 'no bundle (tsc-only build)' });
  });
});
