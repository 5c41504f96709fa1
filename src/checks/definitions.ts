/**
 * The test-portal check graph: which check depends on which, and the time budget of
 * each network step. Network checks form one chain (url → dns → tcp → tls → REST); the Entra
 * checks (entra.ts) hang off `config` and run alongside it.
 */
import { resolveRegion } from '../cloud/regions.js';
import type { PortalConfig } from '../config/types.js';
import { EntraPortalError, InputError, UsageError, formatProblem } from '../errors.js';
import { checkDns, checkTcp, tcpRemedy } from './network.js';
import { checkRestApiSettings, type RestApiExpectations } from './restapi.js';
import { checkTlsExpiry, checkTlsHandshake, checkTlsHostname, checkTlsTrust, type TlsProbe } from './tls.js';
import { access } from 'node:fs/promises';
import { resolveFrom } from '../util/paths.js';
import { fail, pass, warn, type CheckDefinition, type CheckOutcome } from './types.js';
import { checkUrlFormat, checkUrlPort, type PortalUrl } from './url.js';

/** The part of the config module's LoadedConfig the checks read. */
export interface LoadedPortalConfig {
  path: string;
  /** the config file's folder (the embedded emulator keeps its state under it) */
  dir: string;
  config: PortalConfig;
}

export interface NetworkCheckOptions {
  /** budget of each network step (DNS, TCP connect, TLS handshake, REST request), ms */
  timeoutMs: number;
  /** extra trust anchors for tls.trust (PEM) */
  ca?: string | string[];
  env?: NodeJS.ProcessEnv;
  /** now, ms */
  now: () => number;
  /** tls.expiry warns when the served certificate expires within this many days (default 30) */
  warnDays?: number;
}

/** The `config` check: load and validate; an InputError lists every problem. */
export function configCheck(load: () => Promise<LoadedPortalConfig>): CheckDefinition {
  return {
    id: 'config',
    deps: [],
    async run() {
      try {
        const loaded = await load();
        const c = loaded.config;
        const facts = [c.endpoints ? 'custom endpoints' : `region ${c.region ?? 'Worldwide'}`];
        if (c.tenant) facts.push(`tenant ${c.tenant}`);
        if (c.application?.appId) facts.push(`application ${c.application.appId}`);
        // apply needs the certificate's public part (certs/<T>.cer beside the config): a file that was
        // not committed or copied along passes every read-only check, then fails the next apply
        const cer = c.certificate?.file;
        if (cer !== undefined) {
          const cerPath = resolveFrom(loaded.dir, cer);
          const missing = await access(cerPath).then(() => false, () => true);
          if (missing) {
            return warn(
              `${loaded.path} is valid (${facts.join(', ')}), but certificate.file ${cer} is missing: apply cannot register the certificate`,
              `Restore ${cer} from version control, or run "entra-portal install-cert --thumbprint ${c.certificate?.thumbprint ?? '<sha1>'}" where the store holds the certificate`,
              { path: loaded.path, missingCertificateFile: cerPath },
              loaded,
            );
          }
        }
        return pass(`${loaded.path} is valid (${facts.join(', ')})`, { path: loaded.path }, loaded);
      } catch (err) {
        if (err instanceof InputError) {
          return {
            ...fail(err.message, err.remedy ?? 'Fix the problems listed, then run test-portal again', {
              inputError: true,
              ...(err.problems.length ? { problems: err.problems.map(formatProblem) } : {}),
            }),
          };
        }
        if (err instanceof EntraPortalError && !(err instanceof UsageError)) return fail(err.message, err.remedy);
        throw err;
      }
    },
  };
}

/** Host names VB365's msalAuthorityUri may use for a config's cloud (docs/vb365.md, "Regions"). */
export function authorityHostsFor(config: PortalConfig): { hosts: string[]; vb365Region: string } {
  if (config.endpoints) return { hosts: [new URL(config.endpoints.login).hostname.toLowerCase()], vb365Region: 'Worldwide' };
  const region = resolveRegion(config.region ?? 'Worldwide');
  if (region.name === 'Emulator') return { hosts: ['127.0.0.1', 'localhost', '[::1]', '::1'], vb365Region: region.vb365 };
  const hosts = [new URL(region.endpoints!.login).hostname];
  // VB365 and Microsoft Entra docs name login.partner.microsoftonline.cn for 21Vianet; Graph docs name login.chinacloudapi.cn
  if (region.name === 'China') hosts.push('login.partner.microsoftonline.cn');
  return { hosts, vb365Region: region.vb365 };
}

