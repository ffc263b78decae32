import type { NextConfig } from 'next';
import path from 'node:path';
import { STATIC_SECURITY_HEADERS } from './lib/security-headers';

/**
 * The dashboard is a client-rendered app over the GraphQL API: sessions live in the browser
 * (access token in memory, refresh token in an httpOnly cookie), so pages render their shell on the server and fetch after hydration.
 */
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The CSP depends on API_URL, known only at start: web/proxy.ts sets it per request.
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
  // The repo root holds the npm workspace lockfile; tell Next so it does not guess.
  turbopack: { root: path.join(__dirname, '..') },
  outputFileTracingRoot: path.join(__dirname, '..'),
};

export default nextConfig;
