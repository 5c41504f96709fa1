/**
 * dns and tcp. Both honour the AbortSignal the runner gives them (the per-step
 * timeout) and never leave a socket open: a host that drops packets costs at most the timeout.
 */
import type { Socket } from 'node:net';
import { dns, net } from './sockets.js';
import { fail, pass, skip, type CheckOutcome } from './types.js';
import type { PortalUrl } from './url.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolve a DNS name (all addresses, A and AAAA, through the system resolver like a browser). */
export async function checkDns(url: PortalUrl, signal: AbortSignal): Promise<CheckOutcome> {
  if (url.hostKind === 'ipv4') return skip(`${url.host} is an IPv4 address: nothing to resolve`, { notApplicable: true });
  try {
    const found = await abortable(dns().lookup(url.host, { all: true, verbatim: true }), signal);
    const addresses: ResolvedAddress[] = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    if (addresses.length === 0) return failDns(url, 'the name has no addresses');
    return pass(`${url.host} resolves to ${addresses.map((a) => a.address).join(', ')}`, { addresses }, addresses);
  } catch (err) {
    if (signal.aborted) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTFOUND'
        ? 'the name does not exist (NXDOMAIN) or has no A/AAAA record'
        : code === 'EAI_AGAIN'
          ? 'the DNS server did not answer (temporary failure)'
          : `${code ?? 'error'}: ${(err as Error).message}`;
    return failDns(url, why, code);
  }
}

function failDns(url: PortalUrl, why: string, code?: string): CheckOutcome {
  return fail(
    `${url.host} does not resolve: ${why}`,
    `Create a DNS A record for ${url.host} pointing to the REST API machine (users' browsers must resolve it too), or use the machine's public IPv4 address in portal.url`,
    code ? { code } : undefined,
  );
}

/** Open (and close) a TCP connection to host:port. */
export function checkTcp(url: PortalUrl, signal: AbortSignal): Promise<CheckOutcome> {
  const target = `${url.host}:${url.port}`;
  return new Promise<CheckOutcome>((resolve, reject) => {
    let socket: Socket | undefined;
    const onAbort = () => {
      socket?.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (o: CheckOutcome) => {
      signal.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(o);
    };
    socket = net().connect({ host: url.host, port: url.port });
    socket.once('connect', () => {
      const remote = socket!.remoteAddress;
      done(pass(`${target} accepts connections${remote && remote !== url.host ? ` (${remote})` : ''}`, { remoteAddress: remote, port: url.port }));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'error';
      const why =
        code === 'ECONNREFUSED'
          ? 'connection refused: nothing listens on that port'
          : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
            ? 'the host is unreachable from here'
            : code === 'ETIMEDOUT'
              ? 'no answer (a firewall may drop the packets)'
              : `${code}: ${err.message}`;
      done(
        fail(`cannot connect to ${target}: ${why}`, tcpRemedy(url), { code }),
      );
    });
  });
}

export function tcpRemedy(url: PortalUrl): string {
  return `Check that the VB365 REST API service runs and listens on port ${url.port} (Set-VBORestAPISettings -EnableService -HTTPSPort ${url.port}), and that inbound TCP ${url.port} is open on the REST API machine's firewall`;
}

/** Race a promise that cannot be cancelled (getaddrinfo) against the signal. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
