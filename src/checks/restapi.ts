/**
 * restapi.settings: the VB365 REST API's anonymous
 * `GET https://<host>:<port>/v8/RestorePortalSettings` (x-anonymous in the v8 OpenAPI spec;
 * schema RESTRestorePortalSettings {applicationId, msalAuthorityUri, restorePortalUri, isEnabled};
 * docs/vb365.md, "What the REST API reports"). The served certificate is accepted whatever it is for this
 * read: trust is judged by tls.trust.
 */
import { https } from './sockets.js';
import { fail, pass, warn, type CheckOutcome } from './types.js';
import { normalizeUrl, type PortalUrl } from './url.js';

export const SETTINGS_PATH = '/v8/RestorePortalSettings';
/**
 * The one step that gives VB365 the application, its certificate and the address
 * (docs/certificates.md, "The VB365 step").
 */
const HAND_OFF = 'Give VB365 the configured values: entra-portal export-vb365 --out <folder> --password-env <VAR>, then run Enable-RestorePortal.ps1 from that folder on the VB365 server';
const MAX_BODY = 1024 * 1024;

export interface RestApiExpectations {
  /** config application.appId; undefined when apply has not recorded it yet */
  appId?: string;
  /** the region as VB365 names it (for the remedy's -Region) */
  vb365Region: string;
  /** host names the msalAuthorityUri may have (the region's login host; loopback for the emulator) */
  authorityHosts: string[];
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

function get(url: PortalUrl, signal: AbortSignal): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = https().request(
      {
        host: url.host,
        port: url.port,
        path: SETTINGS_PATH,
        method: 'GET',
        headers: { accept: 'application/json' },
        ...(url.hostKind === 'dns' ? { servername: url.host } : {}),
        rejectUnauthorized: false,
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function checkRestApiSettings(url: PortalUrl, expect: RestApiExpectations, signal: AbortSignal): Promise<CheckOutcome> {
  const endpoint = `${url.normalized}${SETTINGS_PATH}`;
  const setCmd = (args: string) => `Set-VBORestorePortalSettings ${args}`;
  const fullSet = setCmd(
    `-EnableService -ApplicationId ${expect.appId ?? '<appId>'} -PortalUri ${url.normalized} -Region ${expect.vb365Region}`,
  );
  let answer: HttpAnswer;
  try {
    answer = await get(url, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return fail(`GET ${endpoint} failed: ${(err as Error).message}`, 'Check that the Veeam.Archiver.REST service is running');
  }
  const details: Record<string, unknown> = { endpoint, status: answer.status };
  if (answer.status === 404) {
    return fail(
      `GET ${endpoint} answered 404: this port does not serve the VB365 REST API v8 (or the REST API is older than v8)`,
      `Point portal.url at the VB365 REST API (Set-VBORestAPISettings -EnableService -HTTPSPort ${url.port}); VB365 v8 or later is required`,
      details,
    );
  }
  if (answer.status < 200 || answer.status >= 300) {
    return fail(
      `GET ${endpoint} answered HTTP ${answer.status}`,
      answer.status === 401 || answer.status === 403
        ? 'The endpoint is anonymous in VB365 v8; something in front of the REST API (a proxy or WAF) asks for credentials'
        : 'Check the Veeam.Archiver.REST service and its log',
      details,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return fail(
      `GET ${endpoint} did not answer JSON (content type ${answer.contentType || 'none'}): "${answer.body.slice(0, 60).replace(/\s+/g, ' ')}${answer.body.length > 60 ? '…' : ''}"`,
      'This port is served by something other than the VB365 REST API: check portal.url and the REST API port (Set-VBORestAPISettings -HTTPSPort)',
      details,
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return fail(`GET ${endpoint} answered JSON that is not an object`, 'Check portal.url: it must point at the VB365 REST API', details);
  }
  const s = body as Record<string, unknown>;
  const settings = {
    isEnabled: s.isEnabled,
    applicationId: s.applicationId,
    restorePortalUri: s.restorePortalUri,
    msalAuthorityUri: s.msalAuthorityUri,
  };
  Object.assign(details, { settings });
  const problems: string[] = [];
  const remedies: string[] = [];
  if (settings.isEnabled !== true) {
    problems.push('the Restore Portal is not enabled');
    remedies.push(setCmd('-EnableService'));
  }
  const appId = typeof settings.applicationId === 'string' ? settings.applicationId : undefined;
  if (expect.appId && appId?.toLowerCase() !== expect.appId.toLowerCase()) {
    problems.push(`VB365 uses application ${appId ?? '(none)'}, the config names ${expect.appId}`);
    remedies.push(setCmd(`-ApplicationId ${expect.appId}`));
  }
  const portalUri = typeof settings.restorePortalUri === 'string' ? settings.restorePortalUri : undefined;
  if (!portalUri || normalizeUrl(portalUri) !== url.normalized) {
    problems.push(`VB365's portal URI is ${portalUri ?? '(none)'}, the config's is ${url.normalized}`);
    remedies.push(setCmd(`-PortalUri ${url.normalized}`));
  }
  const authority = typeof settings.msalAuthorityUri === 'string' ? settings.msalAuthorityUri : undefined;
  let authorityHost: string | undefined;
  try {
    authorityHost = authority ? new URL(authority).hostname.toLowerCase() : undefined;
  } catch {
    authorityHost = undefined;
  }
  if (!authorityHost || !expect.authorityHosts.includes(authorityHost)) {
    problems.push(`VB365 authenticates at ${authority ?? '(none)'}, not at ${expect.authorityHosts[0]} (region ${expect.vb365Region})`);
    remedies.push(setCmd(`-Region ${expect.vb365Region}`));
  }
  if (problems.length) {
    return fail(problems.join('; '), `${HAND_OFF}; or run on the VB365 server: ${remedies.length > 1 ? fullSet : remedies[0]}`, details);
  }
  if (!expect.appId) {
    return warn(
      `the Restore Portal is enabled with application ${appId}, but the config records no application.appId to compare it with`,
      'Run entra-portal apply (it records the appId), or entra-portal set-app --app-id <guid>',
      details,
    );
  }
  return pass(`enabled for application ${appId} at ${url.normalized}`, details);
}
