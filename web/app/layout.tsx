import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { DisconnectedBanner } from '@/features/connection/components/disconnected-banner';
import { runtimeApiUrl } from '@/lib/api-config';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Trinetra', template: '%s · Trinetra' },
  description: 'Realtime video analytics dashboard',
};

/** Rendered per request so `API_URL` can be set when the dashboard starts, not only at build. */
export const dynamic = 'force-dynamic';

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers apiUrl={runtimeApiUrl()}>
          <DisconnectedBanner />
          {children}
        </Providers>
      </body>
    </html>
  );
}
