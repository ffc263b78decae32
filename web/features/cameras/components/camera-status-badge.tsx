/** A status word with a colour; `desired` shows what the camera was asked to be when it differs. */
export function CameraStatusBadge({ status, desired }: { status: string; desired?: string }) {
  const tone = status.toLowerCase();
  return (
    <span className={`badge badge--${tone}`} data-status={status}>
      {status.toLowerCase().replace(/_/g, ' ')}
      {desired && desired !== status ? <span className="badge__desired"> → {desired.toLowerCase()}</span> : null}
    </span>
  );
}
