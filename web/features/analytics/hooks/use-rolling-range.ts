'use client';

import { useEffect, useState } from 'react';

function rangeOf(windowMs: number): { from: string; to: string } {
  // `to` a minute ahead so that the minute being written is included.
  return { from: new Date(Date.now() - windowMs).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
}

/** [now - windowMs, now + 1 min), moved forward every refreshMs so that queries re-run. */
export function useRollingRange(windowMs: number, refreshMs: number): { from: string; to: string } {
  const [range, setRange] = useState(() => rangeOf(windowMs));
  useEffect(() => {
    const timer = setInterval(() => setRange(rangeOf(windowMs)), refreshMs);
    return () => clearInterval(timer);
  }, [windowMs, refreshMs]);
  return range;
}
