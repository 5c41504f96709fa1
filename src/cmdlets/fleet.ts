/**
 * `apply` and `test-portal` over several configs: `-c` given more than once, or any `-c` value
 * that is a glob pattern, makes a fleet run (src/fleet/): one process, one summary, the worst
 * exit code, and with `--report` a self-contained HTML page. A single `-c <file>` (or none) is the
 * usual single-config run, whose result shape does not change.
 */
import type { Context } from '../context.js';
import { InputError } from '../errors.js';
import { expandConfigPatterns, isPattern } from '../fleet/configs.js';
import { runFleet, type FleetInput, type FleetResult, type FleetVerb } from '../fleet/run.js';

export type { FleetResult };

/** Several configs, or a pattern: a fleet. */
export function isFleet(configs: readonly string[] | undefined): boolean {
  return !!configs && (configs.length > 1 || configs.some(isPattern));
}

export interface FleetRunInput extends Omit<FleetInput, 'configs' | 'unmatched' | 'verb'> {
  /** `-c` values: paths or patterns, against ctx.cwd */
  configs: readonly string[];
  /** write the HTML report here (replaced atomically; never through a link) */
  report?: string;
  /** hosts of custom endpoints trusted to receive credentials (adds to $ENTRA_PORTAL_TRUSTED_ENDPOINTS) */
  trustEndpoint?: string[];
}

export async function fleet(verb: FleetVerb, input: FleetRunInput, context: Context): Promise<FleetResult> {
  const { withTrustedEndpoints } = await import('../cloud/trust.js');
  const ctx = withTrustedEndpoints(context, input.trustEndpoint);
  const { paths, unmatched } = await expandConfigPatterns(input.configs, ctx.cwd);
  if (paths.length === 0 && unmatched.length === input.configs.length) {
    throw new InputError(`no config file matches ${input.configs.join(', ')}`, {
      code: 'no-config-matches',
      remedy: "Check the folder, and quote the pattern so the shell does not expand it (-c 'tenants/*.json5').",
    });
  }
  const { configs: _configs, report, trustEndpoint: _trust, ...rest } = input;
  // a report that cannot be written is found before any config runs (an apply's results are not lost to it)
  const reportPath = report ? await prepareReport(report, ctx.cwd) : undefined;
  const result = await runFleet({ ...rest, verb, configs: paths, unmatched }, ctx);
  if (reportPath) {
    const [{ renderReport }, { writeFileAtomic }, { packageVersion }] = await Promise.all([import('../fleet/report.js'), import('../util/fs.js'), import('../version.js')]);
    const html = renderReport(verb, result, {
      cwd: ctx.cwd,
      generatedAt: new Date(ctx.clock.now()).toISOString(),
      toolVersion: packageVersion(),
      ...(input.testPortal?.warnDays !== undefined ? { warnDays: input.testPortal.warnDays } : {}),
    });
    await writeFileAtomic(reportPath, html);
    ctx.log.info(`wrote the report to ${report}`);
  }
  return result;
}

/** `--report`'s absolute path, its folder made; a folder or link there is refused (65). */
async function prepareReport(report: string, cwd: string): Promise<string> {
  const [{ lstat, mkdir }, { dirname, join, resolve }, { refuseLink }] = await Promise.all([import('node:fs/promises'), import('node:path'), import('../util/fs.js')]);
  const path = resolve(cwd, report);
  await refuseLink(path);
  if ((await lstat(path).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`--report ${report} is a folder: the report is one HTML file`, { code: 'report-is-folder', remedy: `Name a file, e.g. --report ${join(report, 'report.html')}.` });
  }
  await mkdir(dirname(path), { recursive: true });
  return path;
}
