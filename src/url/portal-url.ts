/**
 * The Restore Portal web address rules (Veeam: "https://<IPv4>:<port>" or "https://<DNS name>:<port>",
 * the port being the one the VB365 REST API listens on, 4443 by default; Veeam's sources are in
 * docs/vb365.md, "The Restore Portal web address").
 *
 * The authority is parsed here by hand on purpose: the WHATWG URL parser turns `https://1.2.3:4443`
 * into 1.2.0.3 and `https://0x7f.0.0.1:4443` into 127.0.0.1, and accepts underscores and empty
 * labels, so `new URL()` alone would let malformed addresses through silently.
 */
import { domainToASCII } from 'node:url';
import { InputError } from '../errors.js';

export const DEFAULT_PORTAL_PORT = 4443;

export interface PortalUrl {
  /** normalised: lowercase scheme and host, punycode, no trailing slash */
  url: string;
  host: string;
  port: number;
  hostKind: 'ipv4' | 'dns';
  /** reasons an operator's browser may not reach the address (not refusals) */
  warnings: string[];
}

const EXAMPLE_HOST = 'portal.abc.com';

function refuse(input: string, what: string, example: string): never {
  throw new InputError(`portal URL '${input}': ${what}`, { code: 'invalid-url', remedy: `For example: ${checkedExample(example)}` });
}

/**
 * The corrected example keeps what was usable in the input, but fixing one fault can leave another
 * (`http://1.2.3:4443` → `https://1.2.3:4443`): an example that is itself refused becomes the generic one.
 */
function checkedExample(example: string): string {
  try {
    validatePortalUrl(example, Number(/:(\d+)$/.exec(example)?.[1] ?? 443));
    return example;
  } catch {
    return example.replace(/^https:\/\/[^:/]+/, `https://${EXAMPLE_HOST}`);
  }
}

/** `https://<host>:<port>` with whatever parts of the input were usable. */
function exampleUrl(host: string | undefined, port: number): string {
  const h = host && /^[a-z0-9.-]+$/i.test(host) && !/^[.-]|[.-]$|\.\./.test(host) ? host.toLowerCase() : EXAMPLE_HOST;
  return port === 443 ? `https://${h}` : `https://${h}:${port}`;
}

/** Exactly four decimal octets 0–255, no leading zeros (which some parsers read as octal). */
export function parseIPv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

/** A host WHATWG would parse as an IPv4 address: its last label is a number (decimal, 0x hex or octal). */
function looksNumeric(host: string): boolean {
  const labels = host.split('.');
  const last = labels[labels.length - 1] === '' && labels.length > 1 ? labels[labels.length - 2]! : labels[labels.length - 1]!;
  return /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

function ipv4Warnings(o: number[]): string[] {
  const [a, b] = o as [number, number, number, number];
  const addr = o.join('.');
  const reach = 'restore operators must reach this address from their browsers';
  if (a === 127) return [`${addr} is a loopback address: only this machine can open the portal; ${reach}`];
  if (a === 0) return [`${addr} is not a routable address; ${reach}`];
  if (a === 169 && b === 254) return [`${addr} is a link-local address; ${reach}`];
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return [`${addr} is a private address: the portal is reachable only inside that network; ${reach}`];
  }
  if (a === 100 && b >= 64 && b <= 127) return [`${addr} is a carrier-grade NAT address; ${reach}`];
  return [];
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function checkDnsName(input: string, raw: string, port: number): string {
  if (raw.endsWith('.')) refuse(input, `the host name '${raw}' ends with a dot; write it without`, exampleUrl(raw.replace(/\.+$/, ''), port));
  // IDN → punycode. domainToASCII also lowercases and maps compatibility forms; '' means invalid.
  let ascii = raw;
  if (/[^\x00-\x7f]/.test(raw)) {
    ascii = domainToASCII(raw);
    if (!ascii) refuse(input, `'${raw}' is not a valid internationalised domain name`, exampleUrl(undefined, port));
  }
  ascii = ascii.toLowerCase();
  if (ascii.length > 253) refuse(input, `the host name is ${ascii.length} characters long; DNS allows at most 253`, exampleUrl(undefined, port));
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '') refuse(input, `the host name '${raw}' has an empty label (two dots in a row, or a leading dot)`, exampleUrl(labels.filter(Boolean).join('.'), port));
    if (label.length > 63) refuse(input, `the label '${label.slice(0, 20)}…' is ${label.length} characters long; DNS allows at most 63 per label`, exampleUrl(undefined, port));
    if (label.includes('_')) refuse(input, `the host name '${raw}' contains '_': DNS host names allow only letters, digits and hyphens`, exampleUrl(ascii.replace(/_/g, '-'), port));
    if (label.startsWith('-') || label.endsWith('-')) refuse(input, `the label '${label}' starts or ends with a hyphen`, exampleUrl(ascii.replace(/(^|\.)-+|-+(\.|$)/g, '$1$2'), port));
    if (!LABEL.test(label)) {
      const bad = [...label].find((c) => !/[a-z0-9-]/.test(c)) ?? label;
      refuse(input, `the host name '${raw}' contains '${bad}': DNS host names allow only letters, digits and hyphens`, exampleUrl(undefined, port));
    }
  }
  return ascii;
}

/**
 * Check and normalise a Restore Portal URL. Throws InputError (exit 65) naming what is wrong and
 * showing a corrected example; returns warnings (private, loopback or link-local IPv4, single-label names).
 */
