/**
 * Checks for the values the desired-state verbs write (beyond the schema, with verb-level messages).
 * Light on purpose: command files may import it.
 */
import { InputError } from '../errors.js';
import { textProblem } from './tree.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** An application (client) ID: a GUID in any case, stored lowercase. */
export function normalizeAppId(value: string, option = '--app-id'): string {
  const v = value.trim().replace(/^\{(.*)\}$/, '$1');
  if (!GUID.test(v)) {
    throw new InputError(`${option} '${value}' is not a GUID`, {
      code: 'invalid-app-id',
      remedy: "The Application (client) ID from the Entra admin center, e.g. 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c.",
    });
  }
  return v.toLowerCase();
}

/** A tenant: its ID (GUID, stored lowercase) or a domain name with at least one dot. */
export function normalizeTenant(value: string, option = '--tenant'): string {
  const v = value.trim();
  if (GUID.test(v)) return v.toLowerCase();
  const labels = v.split('.');
  if (v.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l))) return v.toLowerCase();
  throw new InputError(`${option} '${value}' is neither a tenant ID (GUID) nor a domain name`, {
    code: 'invalid-tenant',
    remedy: 'Use the tenant ID, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47, or a verified domain, e.g. contoso.onmicrosoft.com.',
  });
}

const UNIQUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;

/** The registration key: letters, digits, '.', '_', '-'; at most 120 characters. */
export function checkUniqueName(value: string): string {
  const v = value.trim();
  if (!UNIQUE_NAME.test(v)) {
    throw new InputError(`--unique-name '${value}' is not a valid unique name`, {
      code: 'invalid-unique-name',
      remedy: "Start with a letter or digit; use only letters, digits, '.', '_' and '-' (at most 120), e.g. veeam-restore-portal.",
    });
  }
  return v;
}

/** 'Veeam Restore Portal (EU)' → 'veeam-restore-portal-eu' */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/g, '');
}

export function checkDisplayName(name: string): string {
  const v = name.trim();
  if (!v) throw new InputError('--name is empty: give the display name of the application, e.g. --name "Veeam Restore Portal"', { code: 'invalid-name' });
  if (v.length > 120) throw new InputError(`--name is ${v.length} characters long; Entra display names here are at most 120`, { code: 'invalid-name' });
  const problem = textProblem(v);
  if (problem) throw new InputError(`--name ${problem}`, { code: 'invalid-name' });
  return v;
}

/** A TCP port 1–65535 (an InputError otherwise). */
export function checkPort(value: number, option = '--rest-api-port'): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InputError(`${option} ${value} is out of range: use a port number from 1 to 65535 (VB365's REST API default is 4443)`, { code: 'invalid-port' });
  }
  return value;
}
