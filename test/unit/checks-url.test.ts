import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrlFormat, checkUrlPort, normalizeUrl, type PortalUrl } from '../../src/checks/url.js';
import { authorityHostsFor } from '../../src/checks/definitions.js';

test('url.format: IPv4 or DNS name with its port passes, normalised lowercase without trailing slash', () => {
  const o = checkUrlFormat('HTTPS://Portal.ABC.com:4443/');
  assert.equal(o.status, 'pass', o.message);
  assert.deepEqual(o.data, { raw: 'HTTPS://Portal.ABC.com:4443/', normalized: 'https://portal.abc.com:4443', host: 'portal.abc.com', port: 4443, hostKind: 'dns' });
  assert.equal(checkUrlFormat('https://135.169.170.192:4443').status, 'pass');
});

test('url.format judges the format only: a port other than restApiPort is url.port\'s business', () => {
  const o = checkUrlFormat('https://portal.abc.com:9443', 4443);
  assert.equal(o.status, 'pass', o.message);
});

test('url.format: a loopback or private address is a warning (browsers elsewhere cannot reach it)', () => {
  const o = checkUrlFormat('https://127.0.0.1:4443');
  assert.equal(o.status, 'warn');
  assert.match(o.message, /loopback/);
});

test('url.format: rejected URLs fail with a message and an example', () => {
  const cases: [string, RegExp][] = [
    ['http://portal.abc.com:4443', /HTTPS only/],
    ['https://portal.abc.com', /no port/],
    ['https://portal.abc.com:4443/restore', /path/],
    ['https://portal.abc.com:4443?x=1', /query/],
    ['https://user@portal.abc.com:4443', /user info/],
    ['https://[::1]:4443', /IPv6/],
    ['https://300.1.1.1:4443', /not an IPv4 address/],
    ['https://portal.abc.com:99999', /out of range/],
    ['https://bad_host:4443', /'_'/],
  ];
  for (const [raw, re] of cases) {
    const o = checkUrlFormat(raw);
    assert.equal(o.status, 'fail', raw);
    assert.match(o.message, re, raw);
    assert.ok(o.remedy, raw);
  }
  assert.match(checkUrlFormat(undefined).remedy!, /set-portal-url/);
});

test('url.port: equal passes; different fails; unset compares with the REST default 4443', () => {
  const url = checkUrlFormat('https://portal.abc.com:4443').data as PortalUrl;
  assert.equal(checkUrlPort(url, 4443).status, 'pass');
  const diff = checkUrlPort(url, 9443);
  assert.equal(diff.status, 'fail');
  assert.match(diff.message, /4443 differs from portal\.restApiPort 9443/);
  assert.equal(checkUrlPort(url, undefined).status, 'pass');
  assert.equal(checkUrlPort(checkUrlFormat('https://portal.abc.com:8443').data as PortalUrl, undefined).status, 'warn');
});

test('normalizeUrl: lowercase scheme and host, no trailing slash, path case kept', () => {
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
