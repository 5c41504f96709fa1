/**
 * Enable-RestorePortal.ps1: the step on the VB365 server that the tool cannot take from here. VB365
 * is configured through its PowerShell module only (its REST API v8 has GET /v8/RestorePortalSettings
 * and no PUT), so this writes a script for Windows PowerShell 5.1 (and PowerShell 7) that runs
 *
 *   Set-VBORestAPISettings -HTTPSPort <port>            only when the port is not VB365's default 4443
 *   Set-VBORestorePortalSettings -EnableService -ApplicationId … -Region … -PortalUri …
 *                                -CertificateFilePath <the PFX beside the script> -CertificatePassword <SecureString>
 *
 * and then reads everything back (Get-VBORestorePortalSettings, Get-VBORestAPISettings), stopping
 * with an error when a value differs. Cmdlets and parameters as Veeam documents them:
 * https://helpcenter.veeam.com/docs/vbo365/powershell/set-vborestoreportalsettings.html
 * https://helpcenter.veeam.com/docs/vbo365/powershell/vborestoreportalsettings.html
 * https://helpcenter.veeam.com/docs/vbo365/powershell/vborestapisettings.html
 *
 * The script holds no secret: the PFX password comes from an environment variable it names, or
 * from Read-Host -AsSecureString. Every value is embedded as a single-quoted PowerShell literal
 * (escaped, though each is validated before: a GUID, a region name, a normalised https URL, hex).
 * UTF-8 with a byte-order mark and CRLF line ends: Windows PowerShell 5.1 reads a file without a BOM
 * in the ANSI code page.
 */

/** VB365's default REST API port: the script changes the port only when the config's differs. */
export const VB365_DEFAULT_REST_PORT = 4443;
export const SCRIPT_NAME = 'Enable-RestorePortal.ps1';
/** The environment variable the script reads the PFX password from, when it is set. */
export const SCRIPT_PASSWORD_VARIABLE = 'ENTRA_PORTAL_PFX_PASSWORD';
/** VBOOffice365Region values the cmdlet accepts (Germany is closed: never written). */
export const VB365_REGIONS = ['Worldwide', 'USGovernment', 'USDefence', 'China'] as const;

export interface EnableScriptInput {
  applicationId: string;
  region: (typeof VB365_REGIONS)[number];
  /** normalised: lowercase scheme and host, no trailing slash */
  portalUri: string;
  restApiPort: number;
  /** SHA-1, uppercase hex */
  thumbprint: string;
  /** the PFX's file name, in the script's folder */
  pfxFileName: string;
  /** for the header: where it came from and when */
  configName: string;
  generatedAt: string;
  toolVersion: string;
}

/** A single-quoted PowerShell string: ' and its typographic forms (which PowerShell also ends strings on) doubled. */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Text for a `#` comment: no line break or other control character can end the comment early. */
function commentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

function check(input: EnableScriptInput): void {
  const bad = (what: string) => {
    throw new Error(`Enable-RestorePortal.ps1: invalid ${what}`);
  };
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.applicationId)) bad('application id');
  if (!(VB365_REGIONS as readonly string[]).includes(input.region)) bad('region');
  if (!/^https:\/\/[a-z0-9.-]+(?::\d{1,5})?$/.test(input.portalUri)) bad('portal URI');
  if (!Number.isInteger(input.restApiPort) || input.restApiPort < 1 || input.restApiPort > 65535) bad('REST API port');
  if (!/^[0-9A-F]{40}$/.test(input.thumbprint)) bad('thumbprint');
  if (!/^[A-Za-z0-9._-]+\.pfx$/.test(input.pfxFileName)) bad('PFX file name');
}

