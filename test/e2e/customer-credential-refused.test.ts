/**
 * A service provider's CI gives a customer tenant its own credential (<PREFIX>_CLIENT_ID + secret),
 * and Entra refuses it (a wrong or expired secret): the customer needs consent (77) as documented,
 * and the remedy says to check those variables — not to "give the tool a credential", which it has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

const PREFIX = 'ENTRA_PORTAL_TENANT_FABRIKAM_ONMICROSOFT_COM';

test("a customer tenant whose own credential Entra refuses: needs-consent (77), the remedy names that credential's variables, no secret shown", async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      "{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'SP Refused', uniqueName: 'sp-refused', multiTenant: true }, portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 }, customers: [{ tenant: 'fabrikam.onmicrosoft.com' }] }\n",
    );
    const secret = 'not-the-secret-Q~0123456789';
    const env = { [`${PREFIX}_CLIENT_ID`]: '3f9c2a51-7d0e-4c4b-9a55-0c1d2e3f4a5b', [`${PREFIX}_CLIENT_SECRET`]: secret };
    const r = await runMain(['apply', '--json'], { cwd: dir, env });
    assert.equal(r.code, 77, r.stderr);
    const customer = JSON.parse(r.stdout).customers[0];
    assert.equal(customer.status, 'needs-consent');
    assert.equal(customer.errorCode, 'authentication-failed');
    assert.match(customer.message, new RegExp(`cannot sign in there with ${PREFIX}_CLIENT_ID \\+ ${PREFIX}_CLIENT_SECRET`));
    assert.match(customer.remedy, new RegExp(`Entra refused the credential in ${PREFIX}_\\*: check ${PREFIX}_CLIENT_ID`));
    assert.doesNotMatch(customer.remedy, /give the tool a credential/);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'the secret is never shown');
  });
});
