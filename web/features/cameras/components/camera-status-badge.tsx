import { useId } from 'react';
import { cameraStatusWording } from '@/features/status/status-wording';

/**
 * A camera's state in words (features/status/status-wording.ts): the label on a coloured badge,
 * the explanation as its tooltip (shown on hover and on focus, so a tap shows it on a phone)
 * and, for screen readers, as its description. `reason` (Camera.statusReason) tells a finished
 * video from a stopped camera. `data-status` and `data-desired` keep the raw states for tests.
 */
export function CameraStatusBadge({ status, desired, reason }: { status: string; desired: string; reason?: string | null }) {
  const wording = cameraStatusWording(status, desired, reason);
  const descriptionId = useId();
  return (
    <span className="status-badge">
      <span className={`badge badge--tone-${wording.tone}`} data-status={status} data-desired={desired} aria-describedby={descriptionId} tabIndex={0}>
        {wording.label}
      </span>
      <span id={descriptionId} role="tooltip" className="status-badge__tip">{wording.explanation}</span>
    </span>
  );
}
