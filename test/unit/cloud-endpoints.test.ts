import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphApiUrl, graphUrl, hostName, isEmulatorConfig, normaliseRoot, resolveEndpoints } from '../../src/cloud/endpoints.js';
import { InputError } from '../../src/errors.js';

const REGION_TABLE = [
  ['Worldwide', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
  ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
  ['USGovernment', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
  ['gcchigh', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
  ['USDefence', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
  ['dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
  ['China', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ['21vianet', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
] as const;

describe('resolveEndpoints', () => {
  for (const [region, graph, login] of REGION_TABLE) {
    it(`${region} → ${graph}`, () => {
      const ep = resolveEndpoints({ version: 1, region });
      assert.equal(ep.graph, graph);
      assert.equal(ep.login, login);
      assert.equal(ep.scope, `${graph}/.default`);
      // URL joining for every region: exactly one slash at each join
      assert.equal(graphApiUrl(ep.graph, '/applications'), `${graph}/v1.0/applications`);
      assert.equal(graphApiUrl(`${ep.graph}/`, 'applications?$select=id'), `${graph}/v1.0/applications?$select=id`);
      assert.equal(graphUrl(`${ep.login}/`, '/contoso.onmicrosoft.com/oauth2/v2.0/token'), `${login}/contoso.onmicrosoft.com/oauth2/v2.0/token`);
    });
  }

  it('defaults to Worldwide', () => {
    assert.equal(resolveEndpoints({ version: 1 }).graph, 'https://graph.microsoft.com');
  });

  it('refuses Germany with its closing date', () => {
    assert.throws(() => resolveEndpoints({ version: 1, region: 'Germany' }), (e: unknown) => e instanceof InputError && /2021-10-29/.test(e.message));
  });

  it('custom endpoints win, are normalised, https only', () => {
    const ep = resolveEndpoints({ version: 1, region: 'Worldwide', endpoints: { graph: 'https://graph.example.test/', login: 'https://login.example.test//' } });
    assert.deepEqual(ep, { graph: 'https://graph.example.test', login: 'https://login.example.test', scope: 'https://graph.example.test/.default', region: 'Custom' });
    assert.throws(() => resolveEndpoints({ version: 1, endpoints: { graph: 'http://graph.example.test', login: 'https://l.example.test' } }), /must use https/);
    assert.throws(() => resolveEndpoints({ version: 1, endpoints: { graph: 'https://g.example.test?x=1', login: 'https://l.example.test' } }), /query/);
    assert.throws(() => resolveEndpoints({ version: 1, endpoints: { graph: 'not a url', login: 'https://l.example.test' } }), InputError);
  });

  it('Emulator needs the running emulator URL; graph root = login host', () => {
    assert.equal(isEmulatorConfig({ version: 1, region: 'emulator' }), true);
    assert.equal(isEmulatorConfig({ version: 1, region: 'Worldwide' }), false);
    assert.throws(() => resolveEndpoints({ version: 1, region: 'Emulator' }), /emulator/);
    const ep = resolveEndpoints({ version: 1, region: 'Emulator' }, { emulatorUrl: 'https://127.0.0.1:50123/' });
    assert.deepEqual(ep, { graph: 'https://127.0.0.1:50123', login: 'https://127.0.0.1:50123', scope: 'https://127.0.0.1:50123/.default', region: 'Emulator' });
    assert.equal(hostName(ep.graph), '127.0.0.1');
  });
});

describe('graphUrl', () => {
  const cases: [string, string, string][] = [
    ['https://h', 'v1.0/x', 'https://h/v1.0/x'],
    ['https://h/', '/v1.0/x', 'https://h/v1.0/x'],
    ['https://h///', '///v1.0/x', 'https://h/v1.0/x'],
    ['https://h/prefix/', '/v1.0/x', 'https://h/prefix/v1.0/x'],
    ['https://h', '', 'https://h'],
    ['https://h/', '?a=b', 'https://h?a=b'],
    ['https://h', '/x?u=https://a//b', 'https://h/x?u=https://a//b'],
    ['https://h:8443', '/t/oauth2/v2.0/token', 'https://h:8443/t/oauth2/v2.0/token'],
  ];
  for (const [root, path, want] of cases) it(`${root} + ${path}`, () => assert.equal(graphUrl(root, path), want));

  it('normaliseRoot keeps a path prefix without trailing slash', () => {
    assert.equal(normaliseRoot('https://H.example.test:8443/graph/', 'x'), 'https://h.example.test:8443/graph');
  });
});
