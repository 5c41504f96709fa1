/**
 * A stand-in for the VB365 REST API's anonymous `GET /v8/RestorePortalSettings`
 * (docs/vb365.md, "What the REST API reports": `x-anonymous: true`; schema RESTRestorePortalSettings
 * {applicationId, msalAuthorityUri, restorePortalUri, isEnabled}), over HTTPS with a certificate
 * for 127.0.0.1/localhost signed by the emulator CA, on its own port.
 */
import { createServer, type Server } from 'node:https';
import type { KeyPairPem, RestorePortalSettings } from './types.js';

export async function startRestoreApi(
  tls: KeyPairPem,
  caPem: string,
  port: number,
  settings: () => RestorePortalSettings | Promise<RestorePortalSettings>,
): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert: `${tls.certPem}${caPem}`, key: tls.keyPem }, (req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '').toLowerCase();
      if (path !== '/v8/restoreportalsettings') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errorCode: 'NotFound', message: 'The requested resource was not found.' }));
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405, { 'Content-Type': 'application/json', Allow: 'GET' }).end(JSON.stringify({ errorCode: 'MethodNotAllowed', message: 'Only GET is supported.' }));
        return;
      }
      try {
        const body = JSON.stringify(await settings());
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
      } catch (err) {
        res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errorCode: 'InternalError', message: (err as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `https://127.0.0.1:${actual}` };
}
