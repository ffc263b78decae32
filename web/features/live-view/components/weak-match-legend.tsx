import Link from 'next/link';
import { useId } from 'react';
import { weakBadge } from '../domain/draw-overlay';

/** Why a track has the "unconfirmed" badge, and what the admin can do about it. */
export const WEAK_MATCH_EXPLANATION =
  'Resembles an enrolled person, below the match threshold: not named. A weak match never names anyone. '
  + 'If this is someone you enrolled, add a clearer, front-facing photo of them (People, Add photo); '
  + 'if weak matches happen mostly on this camera (light, angle), review its threshold offset.';

/**
 * The weakly matched tracks in view, as the badges the canvas draws, each with the explanation
 * as its tooltip (hover or focus), and a one-line legend. Renders nothing when there are none.
 */
export function WeakMatchLegend({ tracks }: { tracks: ReadonlyArray<{ trackId: number; similarity: number }> }) {
  const tipId = useId();
  if (tracks.length === 0) return null;
  return (
    <div className="weak-legend" data-testid="weak-match-legend">
      <span id={tipId} hidden>{WEAK_MATCH_EXPLANATION}</span>
      {tracks.map((t) => (
        <span className="status-badge" key={t.trackId}>
          <span className="badge badge--weak" tabIndex={0} aria-describedby={tipId} data-testid="weak-match-badge" data-track-id={t.trackId}>
            #{t.trackId} {weakBadge(t.similarity)}
          </span>
          <span role="tooltip" className="status-badge__tip">{WEAK_MATCH_EXPLANATION}</span>
        </span>
      ))}
      <p className="muted small weak-legend__text">
        <strong>? unconfirmed</strong>: resembles an enrolled person, below the match threshold: not named.{' '}
        <Link href="/people#identity-health-title">What to do</Link>
      </p>
    </div>
  );
}
