import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, type Role } from '../../src/config/load-config.ts';
import { configKeys, secretKeys } from '../../src/config/schema.ts';
import { runCommand } from './run-command.ts';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required?: boolean }[];
  volumes?: string[];
  ports?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  healthcheck?: { test: string[] };
  configs?: { source: string; target: string }[];
}
interface Compose {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string }>;
  volumes?: Record<string, unknown>;
}

/** Variables only compose itself reads (host paths, image, published port, Grafana's admin password). */
const COMPOSE_ONLY = ['KUBECONFIG_FILE', 'GRAFANA_ADMIN_PASSWORD', 'AI4K8S_IMAGE', 'GATEWAY_PUBLISH'];
const ROLES = ['gateway', 'worker', 'mcp'] as const satisfies Role[];
const ROLE_PORTS = { gateway: 3000, worker: 3002, mcp: 3001 } as const;

/** Fills compose's ${VAR}, ${VAR:-default} and ${VAR:?message} the way `docker compose` would with `given`. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = given[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`${name} must be set: ${arg ?? ''}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/** NAME=value lines of an env file (commented "# NAME=default" lines are documentation, not settings). */
function envFile(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').flatMap((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match === null ? [] : [[match[1] ?? '', match[2] ?? '']];
  }));
}

describe('docker-compose.yml', () => {
  const composeText = read('docker-compose.yml');
  const compose = parse(composeText, { merge: true }) as Compose;
  const envExample = read('.env.example');
  const operatorEnv: Record<string, string> = {
    ...envFile(envExample),
    MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789',
    REDIS_PASSWORD: 'redis-password-0123456789abcdef0123',
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 'secret',
    ANTHROPIC_API_KEY: 'sk-ant-1',
    ALERTS_TOKEN: 'alerts-token-0123456789abcdef01234567',
    GRAFANA_ADMIN_PASSWORD: 'admin-pw',
    GRAFANA_TOKEN: '',
  };
  /** What a role's process sees: the .env file (env_file), overridden by the service's environment. */
  const roleEnv = (role: string, given: Record<string, string>) => {
    const service = compose.services[role];
    assert.ok(service !== undefined, `service ${role} missing`);
    assert.deepEqual(service.env_file?.map((f) => f.path), ['.env']);
    const fromService = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), given)]));
    return { ...given, ...fromService };
  };

  it('runs each role with a configuration our schema accepts', () => {
    for (const role of ROLES) {
      assert.deepEqual(compose.services[role]?.command, [role]);
      const env = roleEnv(role, operatorEnv);
      assert.doesNotThrow(() => loadConfig({ env, role }), `${role}: ${JSON.stringify(env)}`);
    }
  });

  it('with write tools on, the signing key reaches gateway and MCP server but not the worker, and every role starts', () => {
    const writes = { ...operatorEnv, MCP_ENABLE_WRITE_TOOLS: 'true', APPROVAL_SIGNING_KEY: 'approval-signing-key-0123456789abcdef' };
    for (const role of ROLES) {
      const config = loadConfig({ env: roleEnv(role, writes), role });
      assert.equal(config.APPROVAL_SIGNING_KEY, role === 'worker' ? undefined : writes.APPROVAL_SIGNING_KEY, role);
    }
    // Without the key, the roles that sign or verify grants refuse to start rather than run open or unapprovable.
    const keyless = { ...writes, APPROVAL_SIGNING_KEY: '' };
    for (const role of ['gateway', 'mcp'] as const) assert.throws(() => loadConfig({ env: roleEnv(role, keyless), role }), /APPROVAL_SIGNING_KEY/, role);
  });

  it('refuses to start without MCP_TOKEN rather than running an open MCP endpoint', () => {
    const env = compose.services.mcp?.environment ?? {};
    assert.throws(() => interpolate(String(env.MCP_TOKEN), {}), /MCP_TOKEN must be set/);
  });

  it('wires the roles together: worker → MCP service, every role → the redis service, listening beyond loopback', () => {
    assert.equal(compose.services.worker?.environment?.MCP_URL, 'http://mcp:3001/mcp');
    assert.equal(compose.services.mcp?.environment?.MCP_ALLOWED_HOSTS, 'mcp');
    for (const role of ROLES) {
      const env = compose.services[role]?.environment ?? {};
      assert.equal(env.REDIS_URL, 'redis://redis:6379');
      assert.equal(env.HOST, '0.0.0.0');
      const config = loadConfig({ env: roleEnv(role, operatorEnv), role });
      const port = { gateway: config.PORT, worker: config.WORKER_PORT, mcp: config.MCP_PORT }[role];
      assert.equal(port, ROLE_PORTS[role], `${role} port`);
      // The healthcheck asks the role's own /readyz.
      assert.match(compose.services[role]?.healthcheck?.test.join(' ') ?? '', new RegExp(`127\\.0\\.0\\.1:${ROLE_PORTS[role]}/readyz`));
    }
  });

  it('keeps Redis persistent (append-only file on a volume)', () => {
    const redis = compose.services.redis;
    assert.ok(redis !== undefined && redis.image?.startsWith('redis:') === true);
    assert.ok(redis.command?.includes('--appendonly') && redis.command[redis.command.indexOf('--appendonly') + 1] === 'yes');
    assert.ok(redis.volumes?.some((v) => v.endsWith(':/data')));
  });

  it('runs Redis with no anonymous user: the roles log in as the ACL user ai4k8s, limited to {QUEUE_PREFIX} keys', () => {
    const command = (compose.services.redis?.command ?? []).map((part) => interpolate(part, { ...operatorEnv, QUEUE_PREFIX: 'team-a' }));
    const users = command.flatMap((part, index) => (command[index - 1] === '--user' ? [part] : []));
    assert.deepEqual(users, ['default off', `ai4k8s on >${operatorEnv.REDIS_PASSWORD} ~{team-a}:* &* +@all`]);
    assert.throws(() => interpolate(String(compose.services.redis?.environment?.REDISCLI_AUTH), {}), /REDIS_PASSWORD must be set/);
    for (const role of ROLES) {
      const config = loadConfig({ env: roleEnv(role, operatorEnv), role });
      assert.equal(config.REDIS_USERNAME, 'ai4k8s', role);
      assert.equal(config.REDIS_PASSWORD, operatorEnv.REDIS_PASSWORD, role);
    }
  });

  it('mounts the kubeconfig read-only into the MCP server only', () => {
    const mcp = compose.services.mcp;
    assert.equal(mcp?.environment?.KUBECONFIG, '/kube/config');
    assert.ok(mcp.volumes?.some((v) => /:\/kube\/config:ro$/.test(v)));
    for (const role of ['gateway', 'worker']) assert.ok(!(compose.services[role]?.volumes ?? []).some((v) => v.includes('kube')), role);
  });

  it('runs the roles hardened like the Helm chart: read-only root, scratch /tmp, no capabilities', () => {
    for (const role of ROLES) {
      const service = compose.services[role];
      assert.equal(service?.read_only, true, role);
      assert.deepEqual(service.tmpfs, ['/tmp']);
      assert.deepEqual(service.cap_drop, ['ALL']);
    }
  });

  it('references only known variables, and inlines no credential', () => {
    const referenced = [...composeText.matchAll(/\$\{(\w+)/g)].map((m) => m[1] ?? '');
    for (const name of referenced) assert.ok((configKeys as string[]).includes(name) || COMPOSE_ONLY.includes(name), `compose reads unknown variable ${name}`);
    for (const role of ROLES) {
      for (const [key, value] of Object.entries(compose.services[role]?.environment ?? {})) {
        assert.ok((configKeys as string[]).includes(key), `${role}: ${key} is not a setting`);
        // A credential comes from the operator's environment, or is blanked ('') so a role does not get it from .env.
        if ((secretKeys as readonly string[]).includes(key)) assert.match(String(value), /^(\$\{\w+.*|)$/, `${role}: ${key} is inlined`);
      }
    }
  });

  it('.env.example lists every setting of the schema, and nothing else but compose variables', () => {
    const listed = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');
    for (const key of configKeys) assert.ok(listed.includes(key), `${key} is missing from .env.example`);
    for (const name of listed) assert.ok((configKeys as string[]).includes(name) || COMPOSE_ONLY.includes(name), `.env.example lists unknown ${name}`);
    for (const [key, value] of Object.entries(envFile(envExample))) {
      if ((secretKeys as readonly string[]).includes(key)) assert.equal(value, '', `.env.example carries a value for ${key}`);
    }
  });

  it('scrapes the three roles and alerts through the gateway: Prometheus and Alertmanager configs pass their own checkers', async () => {
    for (const name of ['prometheus', 'alertmanager', 'grafana']) assert.ok(compose.services[name] !== undefined, `${name} missing`);
    const prometheus = parse(read('deploy/compose/prometheus.yml')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((s) => s.targets));
    for (const role of ROLES) assert.ok(targets.includes(`${role}:${ROLE_PORTS[role]}`), `${role} is not scraped`);
    for (const mount of compose.services.prometheus?.volumes ?? []) {
      const host = mount.split(':')[0] ?? '';
      if (host.startsWith('./')) assert.ok(existsSync(join(root, host)), `${host} missing`);
    }

    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-compose-'));
    try {
      // promtool resolves rule files by path: point it at the repository's copy.
      const config = read('deploy/compose/prometheus.yml').replace('/etc/prometheus/ai4k8s-rules.yml', join(root, 'deploy/compose/ai4k8s-rules.yml'));
      writeFileSync(join(dir, 'prometheus.yml'), config);
      const promtool = await runCommand('/usr/bin/promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
      assert.equal(promtool.code, 0, promtool.stdout + promtool.stderr);

      const content = compose.configs?.alertmanager?.content ?? '';
      assert.throws(() => interpolate(content, {}), /ALERTS_TOKEN must be set/, 'Alertmanager must not post alerts without the token');
      const alertmanager = interpolate(content, operatorEnv);
      assert.match(alertmanager, /url: http:\/\/gateway:3000\/alerts\/alertmanager/);
      writeFileSync(join(dir, 'alertmanager.yml'), alertmanager);
      const amtool = await runCommand('/usr/bin/amtool', ['check-config', join(dir, 'alertmanager.yml')]);
      assert.equal(amtool.code, 0, amtool.stdout + amtool.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provisions Grafana with the Prometheus data source and the ai4k8s dashboard', () => {
    const volumes = compose.services.grafana?.volumes ?? [];
    assert.ok(volumes.includes('./deploy/grafana/ai4k8s-dashboard.json:/var/lib/grafana/dashboards/ai4k8s-dashboard.json:ro'));
    const provider = parse(read('deploy/grafana/provisioning/dashboards/ai4k8s.yml')) as { providers: { options: { path: string } }[] };
    assert.equal(provider.providers[0]?.options.path, '/var/lib/grafana/dashboards');
    const datasource = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { type: string; url: string }[] };
    assert.deepEqual(datasource.datasources.map((d) => [d.type, d.url]), [['prometheus', 'http://prometheus:9090']]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const stages = lines.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all[all.length - 1]?.push(line), all)), []);
  const final = stages[stages.length - 1] ?? [];

  it('is multi-stage: compiled in a build stage, shipped without sources or dev tools', () => {
    assert.ok(stages.length >= 2, 'one stage only');
    assert.ok(final.some((line) => /^COPY --from=build .*\/dist /.test(line)));
    assert.ok(!final.some((line) => /^COPY (?!--from)/.test(line)), 'the final stage copies from the build context');
    assert.ok(!final.some((line) => /\bsrc\b/.test(line) && line.startsWith('COPY')), 'sources in the final image');
    assert.ok(stages[0]?.some((line) => /npm prune --omit=dev/.test(line)), 'dev dependencies are shipped');
  });

  it('runs as a numeric non-root user, one entrypoint for every role', () => {
    const user = final.filter((line) => line.startsWith('USER ')).pop();
    const match = /^USER (\d+)(?::(\d+))?$/.exec(user ?? '');
    assert.ok(match !== null, `final USER must be numeric (runAsNonRoot cannot check a name): ${user ?? 'none'}`);
    assert.notEqual(Number(match[1]), 0);
    assert.equal(final.find((line) => line.startsWith('ENTRYPOINT')), 'ENTRYPOINT ["node", "bin/ai4k8s.js"]');
  });

  it('bakes in no credential and leaves .env out of the build context', () => {
    for (const line of lines.filter((l) => /^(ENV|ARG) /.test(l))) {
      for (const key of [...secretKeys, 'TOKEN', 'PASSWORD', 'SECRET', 'API_KEY']) assert.ok(!line.includes(key), `credential in the image: ${line}`);
    }
    const ignore = read('.dockerignore').split('\n');
    assert.ok(ignore.includes('.env') && ignore.includes('.env.*'), '.env would be sent to the build');
    assert.ok(ignore.includes('node_modules'));
  });

  it('documents its probes (the port depends on the role), which compose and the chart define', () => {
    assert.ok(/HEALTHCHECK/.test(dockerfile) || /\/healthz[\s\S]*\/readyz/.test(dockerfile), 'neither HEALTHCHECK nor the probes documented');
  });
});
