/**
 * The emulator's key material and bounds: a fresh state from a pre-generated PKI (no key
 * generation), a CA that can certify only the loopback names it serves (RFC 5280 name constraints,
 * enforced by OpenSSL in Node's TLS), a bounded request log, and an injectable directory clock that
 * drives replication lag without sleeping.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { generatePki, startEmulator, type EmulatorClock } from '../../src/emulator/index.js';
import { withTempDir } from '../helpers/cli.js';
import { graphClientFor, rejectsWith, withEmulator } from '../helpers/emulator.js';
import { issueCert, startHttpsServer } from '../helpers/tls-server.js';

const pki = generatePki();

/** Does a TLS client that trusts only `ca` accept the server at `port` under `servername`? */
function handshake(port: number, ca: string, servername: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca, servername }, () => {
      s.end();
      resolve('ok');
    });
    s.on('error', (e: Error) => resolve(e.message));
  });
}

describe('emulator PKI', () => {
  it('starts a fresh state from a given PKI (object or JSON file), keeps it across restarts', async () => {
    await withEmulator(async (h) => assert.equal(h.caPem, pki.ca.certPem), { pki });
    await withTempDir(async (dir) => {
      const file = join(dir, 'pki.json');
      await writeFile(file, JSON.stringify(pki));
      const statePath = join(dir, 'state.json');
      const first = await startEmulator({ statePath, pki: file });
      await first.stop();
      assert.equal(first.caPem, pki.ca.certPem);
      // an existing state keeps its own key material, whatever PKI is offered
      const second = await startEmulator({ statePath, pki: generatePki() });
      await second.stop();
      assert.equal(second.caPem, pki.ca.certPem);
    });
  });

  it('refuses a PKI whose server certificate the CA did not issue', async () => {
    const other = generatePki();
    await assert.rejects(startEmulator({ pki: { ...pki, server: other.server } }), /not issued by the CA/);
  });

  it('re-issues an expired server certificate from the same key, and serves it', async () => {
    const caKey = forge.pki.privateKeyFromPem(pki.ca.keyPem) as forge.pki.rsa.PrivateKey;
    const ca = { ...pki.ca, key: caKey, cert: forge.pki.certificateFromPem(pki.ca.certPem) };
    const expired = issueCert({ ca, notBefore: new Date(Date.now() - 20 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await withEmulator(
      async (h) => {
        const r = await graphClientFor(h, h.tenants[0]!).api('/applications').top(1).get();
        assert.ok(Array.isArray(r.value), 'the client trusted the re-issued certificate');
      },
      { pki: { ...pki, server: { certPem: expired.certPem, keyPem: expired.keyPem } } },
    );
  });

  it('the CA certifies only localhost, 127.0.0.1 and ::1 (a certificate it signs for another name is refused)', async () => {
    const caKey = forge.pki.privateKeyFromPem(pki.ca.keyPem) as forge.pki.rsa.PrivateKey;
    const ca = { ...pki.ca, key: caKey, cert: forge.pki.certificateFromPem(pki.ca.certPem) };
    const foreign = await startHttpsServer(issueCert({ ca, hosts: ['example.com', '10.1.2.3'] }));
    const loopback = await startHttpsServer(issueCert({ ca, hosts: ['127.0.0.1', 'localhost'] }));
    try {
      assert.equal(await handshake(loopback.port, pki.ca.certPem, 'localhost'), 'ok');
      // OpenSSL's X509_V_ERR_PERMITTED_VIOLATION (Node reports its text, code UNSPECIFIED)
      assert.equal(await handshake(foreign.port, pki.ca.certPem, 'example.com'), 'permitted subtree violation');
    } finally {
      await foreign.close();
      await loopback.close();
    }
  });
});

describe('emulator bounds and clock', () => {
  it('keeps at most requestLogLimit (+25 %) log entries; seq keeps counting', async () => {
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        for (let i = 0; i < 30; i++) await g.api('/applications').top(1).get();
        assert.ok(h.requests.length <= 10, `${h.requests.length} entries kept`);
        const seqs = h.requests.map((r) => r.seq);
        assert.ok(seqs[seqs.length - 1]! >= 30, 'every request was counted');
        assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
      },
      { requestLogLimit: 8, pki },
    );
  });

  it('replication lag follows the injected clock (no sleeping)', async () => {
    let now = Date.now();
    const clock: EmulatorClock = { now: () => now };
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const app = await g.api('/applications').post({ displayName: 'lagging' });
        await rejectsWith(g.api(`/applications/${app.id}`).get(), 404, 'Request_ResourceNotFound');
        now += 59_999;
        await rejectsWith(g.api(`/applications/${app.id}`).get(), 404);
        now += 1;
        assert.equal((await g.api(`/applications/${app.id}`).get()).id, app.id);
      },
      { faults: 'lag=60000', clock, pki },
    );
  });
});
