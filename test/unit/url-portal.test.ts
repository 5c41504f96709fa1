import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRedirectUri, validatePortalUrl } from '../../src/url/portal-url.js';
import { InputError } from '../../src/errors.js';

type Case =
  | { input: string; port?: number; url: string; kind?: 'ipv4' | 'dns'; warn?: RegExp }
  | { input: string; port?: number; reject: RegExp; example?: string };

// Veeam's rule: https://<IPv4>:<port> or https://<DNS name>:<port>, port = REST API port (4443 by default)
const cases: Case[] = [
  // accepted as they are
  { input: 'https://portal.abc.com:4443', url: 'https://portal.abc.com:4443', kind: 'dns' },
  { input: 'https://203.0.113.10:4443', url: 'https://203.0.113.10:4443', kind: 'ipv4' },
  { input: 'https://a.b:4443', url: 'https://a.b:4443' },
  { input: 'https://xn--bcher-kva.example:4443', url: 'https://xn--bcher-kva.example:4443' },
  { input: 'https://a-b.c-d.example:4443', url: 'https://a-b.c-d.example:4443' },
  { input: 'https://1a.example:4443', url: 'https://1a.example:4443' },
  { input: `https://${'a'.repeat(63)}.example:4443`, url: `https://${'a'.repeat(63)}.example:4443` },
  { input: 'https://portal.abc.com:9443', port: 9443, url: 'https://portal.abc.com:9443' },
  { input: 'https://portal.abc.com:1', port: 1, url: 'https://portal.abc.com:1' },
  { input: 'https://portal.abc.com:65535', port: 65535, url: 'https://portal.abc.com:65535' },
  { input: 'https://portal.abc.com', port: 443, url: 'https://portal.abc.com' },
  { input: 'https://portal.abc.com:443', port: 443, url: 'https://portal.abc.com:443' },
  { input: 'https://255.255.255.255:4443', url: 'https://255.255.255.255:4443', kind: 'ipv4' },
  { input: 'https://8.8.8.8:4443', url: 'https://8.8.8.8:4443', kind: 'ipv4' },
  // normalised
  { input: 'HTTPS://Portal.ABC.com:4443', url: 'https://portal.abc.com:4443' },
  { input: 'https://portal.abc.com:4443/', url: 'https://portal.abc.com:4443' },
  { input: '  https://portal.abc.com:4443  ', url: 'https://portal.abc.com:4443' },
  { input: 'https://bücher.example:4443', url: 'https://xn--bcher-kva.example:4443', kind: 'dns' },
  { input: 'https://ПОРТАЛ.рф:4443', url: 'https://xn--80awhdgm.xn--p1ai:4443' },
  // accepted with a warning
  { input: 'https://10.0.0.5:4443', url: 'https://10.0.0.5:4443', warn: /private/ },
  { input: 'https://172.16.1.1:4443', url: 'https://172.16.1.1:4443', warn: /private/ },
  { input: 'https://192.168.1.20:4443', url: 'https://192.168.1.20:4443', warn: /private/ },
  { input: 'https://127.0.0.1:4443', url: 'https://127.0.0.1:4443', warn: /loopback/ },
  { input: 'https://169.254.10.1:4443', url: 'https://169.254.10.1:4443', warn: /link-local/ },
  { input: 'https://portal:4443', url: 'https://portal:4443', warn: /single-label/ },
  { input: 'https://localhost:4443', url: 'https://localhost:4443', warn: /single-label/ },
  // refused
  { input: 'http://portal.abc.com:4443', reject: /HTTPS only/, example: 'https://portal.abc.com:4443' },
  { input: 'ftp://portal.abc.com:4443', reject: /HTTPS only/ },
  { input: 'portal.abc.com:4443', reject: /must start with 'https:\/\/'/, example: 'https://portal.abc.com:4443' },
  { input: '', reject: /empty/ },
  { input: 'https://portal.abc.com', reject: /no port/, example: 'https://portal.abc.com:4443' },
  { input: 'https://portal.abc.com:443', reject: /not the REST API port \(4443\)/ },
  { input: 'https://portal.abc.com:9443', reject: /port 9443 is not the REST API port/ },
  { input: 'https://portal.abc.com:0', port: 4443, reject: /out of range|not the REST API port/ },
  { input: 'https://portal.abc.com:70000', reject: /out of range/ },
  { input: 'https://portal.abc.com:', reject: /not a number/ },
  { input: 'https://portal.abc.com:44a3', reject: /not a number/ },
  { input: 'https://portal.abc.com:04443', reject: /leading zeros/ },
  { input: 'https://portal.abc.com:4443/portal', reject: /path/, example: 'https://portal.abc.com:4443' },
  { input: 'https://portal.abc.com:4443/?a=1', reject: /query/ },
  { input: 'https://portal.abc.com:4443?a=1', reject: /query/ },
  { input: 'https://portal.abc.com:4443#top', reject: /fragment/ },
  { input: 'https://user@portal.abc.com:4443', reject: /user info/ },
  { input: 'https://user:pw@portal.abc.com:4443', reject: /user info/ },
  { input: 'https://[::1]:4443', reject: /IPv6/ },
  { input: 'https://[2001:db8::1]:4443', reject: /IPv6/ },
  { input: 'https://fe80::1:4443', reject: /IPv6/ },
  { input: 'https://1.2.3:4443', reject: /not an IPv4 address/ },
  { input: 'https://1.2.3.4.5:4443', reject: /not an IPv4 address/ },
  { input: 'https://0x7f.0.0.1:4443', reject: /not an IPv4 address/ },
  { input: 'https://010.0.0.1:4443', reject: /not an IPv4 address/ },
  { input: 'https://256.1.1.1:4443', reject: /not an IPv4 address/ },
  { input: 'https://2130706433:4443', reject: /not an IPv4 address/ },
  { input: 'https://portal.123:4443', reject: /not an IPv4 address/ },
  { input: 'https://my_portal.abc.com:4443', reject: /contains '_'/, example: 'https://my-portal.abc.com:4443' },
  { input: 'https://portal..abc.com:4443', reject: /empty label/, example: 'https://portal.abc.com:4443' },
  { input: 'https://.portal.abc.com:4443', reject: /empty label/ },
  { input: 'https://portal.abc.com.:4443', reject: /ends with a dot/, example: 'https://portal.abc.com:4443' },
  { input: 'https://-portal.abc.com:4443', reject: /hyphen/ },
  { input: 'https://portal-.abc.com:4443', reject: /hyphen/ },
  { input: `https://${'a'.repeat(64)}.example:4443`, reject: /at most 63/ },
  { input: `https://${Array.from({ length: 64 }, () => 'abc').join('.')}:4443`, reject: /at most 253/ },
  { input: 'https://por tal.abc.com:4443', reject: /white space/ },
  { input: 'https://portal!.abc.com:4443', reject: /contains '!'/ },
  { input: 'https://:4443', reject: /no host/ },
  { input: 'https://portal.abc.com:4443\\evil', reject: /backslash/ },
];

