import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { SERVICE_MODULES, TEST_SERVICES, type TestService } from './service-modules.ts';

/** Folders whose modules are followed: test helpers. Production code (src/, adapters/) never starts a test service. */
const FOLLOWED = ['test/', 'dev/', 'eval/', 'bench/', 'scripts/'];

// `import … from './x.ts'`, `export … from './x.ts'`, `import './x.ts'`, `import('./x.ts')` and a worker or child
// started from `new URL('./x.ts', import.meta.url)`.
const RELATIVE_REFERENCE = /(?:\bfrom|\bimport|\bnew URL)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.ts)['"]/g;

/** A file that starts a service some other way (say, through a process it spawns) says so: `// test-needs: redis`. */
const DECLARED = /^\/\/ test-needs: ([a-z, ]+)$/gm;

/** A test file that needs no service but minutes of CPU (timed pathological inputs) opts out of the fast lane. */
const SLOW = /^\/\/ test-lane: service\b/m;

/** Where a test file runs, and the services the runner starts for it. */
export interface TestLane {
  lane: 'unit' | 'service';
  needs: Set<TestService>;
}

export interface ServicesNeededOptions {
  /** Test files (absolute paths). */
  files: readonly string[];
  /** The repository root. */
  root: string;
  /** Service modules by path from the root; the project's list by default. */
  serviceModules?: Readonly<Record<string, TestService>>;
}

/**
 * The lane of each test file and the services it needs: those of the service modules it reaches through relative
 * imports, followed outside production code (src/, adapters/), and those a reached file declares. A file that needs
 * none runs in the unit lane unless it declares `// test-lane: service`. An unknown declared service throws.
 */
export function servicesNeeded({ files, root, serviceModules = SERVICE_MODULES }: ServicesNeededOptions): Map<string, TestLane> {
  const scanned = new Map<string, { references: string[]; declared: TestService[] }>();
  const scan = (path: string): { references: string[]; declared: TestService[] } => {
    let found = scanned.get(path);
    if (found === undefined) {
      const text = readFileSync(path, 'utf8');
      const references = [...text.matchAll(RELATIVE_REFERENCE)].map((match) => resolve(dirname(path), match[1] ?? ''));
      const declared = [...text.matchAll(DECLARED)].flatMap((match) => (match[1] ?? '').split(',').map((name) => name.trim()));
      for (const name of declared) {
        if (!(TEST_SERVICES as readonly string[]).includes(name)) {
          throw new Error(`${relative(root, path)}: unknown service "${name}" in "// test-needs:" (expected ${TEST_SERVICES.join(', ')})`);
        }
      }
      found = { references, declared: declared as TestService[] };
      scanned.set(path, found);
    }
    return found;
  };
  const needsOf = (file: string): Set<TestService> => {
    const needs = new Set<TestService>();
    const seen = new Set([file]);
    const queue = [file];
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
      const service = serviceModules[relative(root, path)];
      if (service !== undefined) needs.add(service);
      if (path !== file && !FOLLOWED.some((folder) => relative(root, path).startsWith(folder))) continue;
      const { references, declared } = scan(path);
      for (const need of declared) needs.add(need);
      for (const target of references) {
        if (seen.has(target)) continue;
        seen.add(target);
        if (existsSync(target)) queue.push(target);
      }
    }
    return needs;
  };
  return new Map(
    files.map((file) => {
      const needs = needsOf(file);
      return [file, { lane: needs.size > 0 || SLOW.test(readFileSync(file, 'utf8')) ? 'service' : 'unit', needs }];
    }),
  );
}
