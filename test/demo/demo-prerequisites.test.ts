import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { missingPrerequisites } from '../../scripts/demo-prerequisites.ts';

describe('npm run demo: every missing prerequisite is one line saying what and how to get it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-demo-prereq-'));
  const emptyCache = join(dir, 'cache');
  const withCache = <T>(fn: () => T): T => {
    const before = process.env.AI4K8S_CACHE_DIR;
    process.env.AI4K8S_CACHE_DIR = emptyCache;
    try {
      return fn();
    } finally {
      if (before === undefined) delete process.env.AI4K8S_CACHE_DIR;
      else process.env.AI4K8S_CACHE_DIR = before;
    }
  };

  it('names redis-server, go and openssl when none is on PATH and nothing replaces them', () => {
    const lines = withCache(() => missingPrerequisites({ PATH: join(dir, 'empty') }));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0] ?? '', /^redis-server not found: install Redis .*apt-get install redis-server.*or set REDIS_URL/);
    assert.match(lines[1] ?? '', /^go not found: .*Go 1\.26\.0 or newer from https:\/\/go\.dev\/dl\/.*too old.*or set KUBECONFIG/);
    assert.match(lines[2] ?? '', /^openssl not found: /);
    for (const line of lines) assert.ok(!line.includes('\n'), 'one line each');
  });

  it('says when the go on PATH is older than the pinned modules need', () => {
    const bin = join(dir, 'old-go');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'go'), '#!/bin/sh\necho go1.19.8\n');
    chmodSync(join(bin, 'go'), 0o755);
    const lines = withCache(() => missingPrerequisites({ PATH: `${bin}:${process.env.PATH ?? ''}`, REDIS_URL: 'redis://127.0.0.1:6379' }));
    assert.ok(
      lines.some((line) => /^go 1\.19\.8 is too old: building kube-apiserver and etcd needs Go 1\.26\.0 or newer/.test(line)),
      lines.join('\n'),
    );
  });

  it('needs none of them with REDIS_URL and an existing KUBECONFIG, and says when KUBECONFIG is wrong', () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\n');
    assert.deepEqual(
      withCache(() => missingPrerequisites({ PATH: '', REDIS_URL: 'redis://127.0.0.1:6379', KUBECONFIG: kubeconfig })),
      [],
    );
    const wrong = withCache(() => missingPrerequisites({ PATH: '', REDIS_URL: 'redis://127.0.0.1:6379', KUBECONFIG: join(dir, 'nope') }));
    assert.equal(wrong.length, 1);
    assert.match(wrong[0] ?? '', /KUBECONFIG points at .*nope, which does not exist/);
    rmSync(dir, { recursive: true, force: true });
  });
});
