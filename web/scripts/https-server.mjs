// Serves the built dashboard over HTTPS and proxies the API paths (/graphql over HTTP and
// WebSocket, /ingest) to the API server, so a phone on the LAN reaches both through one
// https origin with one self-signed certificate (browsers allow getUserMedia only on secure
// pages). Build with NEXT_PUBLIC_API_URL=/graphql for this mode; see web/README.md.
//
// Environment (all optional):
//   HTTPS_PORT  port to listen on                     default 3443
//   HOST        address to bind                       default 0.0.0.0 (every interface)
//   TLS_CERT    PEM certificate                       default web/.certs/cert.pem
//   TLS_KEY     PEM private key                       default web/.certs/key.pem
//   API_ORIGIN  where the API server listens          default http://127.0.0.1:4000
//   NEXT_DEV    1 to run `next dev` instead of the production build
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.HTTPS_PORT ?? 3443);
const host = process.env.HOST ?? '0.0.0.0';
const certFile = process.env.TLS_CERT ?? path.join(webDir, '.certs/cert.pem');
const keyFile = process.env.TLS_KEY ?? path.join(webDir, '.certs/key.pem');
const api = new URL(process.env.API_ORIGIN ?? 'http://127.0.0.1:4000');
const apiPort = Number(api.port || 80);
const API_PATHS = ['/graphql', '/ingest', '/healthz', '/readyz'];

const isApiPath = (url = '/') => API_PATHS.some((p) => url === p || url.startsWith(`${p}?`) || url.startsWith(`${p}/`));

let tls;
try {
  tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
} catch {
  console.error(`No certificate at ${certFile} / ${keyFile}. Create one with: sh web/scripts/make-dev-cert.sh`);
  process.exit(1);
}

function forwardedHeaders(req) {
  return { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' };
}

function proxyHttp(req, res) {
  const upstream = http.request(
    { host: api.hostname, port: apiPort, method: req.method, path: req.url, headers: forwardedHeaders(req) },
    (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('API unreachable');
  });
  req.pipe(upstream);
}

function proxyUpgrade(req, socket, head) {
  const upstream = net.connect(apiPort, api.hostname, () => {
    const headers = Object.entries(forwardedHeaders(req))
      .flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => `${name}: ${v}`) : [`${name}: ${value}`]));
    upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
}

const dev = process.env.NEXT_DEV === '1';
const app = next({ dev, dir: webDir, hostname: 'localhost', port });
await app.prepare();
const handle = app.getRequestHandler();
const upgradeNext = typeof app.getUpgradeHandler === 'function' ? app.getUpgradeHandler() : null;

const server = https.createServer(tls, (req, res) => {
  if (isApiPath(req.url)) proxyHttp(req, res);
  else void handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (isApiPath(req.url)) proxyUpgrade(req, socket, head);
  else if (upgradeNext) void upgradeNext(req, socket, head);
  else socket.destroy();
});
server.listen(port, host, () => {
  console.log(`Trinetra dashboard on https://${host === '0.0.0.0' ? '<this-machine-ip>' : host}:${port} (API proxied to ${api.origin})`);
});