test(`portal URL table (${cases.length} cases)`, async (t) => {
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    await t.test(`${'reject' in c ? 'rejects' : 'accepts'} ${JSON.stringify(c.input).slice(0, 70)}`, () => {
      if ('reject' in c) {
        assert.throws(
          () => validatePortalUrl(c.input, c.port),
          (err: unknown) => {
            assert.ok(err instanceof InputError, 'an InputError (exit 65)');
            assert.equal(err.exitCode, 65);
            assert.match(err.message, c.reject);
            assert.match(err.remedy ?? '', /https:\/\/[^\s]+/, 'shows a corrected example');
            if (c.example) assert.match(err.remedy ?? '', new RegExp(c.example.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
            return true;
          },
        );
      } else {
        const r = validatePortalUrl(c.input, c.port);
        assert.equal(r.url, c.url);
        if (c.kind) assert.equal(r.hostKind, c.kind);
        if (c.warn) assert.match(r.warnings.join('\n'), c.warn);
        else assert.deepEqual(r.warnings, []);
        // a normalised URL is a fixed point
        assert.equal(validatePortalUrl(r.url, c.port).url, r.url);
      }
    });
  }
});

test('the result names host, port and kind', () => {
  assert.deepEqual(validatePortalUrl('https://Portal.ABC.com:4443/'), {
    url: 'https://portal.abc.com:4443',
    host: 'portal.abc.com',
    port: 4443,
    hostKind: 'dns',
    warnings: [],
  });
  assert.equal(validatePortalUrl('https://portal.abc.com', 443).port, 443);
});

test('the WHATWG parser would have accepted what the rules refuse', () => {
  // the reason the authority is parsed by hand (src/url/portal-url.ts)
  assert.equal(new URL('https://1.2.3:4443').hostname, '1.2.0.3');
  assert.equal(new URL('https://0x7f.0.0.1:4443').hostname, '127.0.0.1');
  assert.throws(() => validatePortalUrl('https://1.2.3:4443'), InputError);
  assert.throws(() => validatePortalUrl('https://0x7f.0.0.1:4443'), InputError);
});

test('an out-of-range REST API port is refused', () => {
  assert.throws(() => validatePortalUrl('https://a.b:4443', 0), /out of range/);
  assert.throws(() => validatePortalUrl('https://a.b:4443', 65536), /out of range/);
});

test('normalizeRedirectUri: lowercase scheme and host, no trailing slash, path case kept', () => {
  assert.equal(normalizeRedirectUri('HTTPS://Portal.ABC.com:4443/'), 'https://portal.abc.com:4443');
  assert.equal(normalizeRedirectUri('https://portal.abc.com:4443'), 'https://portal.abc.com:4443');
  assert.equal(normalizeRedirectUri('https://Portal.abc.com/Auth/Callback/'), 'https://portal.abc.com/Auth/Callback');
  assert.equal(normalizeRedirectUri('http://LOCALHOST:3000/?x=1'), 'http://localhost:3000?x=1');
  assert.equal(normalizeRedirectUri(' https://a.b// '), 'https://a.b');
});

test('every corrected example is itself accepted, even when the input had more than one fault', () => {
  for (const bad of ['http://1.2.3:4443', 'http://0x7f.0.0.1:4443', 'ftp://a_b.example.com:4443/x', 'https://user@1.2.3', 'portal..abc.com:4443']) {
    try {
      validatePortalUrl(bad);
      assert.fail(`${bad} was accepted`);
    } catch (err) {
      assert.ok(err instanceof InputError);
      const example = /For example: (\S+)/.exec(err.remedy ?? '')?.[1];
      assert.ok(example, `no example for ${bad}`);
      assert.doesNotThrow(() => validatePortalUrl(example), `the example for ${bad} (${example}) is itself refused`);
    }
  }
});
