/**
 * Enable-RestorePortal.ps1 passes the PowerShell checker (test/helpers/powershell.ts): every cmdlet,
 * parameter and value as Veeam documents them, no variable read before it is set, balanced brackets
 * and terminated strings; it holds no secret, and hostile text cannot leave its string or comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enableScript, psQuote, type EnableScriptInput } from '../../src/vb365/enable-script.js';
import { CMDLETS, checkPowerShell, tokenize } from '../helpers/powershell.js';

const INPUT: EnableScriptInput = {
  applicationId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c',
  region: 'USGovernment',
  portalUri: 'https://portal.abc.com:4443',
  restApiPort: 4443,
  thumbprint: '9F3A0000000000000000000000000000000000C1',
  pfxFileName: '9F3A0000000000000000000000000000000000C1.pfx',
  configName: 'entra-portal.json5',
  generatedAt: '2026-11-29T12:00:00.000Z',
  toolVersion: '0.1.0',
};

test('the script passes the checker; Set-VBORestorePortalSettings gets every value, Get-VBORestorePortalSettings verifies', () => {
  const script = enableScript(INPUT);
  assert.ok(script.startsWith('\ufeff'), 'UTF-8 BOM (Windows PowerShell 5.1 reads BOM-less files as ANSI)');
  assert.ok(!/[^\r]\n/.test(script), 'CRLF line ends');
  const facts = checkPowerShell(script.replace(/\r/g, ''), CMDLETS);
  assert.deepEqual(
    facts.commands.map((c) => c.name),
    ['Set-StrictMode', 'Join-Path', 'Import-Module', 'ConvertTo-SecureString', 'Read-Host', 'Set-VBORestorePortalSettings', 'Out-Null', 'Get-VBORestorePortalSettings', 'Get-VBORestAPISettings', 'Write-Error', 'Write-Host'],
    'no Set-VBORestAPISettings when the port is 4443',
  );
  const set = facts.commands.find((c) => c.name === 'Set-VBORestorePortalSettings')!;
  assert.deepEqual(set.params, {
    EnableService: '',
    ApplicationId: '$applicationid',
    Region: '$region',
    PortalUri: '$portaluri',
    CertificateFilePath: '$pfxpath',
    CertificatePassword: '$password',
  });
  assert.deepEqual(facts.literals, {
    erroractionpreference: 'Stop',
    applicationid: INPUT.applicationId,
    region: 'USGovernment',
    portaluri: 'https://portal.abc.com:4443',
    restapiport: '4443',
    thumbprint: INPUT.thumbprint,
    passwordvariable: 'ENTRA_PORTAL_PFX_PASSWORD',
  });
  assert.deepEqual(facts.commands.find((c) => c.name === 'Join-Path')!.params, { Path: '$psscriptroot', ChildPath: INPUT.pfxFileName });
  assert.deepEqual(facts.commands.find((c) => c.name === 'Import-Module')!.params, { Name: 'Veeam.Archiver.PowerShell' });
  assert.deepEqual(facts.commands.find((c) => c.name === 'Read-Host')!.params, { Prompt: 'Password of $PfxPath', AsSecureString: '' });
  // the read-back compares what the issue names, and fails loudly
  for (const property of ['IsServiceEnabled', 'ApplicationId', 'Region', 'PortalUri', 'CertificateThumbprint', 'HTTPSPort']) {
    assert.match(script, new RegExp(`\\$(Settings|RestApi)\\.${property}\\b`), property);
  }
  assert.match(script, /\r\n    throw "The Restore Portal settings differ/);
});

test('a REST API port other than 4443: Set-VBORestAPISettings -HTTPSPort, before the portal settings', () => {
  const facts = checkPowerShell(enableScript({ ...INPUT, portalUri: 'https://portal.abc.com:8443', restApiPort: 8443 }).replace(/\r/g, ''), CMDLETS);
  const names = facts.commands.map((c) => c.name);
  assert.ok(names.indexOf('Set-VBORestAPISettings') >= 0 && names.indexOf('Set-VBORestAPISettings') < names.indexOf('Set-VBORestorePortalSettings'));
  assert.deepEqual(facts.commands.find((c) => c.name === 'Set-VBORestAPISettings')!.params, { HTTPSPort: '$restapiport' });
  assert.equal(facts.literals.restapiport, '8443');
});

test('the checker catches what a broken script would do', () => {
  const ok = "$A = 'x'\r\nWrite-Host $A\r\n".replace(/\r/g, '');
  checkPowerShell(ok, CMDLETS);
  const broken: [string, RegExp][] = [
    ["$A = 'x\n", /unterminated single-quoted string/],
    ['Write-Host "$($A"\n', /unterminated|unbalanced|unclosed/],
    ["if ($true) {\n$A = 'x'\n", /unclosed \{/],
    ['Write-Host $Nope\n', /\$nope is read before it is assigned/],
    ['Set-VBORestorePortalSettings -Thumbprint 9F\n', /has no parameter -Thumbprint/],
    ['Set-VBORestorePortalSettings -ApplicationId\n', /-ApplicationId needs a value/],
    ['Remove-VBORestorePortal\n', /verb Remove/],
    ['Get-Nothing\n', /unknown command Get-Nothing/],
    ["$A = 'x'\n$A -like 'y'\n", /-like is neither a parameter of a command nor an operator/],
  ];
  for (const [src, message] of broken) assert.throws(() => checkPowerShell(src, CMDLETS), message, JSON.stringify(src));
});

test('values cannot leave their quotes, header text cannot leave its comment; invalid values are refused', () => {
  assert.equal(psQuote("it's"), "'it''s'");
  assert.equal(psQuote('it\u2019s'), "'it\u2019\u2019s'");
  assert.deepEqual(tokenize(psQuote("a'b\u2018c")).map((t) => [t.kind, t.text]), [['string', "a'b\u2018c"]]);
  const hostile = enableScript({ ...INPUT, configName: "x.json5\nRemove-Item C:\\ -Recurse #'" });
  checkPowerShell(hostile.replace(/\r/g, ''), CMDLETS); // the line break became '?': still one comment
  assert.doesNotMatch(hostile, /\nRemove-Item/);
  for (const bad of [{ applicationId: "x'; Remove-Item C:\\" }, { region: 'Germany' }, { portalUri: "https://a.b:1/'" }, { thumbprint: 'zz' }, { pfxFileName: '..\\x.pfx' }, { restApiPort: 0 }]) {
    assert.throws(() => enableScript({ ...INPUT, ...bad } as EnableScriptInput), /invalid/);
  }
});
