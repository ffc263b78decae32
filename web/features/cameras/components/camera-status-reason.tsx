import type { CameraStatusReason } from '@/lib/generated/graphql';

/** Headline per reason; the message from the server carries the detail and what to do next. */
const HEADLINES: Readonly<Record<CameraStatusReason, string>> = {
  SOURCE_NOT_FOUND: 'Video file not found',
  SOURCE_UNREACHABLE: 'Camera unreachable',
  SOURCE_NOT_ALLOWED: 'Address not allowed',
  DECODE_ERROR: 'Video cannot be decoded',
  STALLED: 'No frames arriving',
  ENDED: 'Video ended',
};

/**
 * Why a camera is not delivering frames (`Camera.statusReason` / `statusMessage`, kept by the
 * server until the source starts again). `compact` is the one-line form of the camera list.
 */
export function CameraStatusReasonNote({ reason, message, compact = false }: { reason: CameraStatusReason | null; message: string | null; compact?: boolean }) {
  if (!reason) return null;
  const tone = reason === 'ENDED' ? 'info' : reason === 'STALLED' ? 'warning' : 'error';
  if (compact) {
    return (
      <div className={`status-reason status-reason--${tone} small`} data-testid="camera-status-reason" data-reason={reason} title={message ?? undefined}>
        {HEADLINES[reason]}
      </div>
    );
  }
  return (
    <div className={`status-reason status-reason--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid="camera-status-reason" data-reason={reason}>
      <strong>{HEADLINES[reason]}.</strong> {message}
    </div>
  );
}
