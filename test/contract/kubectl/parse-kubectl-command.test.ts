import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubectlCommand } from '../../../src/contract/kubectl/parse-kubectl-command.ts';
import { splitCommandLine } from '../../../src/contract/kubectl/split-command-line.ts';

function parsed(line: string) {
  const result = parseKubectlCommand(line);
  assert.ok(result.ok, `expected "${line}" to parse: ${result.ok ? '' : result.message}`);
  return result.command;
}

function refused(line: string): string {
  const result = parseKubectlCommand(line);
  assert.ok(!result.ok, `expected "${line}" to be refused`);
  assert.match(result.message, /The kubectl tool is read-only\. Allowed:\n {2}kubectl get <type>/);
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
  it('get with aliases, namespace forms, selectors, a name and output formats', () => {
    assert.deepEqual(parsed('kubectl get po -n shop -l app=checkout'), {
      verb: 'get',
      types: ['po'],
      output: 'table',
      allNamespaces: false,
      namespace: 'shop',
      labelSelector: 'app=checkout',
    });
    assert.deepEqual(parsed('k get pods -A'), { verb: 'get', types: ['pods'], output: 'table', allNamespaces: true });
    assert.deepEqual(parsed('get deploy checkout --namespace=shop'), {
      verb: 'get',
      types: ['deploy'],
      output: 'table',
      allNamespaces: false,
      namespace: 'shop',
      name: 'checkout',
    });
    assert.deepEqual(parsed('get svc/frontend -nshop -o wide'), {
      verb: 'get',
      types: ['svc'],
      output: 'wide',
      allNamespaces: false,
      namespace: 'shop',
      name: 'frontend',
    });
    assert.deepEqual(parsed('get deploy,svc -o name'), { verb: 'get', types: ['deploy', 'svc'], output: 'name', allNamespaces: false });
    assert.deepEqual(parsed('get secret payments-db -n payments -o yaml'), {
      verb: 'get',
      types: ['secret'],
      output: 'yaml',
      allNamespaces: false,
      namespace: 'payments',
      name: 'payments-db',
    });
    assert.deepEqual(parsed('get certificates.cert-manager.io'), {
      verb: 'get',
      types: ['certificates.cert-manager.io'],
      output: 'table',
      allNamespaces: false,
    });
    assert.deepEqual(parsed('get events -n payments --field-selector type=Warning'), {
      verb: 'get',
      types: ['events'],
      output: 'table',
      allNamespaces: false,
      namespace: 'payments',
      fieldSelector: 'type=Warning',
    });
  });
  it('describe, logs, top, events, rollout and discovery', () => {
    assert.deepEqual(parsed('describe pod checkout-7d4b9c6f5-x2x9z -n shop'), {
      verb: 'describe',
      type: 'pod',
      name: 'checkout-7d4b9c6f5-x2x9z',
      namespace: 'shop',
    });
    assert.deepEqual(parsed('describe node/node-3'), { verb: 'describe', type: 'node', name: 'node-3' });
    assert.deepEqual(parsed('logs checkout-x -c checkout --previous --tail 50 -n shop'), {
      verb: 'logs',
      source: { kind: 'pod', name: 'checkout-x' },
      container: 'checkout',
      previous: true,
      tail: 50,
      namespace: 'shop',
    });
    assert.deepEqual(parsed('logs pod/checkout-x -p --tail=20'), {
      verb: 'logs',
      source: { kind: 'pod', name: 'checkout-x' },
      previous: true,
      tail: 20,
    });
    assert.deepEqual(parsed('logs deploy/checkout --since 15m'), {
      verb: 'logs',
      source: { kind: 'deployment', name: 'checkout' },
      previous: false,
      sinceSeconds: 900,
    });
    assert.deepEqual(parsed('logs sts/ledger'), { verb: 'logs', source: { kind: 'statefulset', name: 'ledger' }, previous: false });
    assert.deepEqual(parsed('logs -l app=x -n shop'), { verb: 'logs', labelSelector: 'app=x', previous: false, namespace: 'shop' });
    assert.deepEqual(parsed('top nodes'), { verb: 'top', resource: 'nodes', allNamespaces: false });
    assert.deepEqual(parsed('top po -A'), { verb: 'top', resource: 'pods', allNamespaces: true });
    assert.deepEqual(parsed('events -n payments'), { verb: 'events', allNamespaces: false, namespace: 'payments' });
    assert.deepEqual(parsed('events --for pod/x --types=Warning'), {
      verb: 'events',
      allNamespaces: false,
      for: { type: 'pod', name: 'x' },
      types: 'Warning',
    });
    assert.deepEqual(parsed('rollout status deployment/checkout -n shop'), { verb: 'rollout-status', name: 'checkout', namespace: 'shop' });
    assert.deepEqual(parsed('rollout history deploy checkout'), { verb: 'rollout-history', name: 'checkout' });
    assert.deepEqual(parsed('api-resources'), { verb: 'api-resources' });
    assert.deepEqual(parsed('version'), { verb: 'cluster-info' });
    assert.deepEqual(parsed('config current-context'), { verb: 'contexts' });
  });
});

describe('parseKubectlCommand: refusals', () => {
  it('refuses every mutating or exec-like verb', () => {
    for (const line of [
      'apply -f x.yaml',
      'delete pod x -n shop',
      'edit deploy x',
      'exec -it x -- sh',
      'scale deploy x --replicas=0',
      'patch deploy x -p {}',
      'cordon node-1',
      'drain node-1',
      'rollout restart deployment/x',
      'rollout undo deployment/x',
      'port-forward x 80',
      'cp x:/etc/passwd .',
      'create secret generic x',
      'label pod x a=b',
      'annotate pod x a=b',
      'auth can-i --list',
      'proxy',
      'run x --image=y',
      'config view',
      'config use-context prod',
      'set image deploy/x x=y',
      'k delete ns shop',
    ]) {
      const message = refused(line);
      assert.match(message, /not allowed|only rollout status/, line);
    }
  });
  it('refuses output formats, identity flags, streaming, unknown flags and malformed lines', () => {
    assert.match(refused('get pods -o yaml'), /-o yaml needs one object's name/);
    assert.match(refused('get pods -o jsonpath={.items}'), /not supported/);
    assert.match(refused('get pods --as=admin'), /flag --as is not supported/);
    assert.match(refused('get pods --kubeconfig /etc/k'), /flag --kubeconfig/);
    assert.match(refused('get pods --context prod'), /flag --context/);
    assert.match(refused('get pods -w'), /cannot stream/);
    assert.match(refused('logs -f x'), /cannot stream/);
    assert.match(refused('get pods | head'), /shell operator/);
    assert.match(refused(''), /no command given/);
    assert.match(refused('get'), /needs a resource type/);
    assert.match(refused('get pods -n'), /needs a value/);
    assert.match(refused('logs x --tail 999999'), /--tail must be/);
    assert.match(refused('logs x --since yesterday'), /--since takes a duration/);
    assert.match(refused('logs'), /logs takes one pod or workload/);
    assert.match(refused('logs svc/x'), /logs follow a pod, deployment/);
    assert.match(refused('describe pod'), /exactly one name/);
    assert.match(refused('get deploy,svc x'), /with a name takes one resource type/);
    assert.match(refused('events --for x'), /--for takes <kind>\/<name>/);
  });
});
