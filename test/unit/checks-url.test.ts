import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrlFormat, checkUrlPort, normalizeUrl, parsePortalUrl } from '../../src/checks/url.js';
import { authorityHostsFor } from '../../src/checks/definitions.js';

test('accepted portal URLs: IPv4 or DNS name, explicit port; normalised lowercase without trailing slash', () => {
  assert.deepEqual(parsePortalUrl('HTTPS://Portal.ABC.com:4443/').url, {
    raw: 'HTTPS://Portal.ABC.com:4443/',
    normalized: 'https://portal.abc.com:4443',
    host: 'portal.abc.com',
    port: 4443,
    hostKind: 'dns',
  });
  assert.equal(parsePortalUrl('https://135.169.170.192:4443').url?.hostKind, 'ipv4');
});

test('rejected portal URLs list every problem', () => {
  const cases: [string, RegExp][] = [
    ['http://portal.abc.com:4443', /https only/],
    ['https://portal.abc.com', /port is missing/],
    ['https://portal.abc.com:4443/restore', /path/],
    ['https://portal.abc.com:4443?x=1', /query/],
    ['https://user@portal.abc.com:4443', /user info/],
    ['https://[::1]:4443', /IPv6/],
    ['https://300.1.1.1:4443', /not a valid IPv4/],
    ['https://portal.abc.com:99999', /not a valid port/],
    ['https://bad_host!:4443', /not a valid DNS host name/],
    ['portal.abc.com:4443', /not an absolute URL/],
  ];
  for (const [raw, re] of cases) {
    const r = parsePortalUrl(raw);
    assert.equal(r.url, undefined, raw);
    assert.match(r.problems.join('; '), re, raw);
  }
  assert.equal(parsePortalUrl('http://portal.abc.com/x').problems.length, 3);
});

test('url.format: missing URL fails with the set-portal-url remedy', () => {
  const o = checkUrlFormat(undefined);
  assert.equal(o.status, 'fail');
  assert.match(o.remedy!, /set-portal-url/);
});

test('url.port: equal passes; different fails; unset compares with the REST default 4443', () => {
  const url = parsePortalUrl('https://portal.abc.com:4443').url!;
  assert.equal(checkUrlPort(url, 4443).status, 'pass');
  const diff = checkUrlPort(url, 9443);
  assert.equal(diff.status, 'fail');
  assert.match(diff.message, /4443 differs from portal\.restApiPort 9443/);
  assert.equal(checkUrlPort(url, undefined).status, 'pass');
  assert.equal(checkUrlPort(parsePortalUrl('https://portal.abc.com:443').url!, undefined).status, 'warn');
});

test('normalizeUrl keeps the path but lowercases scheme and host and drops trailing slashes', () => {
  assert.equal(normalizeUrl('HTTPS://Portal.Abc.COM:4443//'), 'https://portal.abc.com:4443');
  assert.equal(normalizeUrl('https://Portal.abc.com:4443/Path/'), 'https://portal.abc.com:4443/Path');
});

test('authority hosts per region (VB365 msalAuthorityUri)', () => {
  assert.deepEqual(authorityHostsFor({ version: 1 }).hosts, ['login.microsoftonline.com']);
  assert.deepEqual(authorityHostsFor({ version: 1, region: 'gcchigh' }), { hosts: ['login.microsoftonline.us'], vb365Region: 'USGovernment' });
  assert.ok(authorityHostsFor({ version: 1, region: 'China' }).hosts.includes('login.partner.microsoftonline.cn'));
  assert.ok(authorityHostsFor({ version: 1, region: 'Emulator' }).hosts.includes('127.0.0.1'));
  assert.deepEqual(authorityHostsFor({ version: 1, endpoints: { graph: 'https://g.example', login: 'https://Login.Example:8443' } }).hosts, ['login.example']);
});
