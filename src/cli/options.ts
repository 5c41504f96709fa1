/**
 * Every option the CLI knows that more than one verb takes, as data, and the one place where an
 * option's text becomes a value (`coerce`). Command files declare their own options next to these.
 *
 * The rule for bad values (docs/cli.md "Exit codes"): whatever is wrong ON THE COMMAND LINE (an
 * option, an argument, an environment variable standing in for an option) is a usage error, 64 — the
 * fix is in the command line; whatever is wrong IN A FILE (the config, a PFX, a certificate) is
 * invalid input, 65 — the fix is in the file.
 */
import { UsageError } from '../errors.js';
import { AUTH_MODES } from '../cloud/auth-modes.js';
import type { OptionSpec } from './command.js';
import { closest } from './usage.js';

/** `-c` and the rest, accepted by every verb (shown under "Global options"). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    short: 'c',
    kind: 'string',
    value: 'file',
    describe: 'the config file',
    defaultText: '$ENTRA_PORTAL_CONFIG, else ./entra-portal.json5',
  },
  { name: 'json', kind: 'boolean', describe: 'print exactly one JSON document on stdout (schemas/)' },
  { name: 'what-if', kind: 'boolean', describe: 'show what would change; change nothing' },
  { name: 'verbose', kind: 'boolean', describe: 'more detail on stderr' },
  { name: 'quiet', kind: 'boolean', describe: 'only warnings and errors on stderr' },
  { name: 'color', kind: 'boolean', default: true, describe: 'no colour (colour is used only on a terminal, and never when NO_COLOR is set)' },
  { name: 'help', short: 'h', kind: 'boolean', describe: 'show help' },
  { name: 'version', short: 'v', kind: 'boolean', describe: 'show the version' },
];

/**
 * A verb's options and the global ones it does not redeclare: a verb may declare a global option
 * its own way (e.g. `-c` repeatable for a fleet of configs), which then replaces the global one.
 */
export function optionsOf(spec: { options?: readonly OptionSpec[] }): { own: readonly OptionSpec[]; globals: readonly OptionSpec[]; all: readonly OptionSpec[] } {
  const own = spec.options ?? [];
  const globals = GLOBAL_OPTIONS.filter((g) => !own.some((o) => o.name === g.name));
  return { own, globals, all: [...own, ...globals] };
}

/** `--region`, as new-app and set-app take it (the value is checked by resolveRegion in the cmdlet). */
export const REGION_OPTION: OptionSpec = {
  name: 'region',
  kind: 'string',
  value: 'region',
  describe: 'Worldwide (global), USGovernment (usgov, gcchigh), USDefence (dod), China (21vianet) or Emulator; any case',
};

export const TENANT_OPTION: OptionSpec = {
  name: 'tenant',
  kind: 'string',
  value: 'tenant',
  describe: 'tenant ID (GUID) or a verified domain name',
};

export const AUTH_OPTION: OptionSpec = {
  name: 'auth',
  kind: 'string',
  value: 'mode',
  choices: AUTH_MODES,
  env: 'ENTRA_PORTAL_AUTH',
  default: 'auto',
  describe: `how the operator signs in: ${AUTH_MODES.join(', ')} (auto: environment → workload identity → Azure CLI → device code on a terminal)`,
};

export const PROPAGATION_TIMEOUT_OPTION: OptionSpec = {
  name: 'propagation-timeout',
  kind: 'integer',
  value: 'seconds',
  default: 120,
  check: (n) => n >= 1 && n <= 3600,
  rule: 'a whole number of seconds from 1 to 3600',
  describe: 'how long to wait out throttling and replication per operation',
};

export const DETAILED_EXITCODE_OPTION: OptionSpec = {
  name: 'detailed-exitcode',
  kind: 'boolean',
  describe: 'exit 2 when changes were pending (with --what-if) or made',
};

export const PRUNE_OPTION: OptionSpec = {
  name: 'prune',
  kind: 'boolean',
  describe: 'remove what the config does not describe (secrets, foreign redirect URIs, other certificates, extra permissions and consent); asks first on a terminal',
};

export const YES_OPTION: OptionSpec = {
  name: 'yes',
  kind: 'boolean',
  describe: 'with --prune: do not ask for confirmation on a terminal',
};

/**
 * `--trust-endpoint <host>`, repeatable: a host of the config's custom endpoints that may receive the
 * operator's credentials (src/cloud/trust.ts; it adds to $ENTRA_PORTAL_TRUSTED_ENDPOINTS).
 */
export const TRUST_ENDPOINT_OPTION: OptionSpec = {
  name: 'trust-endpoint',
  kind: 'string',
  value: 'host',
  repeatable: true,
  describe: "trust this host of the config's custom endpoints with the operator's credentials (host or host:port; also $ENTRA_PORTAL_TRUSTED_ENDPOINTS)",
};

