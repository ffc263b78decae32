import { NextResponse } from 'next/server';
import { runtimeApiUrl } from '@/lib/api-config';
import { dashboardCsp } from '@/lib/security-headers';

/**
 * Sets the Content-Security-Policy per request: its connect-src names the API, whose URL may be
 * given when the dashboard starts (`API_URL`), after `next build` baked next.config.ts headers.
 */
export function proxy(): NextResponse {
  const response = NextResponse.next();
  response.headers.set('Content-Security-Policy', dashboardCsp(runtimeApiUrl(), { development: process.env.NODE_ENV === 'development' }));
  return response;
}

export const config = { matcher: ['/((?!_next/static|_next/image).*)'] };
