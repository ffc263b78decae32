'use client';

import { useSession } from '@/features/auth/hooks/use-session';
import { useConnection } from '../hooks/use-connection';
import { useNow } from '../hooks/use-now';

function describeAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  return `${m} min ${s % 60} s ago`;
}

/** Says that the live connection dropped, when the last update was, and that it reconnects. */
export function DisconnectedBanner() {
  const session = useSession();
  const connection = useConnection();
  const visible = session.status === 'signedIn' && connection.dropped && !connection.online;
  const now = useNow(visible);
  if (!visible) return null;
  const last = connection.lastUpdateAt;
  return (
    <div className="banner banner--warning" role="status" aria-live="polite" data-testid="disconnected-banner"
      data-last-update-at={last ?? ''}>
      <strong>Live connection lost.</strong>{' '}
      {last === null
        ? 'No update received yet.'
        : <>Last update at <time dateTime={new Date(last).toISOString()}>{new Date(last).toLocaleTimeString()}</time> ({describeAgo(now - last)}).</>}
      {' '}Reconnecting automatically…
    </div>
  );
}
