/**
 * Transpiles child-writer.ts and source/persistence/** to JavaScript (type-only
 * imports vanish) under node_modules/.cache, so that `sql.js` and `zod` resolve
 * from there. Fast (no type check): the type check is `tsc` over the tree.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

export interface BuiltChild {
  readonly entry: string;
  cleanup(): void;
}

export function buildChild(): BuiltChild {
  const outDir = join(root, 'node_modules', '.cache', `arb-tui-persistence-child-${process.pid}-${Date.now()}`);
  const files = [join(root, 'test', 'persistence', 'child-writer.ts'), ...tsFiles(join(root, 'source', 'persistence'))];
  for (const file of files) {
    const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  return {
    entry: join(outDir, 'test', 'persistence', 'child-writer.js'),
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
