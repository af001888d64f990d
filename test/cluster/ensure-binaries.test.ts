import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  compareVersions,
  ensureClusterBinaries,
  ETCD_VERSION,
  KUBERNETES_VERSION,
  requiredGoVersion,
} from '../../dev/cluster/ensure-binaries.ts';

describe('building the test cluster binaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-ensure-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the Go version the pinned modules need (the highest go directive), compared numerically', () => {
    assert.equal(requiredGoVersion(), '1.26.0');
    assert.ok(compareVersions('1.9', '1.23') < 0);
    assert.ok(compareVersions('1.26.0', '1.26') === 0);
    assert.ok(compareVersions('1.26.8', '1.26.0') > 0);
  });

  it('streams what it builds, how long it takes, where it is cached, and how far it got', async () => {
    // A stand-in `go` that behaves like a slow first build: downloads, packages compiled one by one, the binary.
    const fakeBin = join(dir, 'fake-go-bin');
    rmSync(fakeBin, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(fakeBin);
    writeFileSync(
      join(fakeBin, 'go'),
      [
        '#!/bin/sh',
        'out=""; while [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then out="$2"; fi; shift; done',
        'echo "go: downloading k8s.io/api v0.32.13" >&2',
        'for p in a b c d e f; do echo "example.com/pkg/$p" >&2; sleep 0.1; done',
        'printf "binary" > "$out"',
      ].join('\n'),
    );
    chmodSync(join(fakeBin, 'go'), 0o755);
    const before = { path: process.env.PATH, cache: process.env.AI4K8S_CACHE_DIR };
    process.env.PATH = `${fakeBin}:${before.path ?? ''}`;
    process.env.AI4K8S_CACHE_DIR = join(dir, 'cache');
    const lines: string[] = [];
    try {
      const binaries = await ensureClusterBinaries({ onProgress: (line) => lines.push(line), progressEveryMs: 200 });
      assert.ok(existsSync(binaries.kubeApiserver) && existsSync(binaries.etcd));
    } finally {
      process.env.PATH = before.path;
      if (before.cache === undefined) delete process.env.AI4K8S_CACHE_DIR;
      else process.env.AI4K8S_CACHE_DIR = before.cache;
    }
    const first = lines[0] ?? '';
    assert.match(first, new RegExp(`building kube-apiserver ${KUBERNETES_VERSION} and etcd ${ETCD_VERSION} from Go modules`));
    assert.match(first, /Go 1\.26\.0\+/);
    assert.match(first, /about 10 minutes/);
    assert.ok(first.includes(join(dir, 'cache', 'bin')), first);
    assert.match(first, /AI4K8S_CACHE_DIR/);
    assert.ok(
      lines.some((line) => /^kube-apiserver: 1 modules downloaded, [1-6] packages compiled/.test(line)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => /^etcd: built in \d+ s/.test(line)),
      lines.join('\n'),
    );

    // Cached now: nothing is built and nothing is said.
    const again: string[] = [];
    process.env.AI4K8S_CACHE_DIR = join(dir, 'cache');
    try {
      await ensureClusterBinaries({ onProgress: (line) => again.push(line) });
    } finally {
      if (before.cache === undefined) delete process.env.AI4K8S_CACHE_DIR;
      else process.env.AI4K8S_CACHE_DIR = before.cache;
    }
    assert.deepEqual(again, []);
  });
});
