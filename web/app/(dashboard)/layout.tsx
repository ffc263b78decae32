import type { ReactNode } from 'react';
import { RequireSession } from '@/features/auth/components/session-gates';
import { AppNav } from '@/features/shell/components/app-nav';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <AppNav />
      <main className="app-main">{children}</main>
    </RequireSession>
  );
}