export function enableScript(input: EnableScriptInput): string {
  check(input);
  const changePort = input.restApiPort !== VB365_DEFAULT_REST_PORT;
  const lines = [
    `# ${SCRIPT_NAME}: written by entra-portal ${commentText(input.toolVersion)} (export-vb365) on ${commentText(input.generatedAt)}`,
    `# from ${commentText(input.configName)}.`,
    '#',
    '# Run it on the Veeam Backup for Microsoft 365 server (or the machine with its REST API component),',
    '# in an elevated PowerShell, with the PFX file beside it:',
    `#     powershell.exe -ExecutionPolicy Bypass -File .\\${SCRIPT_NAME}`,
    '# It tells VB365 which Microsoft Entra application the Restore Portal signs in with, the certificate',
    '# that application authenticates with (the PFX), the region and the portal address; then it reads',
    '# the settings back and stops with an error when any of them differs.',
    '#',
    `# The PFX password is taken from the environment variable ${SCRIPT_PASSWORD_VARIABLE} when it is set,`,
    '# else asked for (hidden input). This script holds no secret.',
    '',
    '#Requires -Version 5.1',
    '[CmdletBinding()]',
    'param()',
    'Set-StrictMode -Version 3.0',
    "$ErrorActionPreference = 'Stop'",
    '',
    '# What entra-portal configured in Microsoft Entra.',
    `$ApplicationId = ${psQuote(input.applicationId)}`,
    `$Region = ${psQuote(input.region)}`,
    `$PortalUri = ${psQuote(input.portalUri)}`,
    `$RestApiPort = ${input.restApiPort}`,
    `$Thumbprint = ${psQuote(input.thumbprint)}`,
    `$PfxPath = Join-Path -Path $PSScriptRoot -ChildPath ${psQuote(input.pfxFileName)}`,
    `$PasswordVariable = ${psQuote(SCRIPT_PASSWORD_VARIABLE)}`,
    '',
    '# 1. The VB365 PowerShell module (installed with Veeam Backup for Microsoft 365).',
    'Import-Module -Name Veeam.Archiver.PowerShell',
    '',
    '# 2. The PFX password, as a SecureString: never echoed, never written anywhere.',
    '$PlainPassword = [Environment]::GetEnvironmentVariable($PasswordVariable)',
    'if ($PlainPassword) {',
    '    $Password = ConvertTo-SecureString -String $PlainPassword -AsPlainText -Force',
    '    $PlainPassword = $null',
    '} else {',
    '    $Password = Read-Host -Prompt "Password of $PfxPath" -AsSecureString',
    '}',
    '',
    ...(changePort
      ? [
          `# 3. The REST API serves the portal: its HTTPS port must be the portal address's port (${input.restApiPort}, not 4443).`,
          'Set-VBORestAPISettings -HTTPSPort $RestApiPort | Out-Null',
        ]
      : ['# 3. The REST API keeps its default HTTPS port, 4443: the port of the portal address (checked below).']),
    '',
    '# 4. Enable the Restore Portal: application, its certificate, region and web address.',
    'Set-VBORestorePortalSettings -EnableService -ApplicationId $ApplicationId -Region $Region -PortalUri $PortalUri -CertificateFilePath $PfxPath -CertificatePassword $Password | Out-Null',
    '$Password = $null',
    '',
    '# 5. Read the settings back: each must be what was just set.',
    '$Settings = Get-VBORestorePortalSettings',
    '$RestApi = Get-VBORestAPISettings',
    '$Problems = @()',
    "if (-not $Settings.IsServiceEnabled) { $Problems += 'the Restore Portal is not enabled (IsServiceEnabled is False)' }",
    'if ("$($Settings.ApplicationId)" -ne $ApplicationId) { $Problems += "ApplicationId is $($Settings.ApplicationId), expected $ApplicationId" }',
    'if ("$($Settings.Region)" -ne $Region) { $Problems += "Region is $($Settings.Region), expected $Region" }',
    'if ("$($Settings.PortalUri)".TrimEnd(\'/\') -ne $PortalUri) { $Problems += "PortalUri is $($Settings.PortalUri), expected $PortalUri" }',
    'if ("$($Settings.CertificateThumbprint)" -ne $Thumbprint) { $Problems += "CertificateThumbprint is $($Settings.CertificateThumbprint), expected $Thumbprint" }',
    'if ($RestApi.HTTPSPort -ne $RestApiPort) { $Problems += "the REST API listens on port $($RestApi.HTTPSPort), the portal address says $RestApiPort" }',
    'if ($Problems.Count -gt 0) {',
    '    foreach ($Problem in $Problems) { Write-Error -Message $Problem -ErrorAction Continue }',
    '    throw "The Restore Portal settings differ from what entra-portal configured: $($Problems.Count) difference(s), listed above."',
    '}',
    'Write-Host "Restore Portal enabled: application $ApplicationId, certificate $Thumbprint, $PortalUri"',
    '',
  ];
  return `\ufeff${lines.join('\r\n')}`;
}
