import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedHosts, hostAllowed } from '../../src/http/host-allowed.ts';

describe('hostAllowed (DNS-rebinding defence of /mcp and /console)', () => {
  it('answers loopback names, the bound address and the configured names, at any port', () => {
    const allowed = allowedHosts({ bindHost: '10.0.0.7', extra: ['Console.Example.com'] });
    for (const host of [
      'localhost',
      'localhost:3000',
      '127.0.0.1:80',
      '[::1]:3000',
      '10.0.0.7:3000',
      'console.example.com',
      'CONSOLE.EXAMPLE.COM.:443',
    ]) {
      assert.equal(hostAllowed(host, allowed), true, host);
    }
  });

  it('refuses other names, look-alikes, credentials, paths, a missing Host and the wildcard address', () => {
    const allowed = allowedHosts({ bindHost: '0.0.0.0', extra: [] });
    for (const host of [
      undefined,
      '',
      'evil.example',
      '127.0.0.1.nip.io',
      'localhost.evil.example',
      'user@localhost',
      'localhost/x',
      'localhost:3000:1',
      '0.0.0.0',
      'localhost:123456',
    ]) {
      assert.equal(hostAllowed(host, allowed), false, String(host));
    }
  });
});
