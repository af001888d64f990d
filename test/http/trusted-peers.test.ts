import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIpOrCidr, trustedPeers } from '../../src/http/trusted-peers.ts';

describe('trusted peers (CONSOLE_TRUSTED_PROXIES)', () => {
  it('accepts addresses and CIDR blocks of either family, nothing else', () => {
    for (const entry of ['10.0.0.7', '10.0.0.0/8', '0.0.0.0/0', '::1', 'fd00::/8', '2001:db8::/128'])
      assert.equal(isIpOrCidr(entry), true, entry);
    for (const entry of ['', 'proxy.example.com', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x', '300.1.1.1'])
      assert.equal(isIpOrCidr(entry), false, entry);
  });

  it('matches a TCP peer inside a listed block, IPv4 peers on dual-stack sockets included', () => {
    const trusted = trustedPeers(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
    for (const peer of ['10.1.2.3', '::ffff:10.1.2.3', '192.168.1.5', 'fd12::1']) assert.equal(trusted(peer), true, peer);
    for (const peer of [undefined, '', '11.0.0.1', '192.168.1.6', '::ffff:192.168.1.6', 'fe80::1', '127.0.0.1', 'not-an-ip'])
      assert.equal(trusted(peer), false, String(peer));
  });
});
