import { useId } from 'react';
import { videoJobStatusWording } from '../status-wording';

/**
 * A batch job's state in words (status-wording.ts), with its explanation as a tooltip on hover
 * and focus and as the badge's description; styled like the camera badge (globals.css
 * `.status-badge`). `data-status` keeps the raw state for tests.
 */
export function VideoJobStatusBadge({ status }: { status: string }) {
  const wording = videoJobStatusWording(status);
  const descriptionId = useId();
  return (
    <span className="status-badge">
      <span className={`badge badge--tone-${wording.tone}`} data-status={status} aria-describedby={descriptionId} tabIndex={0}>
        {wording.label}
      </span>
      <span id={descriptionId} role="tooltip" className="status-badge__tip">{wording.explanation}</span>
    </span>
  );
}
