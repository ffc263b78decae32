import { Suspense, type ReactNode } from 'react';
import { RequireNoSession } from '@/features/auth/components/session-gates';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-main">
      <Suspense fallback={<p className="loading" aria-busy="true">Loading…</p>}>
        <RequireNoSession>{children}</RequireNoSession>
      </Suspense>
    </main>
  );
}