/** The options of `apply`, which the desired-state verbs take too, for their `--apply`. */
export const APPLY_RUN_OPTIONS: readonly OptionSpec[] = [DETAILED_EXITCODE_OPTION, PRUNE_OPTION, YES_OPTION, PROPAGATION_TIMEOUT_OPTION, AUTH_OPTION, TRUST_ENDPOINT_OPTION];

/**
 * apply and test-portal over a fleet: `-c` may be given many times and takes quoted glob patterns;
 * several configs (or any pattern) run in one process (src/fleet/).
 */
export const FLEET_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    short: 'c',
    kind: 'string',
    value: 'file',
    repeatable: true,
    describe: "the config file; give it again, or a quoted pattern ('tenants/*.json5', '**/entra-portal.json5'), to run a fleet of configs in one process",
    defaultText: '$ENTRA_PORTAL_CONFIG, else ./entra-portal.json5',
  },
  {
    name: 'parallel',
    kind: 'integer',
    value: 'n',
    default: 8,
    check: (n) => n >= 1 && n <= 64,
    rule: 'a whole number from 1 to 64',
    describe: 'a fleet: how many configs run at once',
  },
  { name: 'report', kind: 'string', value: 'file.html', describe: 'a fleet: also write a self-contained HTML report (status, drift, failed checks, certificate days left)' },
];

/** `--apply` on the desired-state verbs, followed by apply's own options (they need `--apply`). */
export const APPLY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'apply',
    kind: 'boolean',
    describe: 'then run "apply": reconcile Entra with the edited file (with --what-if: show what apply would change)',
  },
  ...APPLY_RUN_OPTIONS.map((o) => ({ ...o, needs: 'apply', describe: `with --apply: ${o.describe}` })),
];

/** application.extraRedirectUris, edited by set-app and set-portal-url; both repeatable. */
export const REDIRECT_URI_OPTIONS: readonly OptionSpec[] = [
  { name: 'extra-redirect-uri', kind: 'string', value: 'uri', repeatable: true, describe: 'also allow this SPA redirect URI (application.extraRedirectUris)' },
  {
    name: 'remove-redirect-uri',
    kind: 'string',
    value: 'uri',
    repeatable: true,
    describe: 'remove this URI from application.extraRedirectUris (apply --prune then removes it from Entra)',
  },
];

export const OWNER_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'owner',
    kind: 'string',
    value: 'object-id',
    repeatable: true,
    describe: "list this user or service principal (its object id) in application.owners: once the list is there, apply keeps exactly those owners (others are drift)",
  },
  { name: 'remove-owner', kind: 'string', value: 'object-id', repeatable: true, describe: 'take this object id out of application.owners (apply --prune then removes the owner in Entra)' },
];

export const STORE_OPTION: OptionSpec = {
  name: 'store',
  kind: 'string',
  value: 'dir',
  describe: 'the certificate store folder',
  defaultText: '$ENTRA_PORTAL_STORE, else on Windows %LOCALAPPDATA%\\entra-portal\\store, elsewhere $XDG_DATA_HOME/entra-portal/store or ~/.local/share/entra-portal/store',
};

/** A port number option (0 allowed where it means "pick a free one"). */
export function portOption(name: string, describe: string, allowZero: boolean): OptionSpec {
  const min = allowZero ? 0 : 1;
  return { name, kind: 'integer', value: 'port', check: (n) => n >= min && n <= 65535, rule: `a port number from ${min} to 65535`, describe };
}

/** Where a value came from, for messages: `--key-size` or `ENTRA_PORTAL_AUTH`. */
export function sourceName(spec: OptionSpec, fromEnv: boolean): string {
  return fromEnv && spec.env ? spec.env : `--${spec.name}`;
}

/**
 * The one coercion: the text of an option (or of its environment variable) → its value, or a usage
 * error that names the option, the value and the rule. Booleans are handled by the parser.
 */
export function coerce(spec: OptionSpec, text: string, verb: string, fromEnv = false): string | number {
  const source = sourceName(spec, fromEnv);
  const fail = (rule: string, remedy?: string) =>
    new UsageError(`${verb}: ${source} must be ${rule}, not "${text}"`, remedy ? { remedy } : {});
  if (spec.kind === 'integer' || spec.kind === 'number') {
    const trimmed = text.trim();
    const pattern = spec.kind === 'integer' ? /^\d+$/ : /^\d+(\.\d+)?$/;
    const rule = spec.rule ?? (spec.kind === 'integer' ? 'a whole number' : 'a number');
    if (!pattern.test(trimmed)) throw fail(rule);
    const n = Number(trimmed);
    if (!Number.isSafeInteger(Math.floor(n)) || (spec.check && !spec.check(n))) throw fail(rule);
    return n;
  }
  if (spec.choices) {
    const match = spec.choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
    if (match) return match;
    const guess = closest(text, spec.choices);
    return throwing(
      new UsageError(`${verb}: ${source} '${text}' is not one of: ${spec.choices.join(', ')}${guess ? `. Did you mean ${guess}?` : ''}`),
    );
  }
  return text;
}

function throwing(err: Error): never {
  throw err;
}