export function validatePortalUrl(input: string, restApiPort: number = DEFAULT_PORTAL_PORT): PortalUrl {
  if (!Number.isInteger(restApiPort) || restApiPort < 1 || restApiPort > 65535) {
    throw new InputError(`REST API port ${restApiPort} is out of range: use 1–65535 (VB365's default is 4443)`, { code: 'invalid-port' });
  }
  const text = input.trim();
  if (!text) refuse(input, 'it is empty', exampleUrl(undefined, restApiPort));
  if (/\s/.test(text)) refuse(input, 'it contains white space', exampleUrl(undefined, restApiPort));

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) {
    const guess = text.replace(/^[a-z][a-z0-9+.-]*:\/+/i, '').split(/[/?#]/)[0]!.replace(/:\d*$/, '');
    refuse(input, "it must start with 'https://'", exampleUrl(guess, restApiPort));
  }
  const rest = text.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#\\]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const hostGuess = authority.replace(/^.*@/, '').replace(/:[^:]*$/, '');

  if (scheme[1]!.toLowerCase() !== 'https') {
    refuse(input, `it uses '${scheme[1]}': the Restore Portal is served over HTTPS only`, exampleUrl(hostGuess, restApiPort));
  }
  if (authority.includes('@')) refuse(input, 'it contains user info (user@ or user:password@): leave it out', exampleUrl(hostGuess, restApiPort));
  if (authority.startsWith('[') || (authority.match(/:/g)?.length ?? 0) > 1) {
    refuse(input, 'IPv6 addresses are not supported for the Restore Portal: use an IPv4 address or a DNS name', exampleUrl(undefined, restApiPort));
  }
  if (tail.startsWith('\\')) refuse(input, "it contains a backslash after the host", exampleUrl(hostGuess, restApiPort));
  if (tail.includes('#')) refuse(input, 'it has a fragment (#…): the portal address is the site root', exampleUrl(hostGuess, restApiPort));
  if (tail.includes('?')) refuse(input, 'it has a query (?…): the portal address is the site root', exampleUrl(hostGuess, restApiPort));
  if (tail !== '' && tail !== '/') refuse(input, `it has a path ('${tail}'): the portal address is the site root`, exampleUrl(hostGuess, restApiPort));

  const colon = authority.lastIndexOf(':');
  const rawHost = colon === -1 ? authority : authority.slice(0, colon);
  const rawPort = colon === -1 ? undefined : authority.slice(colon + 1);
  if (!rawHost) refuse(input, 'it has no host', exampleUrl(undefined, restApiPort));

  let port: number;
  if (rawPort === undefined) {
    if (restApiPort !== 443) {
      refuse(input, `it has no port: the portal is served on the REST API port (${restApiPort})`, exampleUrl(rawHost, restApiPort));
    }
    port = 443;
  } else {
    if (!/^[0-9]+$/.test(rawPort)) refuse(input, `the port '${rawPort}' is not a number`, exampleUrl(rawHost, restApiPort));
    if (/^0[0-9]/.test(rawPort)) refuse(input, `write the port without leading zeros ('${rawPort}')`, exampleUrl(rawHost, restApiPort));
    port = Number(rawPort);
    if (port < 1 || port > 65535) refuse(input, `port ${rawPort} is out of range (1–65535)`, exampleUrl(rawHost, restApiPort));
    if (port !== restApiPort) {
      throw new InputError(
        `portal URL '${input}': port ${port} is not the REST API port (${restApiPort}): the Restore Portal is served on the port the VB365 REST API listens on`,
        { code: 'invalid-url', remedy: `For example: ${exampleUrl(rawHost, restApiPort)} — or, if the REST API listens on ${port}, pass --rest-api-port ${port}` },
      );
    }
  }

  let host: string;
  let hostKind: PortalUrl['hostKind'];
  const warnings: string[] = [];
  if (looksNumeric(rawHost)) {
    const octets = parseIPv4(rawHost);
    if (!octets) {
      refuse(
        input,
        `'${rawHost}' is not an IPv4 address: write exactly four decimal numbers 0–255 without leading zeros (no hex, octal or shortened forms)`,
        exampleUrl('192.0.2.10', restApiPort),
      );
    }
    host = octets.join('.');
    hostKind = 'ipv4';
    warnings.push(...ipv4Warnings(octets));
  } else {
    host = checkDnsName(input, rawHost, restApiPort);
    hostKind = 'dns';
    if (!host.includes('.')) {
      warnings.push(`'${host}' is a single-label name: restore operators' browsers may not resolve it; prefer a fully qualified name such as ${host}.abc.com`);
    }
  }
  const url = rawPort === undefined ? `https://${host}` : `https://${host}:${port}`;
  return { url, host, port, hostKind, warnings };
}

/**
 * Canonical form of a redirect URI for comparisons (docs/managed-surface.md): lowercase scheme and host,
 * no trailing slash. Path case is kept (paths are case-sensitive).
 */
export function normalizeRedirectUri(uri: string): string {
  const text = uri.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(text);
  if (!m) return text.replace(/\/+$/, '');
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
  const hostPort = (at === -1 ? authority : authority.slice(at + 1)).toLowerCase();
  let rest = m[3]!;
  const qf = rest.search(/[?#]/);
  const path = qf === -1 ? rest : rest.slice(0, qf);
  const suffix = qf === -1 ? '' : rest.slice(qf);
  rest = path.replace(/\/+$/, '') + suffix;
  return `${m[1]!.toLowerCase()}://${userinfo}${hostPort}${rest}`;
}
