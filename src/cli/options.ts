/**
 * Option coercion for every verb, in one place: integers, single values, and the options several
 * verbs share (--region, --tenant, --apply). Command files declare their options with these.
 */
import { UsageError } from '../errors.js';

/** `--region` as new-app and set-app take it (checked by the cmdlet with resolveRegion: 65). */
export const REGION_OPTION = {
  type: 'string',
  describe: 'Worldwide (global), USGovernment (usgov, gcchigh), USDefence (dod), China (21vianet) or Emulator; case-insensitive',
  requiresArg: true,
  coerce: singleString('region'),
} as const;

/** `--tenant`: a tenant ID or a verified domain (checked by the cmdlet: 65). */
export const TENANT_OPTION = {
  type: 'string',
  describe: 'tenant ID (GUID) or a verified domain name',
  requiresArg: true,
  coerce: singleString('tenant'),
} as const;

export const APPLY_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'then run "apply": reconcile Entra with the edited file (with --what-if: show what apply would change)',
} as const;

/**
 * A yargs `coerce` for an integer option: yargs' `type: 'number'` turns `abc` into NaN silently, so
 * anything but digits is a usage error (64) here; the range is the cmdlet's check (65).
 */
export function integerOption(
  option: string,
  allowed?: { check: (n: number) => boolean; rule: string },
): (value: unknown) => number | undefined {
  return (value) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw usage(`--${option} was given ${value.length} times; give it once`);
    const text = String(value).trim();
    if (!/^[0-9]+$/.test(text)) throw usage(`--${option} must be ${allowed?.rule ?? 'a whole number'}, not "${String(value)}"`);
    const n = Number(text);
    if (allowed && !allowed.check(n)) throw usage(`--${option} must be ${allowed.rule}, not "${text}"`);
    return n;
  };
}

/** A string option given twice arrives as an array: that is a usage error. */
export function singleString(option: string): (value: unknown) => string | undefined {
  return (value) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw usage(`--${option} was given ${value.length} times; give it once`);
    return String(value);
  };
}

/** A string option that may be given many times: always a list (each value trimmed, none empty). */
export function repeatableString(option: string): (value: unknown) => string[] | undefined {
  return (value) => {
    if (value === undefined) return undefined;
    const list = (Array.isArray(value) ? value : [value]).map((v) => String(v).trim());
    if (list.some((v) => v === '')) throw usage(`--${option} needs a value`);
    return list;
  };
}

/** `--extra-redirect-uri` / `--remove-redirect-uri` (set-app, set-portal-url). */
export const REDIRECT_URI_OPTIONS = {
  'extra-redirect-uri': {
    type: 'string',
    requiresArg: true,
    describe: 'also allow this SPA redirect URI (application.extraRedirectUris); repeatable',
    coerce: repeatableString('extra-redirect-uri'),
  },
  'remove-redirect-uri': {
    type: 'string',
    requiresArg: true,
    describe: 'remove this URI from application.extraRedirectUris (apply --prune then removes it from Entra); repeatable',
    coerce: repeatableString('remove-redirect-uri'),
  },
} as const;

function usage(message: string): UsageError {
  return new UsageError(message);
}
