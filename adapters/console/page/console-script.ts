import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The browser code's entry point (adapters/console/ui, type-checked with DOM types and linted like the rest). */
const ENTRY = fileURLToPath(new URL('../ui/app.ts', import.meta.url));
/** Where `npm run build` puts the bundle, beside the compiled gateway: dist/adapters/console/ui/app.js. */
const BUILT = new URL('../ui/app.js', import.meta.url);

/** The esbuild options `npm run build` uses too (package.json), so the served script is the same either way. */
export const CONSOLE_BUNDLE = { bundle: true, format: 'esm', target: 'es2022', legalComments: 'none' } as const;

/**
 * The console's script, served as /console/app.js. Compiled (dist/, the image) it is the bundle `npm run build`
 * wrote; run from source (tsx: the tests, the demo) it is bundled now with esbuild, a dev dependency that is
 * present wherever the source is, and never in the image.
 */
export async function consoleScript(): Promise<string> {
  if (import.meta.url.endsWith('.js')) return readFile(BUILT, 'utf8');
  const { build } = await import('esbuild');
  const result = await build({ ...CONSOLE_BUNDLE, entryPoints: [ENTRY], write: false, logLevel: 'silent' });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error('esbuild wrote no console bundle');
  return file.text;
}
