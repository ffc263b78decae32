import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/**
 * A local GraphiQL, for machines without internet access (Apollo's hosted Sandbox cannot
 * load here). Assets come from installed packages (GraphiQL 3's UMD build with React 18's
 * UMD builds, and graphql-ws's browser build for subscriptions), never from a CDN.
 */
const ASSETS: ReadonlyMap<string, { pkg: string; file: string; type: string }> = new Map([
  ['react.js', { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' }],
  ['react-dom.js', { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' }],
  ['graphiql.js', { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' }],
  ['graphiql.css', { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' }],
  ['graphql-ws.js', { pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js', type: 'text/javascript' }],
]);

export const IDE_ASSET_PREFIX = '/ide/';
const IDE_SCRIPT = 'trinetra-ide.js';

const cache = new Map<string, Buffer>();

async function asset(name: string): Promise<{ body: Buffer; type: string } | null> {
  if (name === IDE_SCRIPT) return { body: IDE_SCRIPT_BODY, type: 'text/javascript' };
  // A Map, not an object: `/ide/constructor` or `/ide/__proto__` must not find a prototype member.
  const spec = ASSETS.get(name);
  if (!spec) return null;
  let body = cache.get(name);
  if (!body) {
    const root = require.resolve(`${spec.pkg}/package.json`).replace(/package\.json$/, '');
    body = await readFile(root + spec.file);
    cache.set(name, body);
  }
  return { body, type: spec.type };
}

export async function serveIdeAsset(name: string, res: ServerResponse): Promise<void> {
  const found = await asset(name);
  if (!found) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
    return;
  }
  res.writeHead(200, { 'content-type': `${found.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' });
  res.end(found.body);
}

/**
 * The IDE page's Content-Security-Policy: scripts and styles only from this server (the
 * assets above; GraphiQL also sets inline styles), queries and subscriptions only to this
 * origin (`'self'` covers ws:// and wss:// of the same host in CSP 3 browsers), no framing.
 */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The IDE page. Queries go over HTTP, subscriptions over graphql-ws on the same path; the
 * Authorization header typed in GraphiQL's headers tab is sent both ways.
 */
export const IDE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Trinetra GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<link rel="stylesheet" href="${IDE_ASSET_PREFIX}graphiql.css" />
<style>body { margin: 0; height: 100vh; } #ide { height: 100vh; }</style>
</head>
<body>
<div id="ide">Loading GraphiQL…</div>
<script src="${IDE_ASSET_PREFIX}react.js"></script>
<script src="${IDE_ASSET_PREFIX}react-dom.js"></script>
<script src="${IDE_ASSET_PREFIX}graphiql.js"></script>
<script src="${IDE_ASSET_PREFIX}graphql-ws.js"></script>
<script src="${IDE_ASSET_PREFIX}${IDE_SCRIPT}"></script>
</body>
</html>`;

/** The page's own script, served as an asset so the CSP needs no inline scripts. */
const IDE_SCRIPT_BODY = Buffer.from(`  const httpUrl = location.origin + location.pathname;
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  function fetcher(params, opts) {
    const headers = Object.assign({ 'content-type': 'application/json' }, (opts && opts.headers) || {});
    const isSubscription = /^\\s*subscription\\b/m.test(params.query || '');
    if (!isSubscription) {
      return fetch(httpUrl, { method: 'POST', headers, body: JSON.stringify(params) }).then((r) => r.json());
    }
    const client = graphqlWs.createClient({ url: wsUrl, connectionParams: { authorization: headers.Authorization || headers.authorization } });
    return {
      [Symbol.asyncIterator]() {
        const queue = []; let resolve; let done = false;
        const dispose = client.subscribe(params, {
          next: (v) => { queue.push(v); resolve && resolve(); },
          error: (e) => { queue.push({ errors: [{ message: String((e && e.reason) || e) }] }); done = true; resolve && resolve(); },
          complete: () => { done = true; resolve && resolve(); },
        });
        return {
          async next() {
            while (!queue.length && !done) await new Promise((r) => (resolve = r));
            if (queue.length) return { value: queue.shift(), done: false };
            return { value: undefined, done: true };
          },
          async return() { dispose(); client.dispose(); return { value: undefined, done: true }; },
        };
      },
    };
  }
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, {
      fetcher,
      // No default header: a placeholder would be sent with the schema request and refused.
      defaultQuery:
        '# The schema loads without credentials. To call the API, open Headers below and paste\\n' +
        '#   { "Authorization": "Bearer <access token or API key>" }\\n' +
        '# (an API key from the dashboard, or the accessToken of the signIn mutation), then run:\\n' +
        '{ me { kind tenant { name } scopes } cameras(first: 20) { edges { node { id name status } } } }\\n',
    }),
  );
`);
