import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubectlCommand } from '../../src/mcp/toolsets/kubectl/parse-kubectl-command.ts';
import { splitCommandLine } from '../../src/mcp/toolsets/kubectl/split-command-line.ts';

function parsed(line: string) {
  const result = parseKubectlCommand(line);
  assert.ok(result.ok, `expected "${line}" to parse: ${result.ok ? '' : result.message}`);
  return result.command;
}

function refused(line: string): string {
  const result = parseKubectlCommand(line);
  assert.ok(!result.ok, `expected "${line}" to be refused`);
  assert.match(result.message, /The kubectl tool is read-only\. Allowed:\n {2}kubectl get pods/);
  return result.message;
}

describe('splitCommandLine', () => {
  it('handles single and double quotes and backslashes', () => {
    assert.deepEqual(splitCommandLine(`get pods -l 'app in (a, b)' -n "my ns" a\\ b "x\\"y"`), {
      ok: true,
      words: ['get', 'pods', '-l', 'app in (a, b)', '-n', 'my ns', 'a b', 'x"y'],
    });
  });
  it('rejects unterminated quotes and shell operators', () => {
    assert.deepEqual(splitCommandLine(`get pods -l 'app`), { ok: false, message: 'unterminated single quote' });
    for (const line of ['get pods | grep x', 'get pods; rm -rf /', 'get pods && echo', 'get pods > f', 'get $(whoami)', 'get `id`']) {
      const result = splitCommandLine(line);
      assert.ok(!result.ok && result.message.includes('shell operator'), line);
    }
  });
});

describe('parseKubectlCommand: allowed commands', () => {
  it('get with aliases, namespace forms, selectors and a name', () => {
    assert.deepEqual(parsed('kubectl get po -n shop -l app=checkout'), {
      verb: 'get', resource: 'pods', allNamespaces: false, namespace: 'shop', labelSelector: 'app=checkout',
    });
    assert.deepEqual(parsed('get pods -A'), { verb: 'get', resource: 'pods', allNamespaces: true });
    assert.deepEqual(parsed('get deploy checkout --namespace=shop'), {
      verb: 'get', resource: 'deployments', allNamespaces: false, namespace: 'shop', name: 'checkout',
    });
    assert.deepEqual(parsed('get svc/frontend -nshop -o wide'), {
      verb: 'get', resource: 'services', allNamespaces: false, namespace: 'shop', name: 'frontend',
    });
    assert.deepEqual(parsed('get nodes'), { verb: 'get', resource: 'nodes', allNamespaces: false });
    assert.deepEqual(parsed('get events -n payments --field-selector type=Warning'), {
      verb: 'get', resource: 'events', allNamespaces: false, namespace: 'payments', fieldSelector: 'type=Warning',
    });
  });
  it('describe, logs, top, events and rollout status', () => {
    assert.deepEqual(parsed('describe pod checkout-7d4b9c6f5-x2x9z -n shop'), {
      verb: 'describe', kind: 'pod', name: 'checkout-7d4b9c6f5-x2x9z', namespace: 'shop',
    });
    assert.deepEqual(parsed('describe deployment/checkout'), { verb: 'describe', kind: 'deployment', name: 'checkout' });
    assert.deepEqual(parsed('logs checkout-x -c checkout --previous --tail 50 -n shop'), {
      verb: 'logs', pod: 'checkout-x', container: 'checkout', previous: true, tail: 50, namespace: 'shop',
    });
    assert.deepEqual(parsed('logs pod/checkout-x -p --tail=20'), { verb: 'logs', pod: 'checkout-x', previous: true, tail: 20 });
    assert.deepEqual(parsed('top nodes'), { verb: 'top', resource: 'nodes', allNamespaces: false });
    assert.deepEqual(parsed('top pods -A'), { verb: 'top', resource: 'pods', allNamespaces: true });
    assert.deepEqual(parsed('events -n payments'), { verb: 'events', allNamespaces: false, namespace: 'payments' });
    assert.deepEqual(parsed('rollout status deployment/checkout -n shop'), { verb: 'rollout-status', name: 'checkout', namespace: 'shop' });
    assert.deepEqual(parsed('rollout status deploy checkout'), { verb: 'rollout-status', name: 'checkout' });
  });
});

describe('parseKubectlCommand: refusals', () => {
  it('refuses every mutating or exec-like verb', () => {
    for (const line of [
      'apply -f x.yaml', 'delete pod x -n shop', 'edit deploy x', 'exec -it x -- sh', 'scale deploy x --replicas=0',
      'patch deploy x -p {}', 'cordon node-1', 'drain node-1', 'rollout restart deployment/x', 'rollout undo deployment/x',
      'port-forward x 80', 'cp x:/etc/passwd .', 'create secret generic x', 'label pod x a=b', 'annotate pod x a=b',
      'auth can-i --list', 'proxy', 'run x --image=y', 'config view', 'set image deploy/x x=y',
    ]) {
      const message = refused(line);
      assert.match(message, /not allowed|only rollout status/, line);
    }
  });
  it('refuses secrets and other kinds, saying why for secrets', () => {
    assert.match(refused('get secrets -n payments'), /Secret data never leaves the MCP server/);
    assert.match(refused('get secret/payments-db -n payments'), /Secret data never leaves/);
    refused('get configmaps');
    refused('describe secret payments-db');
    refused('describe node node-3');
  });
  it('refuses output formats, identity flags, unknown flags and malformed lines', () => {
    assert.match(refused('get pods -o yaml'), /-o yaml is not supported/);
    assert.match(refused('get pods -o json'), /not supported/);
    assert.match(refused('get pods --as=admin'), /flag --as is not supported/);
    assert.match(refused('get pods --kubeconfig /etc/k'), /flag --kubeconfig/);
    assert.match(refused('get pods --context prod'), /flag --context/);
    assert.match(refused('get pods | head'), /shell operator/);
    assert.match(refused(''), /no command given/);
    assert.match(refused('get'), /needs a resource type/);
    assert.match(refused('get pods -n'), /needs a value/);
    assert.match(refused('logs x --tail 999999'), /--tail must be/);
    assert.match(refused('logs'), /logs takes one pod name/);
    assert.match(refused('describe pod'), /exactly one name/);
    assert.match(refused('logs x -l app=y'), /does not take --selector/);
  });
});
