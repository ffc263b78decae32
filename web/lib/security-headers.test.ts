import nextConfig from '../next.config';
import { apiOrigins, dashboardCsp, STATIC_SECURITY_HEADERS } from './security-headers';

function directive(csp: string, name: string): string[] {
  const found = csp.split('; ').find((d) => d.startsWith(`${name} `));
  return found ? found.split(' ').slice(1) : [];
}

describe('dashboard security headers', () => {
  it.each([
    ['http://localhost:4000/graphql', ['http://localhost:4000', 'ws://localhost:4000']],
    ['https://api.example.com/graphql', ['https://api.example.com', 'wss://api.example.com']],
    ['/graphql', []],
  ])('lets the dashboard reach the API at %s over http and ws', (apiUrl, origins) => {
    expect(apiOrigins(apiUrl)).toEqual(origins);
    const csp = dashboardCsp(apiUrl, { development: false });
    expect(directive(csp, 'connect-src')).toEqual(["'self'", ...origins]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(directive(csp, 'script-src')).not.toContain("'unsafe-eval'");
  });

  it('allows eval only in development (React refresh)', () => {
    expect(directive(dashboardCsp('/graphql', { development: true }), 'script-src')).toContain("'unsafe-eval'");
  });

  it('sends nosniff, no-referrer and DENY framing on every route from next.config.ts', async () => {
    const routes = await nextConfig.headers!();
    expect(routes).toEqual([{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }]);
    const byName = Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]));
    expect(byName).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
  });
});
