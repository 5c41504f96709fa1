/**
 * get-cert: list the certificate store. Light at import time.
 */
import { defineCommand } from '../src/cli/command.js';
import { STORE_OPTION } from '../src/cli/options.js';
import type { GetCertResult } from '../src/cmdlets/get-cert.js';
import { displayPath } from '../src/util/paths.js';
import { escapeControl } from '../src/util/text.js';

interface Args {
  thumbprint?: string;
  store?: string;
}

export const getCertCommand = defineCommand<Args, GetCertResult>({
  name: 'get-cert',
  describe: 'List the certificate store: thumbprints, subjects, expiry, key sizes, which config uses each',
  options: [{ name: 'thumbprint', kind: 'string', value: 'sha1', describe: 'only this certificate (exit 65 when the store lacks it)' }, STORE_OPTION],
  examples: [
    ['entra-portal get-cert', 'every certificate in the store; the ones entra-portal.json5 uses are marked'],
    ['entra-portal get-cert --json', 'the same as JSON (schemas/get-cert.schema.json), with daysLeft for monitoring'],
    ['entra-portal get-cert -c tenants/contoso.json5 --thumbprint 9F:3A:…:C1', 'one certificate, and whether that config uses it'],
  ],
  notes: ['Reads only the public part of each entry (<THUMBPRINT>.cer): no store password is needed and nothing is written.'],
  async run(args, ctx) {
    const { getCert } = await import('../src/cmdlets/get-cert.js');
    return getCert({ config: args.config, ...(args.thumbprint !== undefined ? { thumbprint: args.thumbprint } : {}), ...(args.store !== undefined ? { store: args.store } : {}) }, ctx);
  },
  render(result, ctx) {
    const store = displayPath(result.store, ctx.cwd);
    if (result.certificates.length === 0) return `The store ${store} holds no certificate.`;
    const rows = result.certificates.map((c) => [
      c.thumbprint,
      escapeControl(c.subject),
      c.notAfter.slice(0, 10),
      String(c.daysLeft),
      String(c.keySize),
      c.hasPrivateKey ? 'yes' : 'no',
      c.usedBy.map((u) => `${displayPath(u.config, ctx.cwd)} (${u.role})`).join(', ') || '-',
    ]);
    const head = ['THUMBPRINT', 'SUBJECT', 'NOT AFTER', 'DAYS', 'KEY', 'PRIVATE', 'USED BY'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const right = new Set([3, 4]);
    const line = (cells: string[]) =>
      cells.map((cell, i) => (i === cells.length - 1 ? cell : right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
    return [`Store ${store}`, line(head), ...rows.map(line)].join('\n');
  },
});