export function networkChecks(options: NetworkCheckOptions): CheckDefinition[] {
  const t = options.timeoutMs;
  const secs = `${t / 1000} s`;
  let portalUrl: PortalUrl | undefined;
  const url = (rc: { dep<D>(id: 'url.format'): CheckOutcome<D> }) => rc.dep<PortalUrl>('url.format').data!;
  return [
    {
      id: 'url.format',
      deps: ['config'],
      async run(rc) {
        const portal = rc.dep<LoadedPortalConfig>('config').data!.config.portal;
        const o = checkUrlFormat(portal?.url, portal?.restApiPort);
        portalUrl = o.data as PortalUrl | undefined;
        return o;
      },
    },
    {
      id: 'url.port',
      deps: ['config', 'url.format'],
      async run(rc) {
        return checkUrlPort(url(rc), rc.dep<LoadedPortalConfig>('config').data!.config.portal?.restApiPort);
      },
    },
    {
      id: 'dns',
      deps: ['url.format'],
      timeoutMs: t,
      get timeoutMessage() {
        return `the DNS lookup of ${portalUrl?.host ?? 'the host'} did not finish within ${secs}`;
      },
      timeoutRemedy: 'Check the DNS servers this machine uses (and that the name exists)',
      run: (rc) => checkDns(url(rc), rc.signal),
    },
    {
      id: 'tcp',
      deps: ['url.format', 'dns'],
      timeoutMs: t,
      get timeoutMessage() {
        return `no answer from ${portalUrl ? `${portalUrl.host}:${portalUrl.port}` : 'the portal'} within ${secs} (a firewall may drop the packets)`;
      },
      get timeoutRemedy() {
        return portalUrl ? tcpRemedy(portalUrl) : undefined;
      },
      run: (rc) => checkTcp(url(rc), rc.signal),
    },
    {
      id: 'tls.handshake',
      deps: ['url.format', 'tcp'],
      timeoutMs: t,
      get timeoutMessage() {
        return `${portalUrl ? `${portalUrl.host}:${portalUrl.port}` : 'the portal'} accepted the connection but did not complete a TLS handshake within ${secs}`;
      },
      timeoutRemedy: 'Something on that port accepts connections but does not speak TLS: check that it is the VB365 REST API port (Set-VBORestAPISettings -HTTPSPort)',
      run: (rc) => checkTlsHandshake(url(rc), rc.signal, { ...(options.ca ? { ca: options.ca } : {}), ...(options.env ? { env: options.env } : {}) }),
    },
    {
      id: 'tls.expiry',
      deps: ['tls.handshake'],
      run: async (rc) => checkTlsExpiry(rc.dep<TlsProbe>('tls.handshake').data!, options.now(), options.warnDays),
    },
    {
      id: 'tls.hostname',
      deps: ['url.format', 'tls.handshake'],
      run: async (rc) => checkTlsHostname(rc.dep<TlsProbe>('tls.handshake').data!, url(rc)),
    },
    {
      id: 'tls.trust',
      deps: ['tls.handshake'],
      run: async (rc) =>
        checkTlsTrust(rc.dep<TlsProbe>('tls.handshake').data!, { ...(options.ca ? { ca: options.ca } : {}), ...(options.env ? { env: options.env } : {}) }),
    },
    {
      id: 'restapi.settings',
      deps: ['config', 'url.format', 'tls.handshake'],
      timeoutMs: t,
      get timeoutMessage() {
        return `GET ${portalUrl?.normalized ?? ''}/v8/RestorePortalSettings did not answer within ${secs}`;
      },
      timeoutRemedy: 'Check the Veeam.Archiver.REST service and its log',
      run(rc) {
        const config = rc.dep<LoadedPortalConfig>('config').data!.config;
        const { hosts, vb365Region } = authorityHostsFor(config);
        const expect: RestApiExpectations = {
          authorityHosts: hosts,
          vb365Region,
          ...(config.application?.appId ? { appId: config.application.appId } : {}),
        };
        return checkRestApiSettings(url(rc), expect, rc.signal);
      },
    },
  ];
}
