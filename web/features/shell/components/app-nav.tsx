'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQuery } from 'urql';
import { ME_QUERY, type MeResult } from '@/features/auth/graphql';
import { useSessionStore } from '@/features/auth/hooks/use-session';

const LINKS = [
  { href: '/cameras', label: 'Cameras' },
  { href: '/webcam', label: 'Webcam' },
  { href: '/jobs', label: 'Batch jobs' },
  { href: '/health', label: 'Health' },
  { href: '/analytics', label: 'Analytics' },
  { href: '/analyses', label: 'Analyses' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/webhooks', label: 'Webhooks' },
  { href: '/people', label: 'People' },
  { href: '/members', label: 'Members' },
  { href: '/api-keys', label: 'API keys' },
  { href: '/usage', label: 'Usage' },
] as const;

/** Top navigation with the tenant, the signed-in user and sign-out. */
export function AppNav() {
  const pathname = usePathname();
  const session = useSessionStore();
  const [{ data }] = useQuery<MeResult>({ query: ME_QUERY });


  return (
    <header className="app-header">
      <nav className="app-nav" aria-label="Main">
        <Link href="/cameras" className="app-nav__brand">Trinetra</Link>
        <ul>
          {LINKS.map((l) => (
            <li key={l.href}>
              <Link href={l.href} aria-current={pathname.startsWith(l.href) ? 'page' : undefined}>{l.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="app-header__user">
        {data ? <span className="muted small" data-testid="current-user">{data.me.tenant.name}{data.me.user ? ` · ${data.me.user.email}` : ''}</span> : null}
        <button type="button" className="button" onClick={() => session.signOut()}>Sign out</button>
      </div>
    </header>
  );
}
