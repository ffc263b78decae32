/**
 * The one place that turns a camera's or a batch job's state into words a person understands:
 * a short label for the badge and an explanation for its tooltip, with what to do next.
 *
 * A camera has two states: what it was asked to be (`desiredStatus`: RUNNING or STOPPED) and
 * what it is (`status`). Showing both raw ("Failed → Running", "Idle → Stopped") left people
 * guessing, so every combination has its own wording here. The tables are typed by the
 * generated enums (lib/generated, `npm run codegen`): a new state on the server fails the
 * type check and status-wording.test.ts until it is worded.
 */
import type { CameraStatus, DesiredStatus, VideoJobStatus } from '../../lib/generated/graphql';

/** How the badge is coloured: ok (green), busy (amber), bad (red), neutral (grey). */
export type StatusTone = 'ok' | 'busy' | 'bad' | 'neutral';

export interface StatusWording {
  /** One or two words for the badge. */
  label: string;
  /** What the state means and what to do next: the badge's tooltip. */
  explanation: string;
  tone: StatusTone;
}

type CameraWordings = Record<CameraStatus, Record<DesiredStatus, StatusWording>>;

const STOPPING: StatusWording = {
  label: 'Stopping',
  explanation: 'You stopped this camera; its source is being closed.',
  tone: 'busy',
};

/** A stopped camera whose video ended is finished, not merely stopped (Camera.statusReason ENDED). */
const ENDED: StatusWording = {
  label: 'Finished',
  explanation: 'The video was read to its end and the camera stopped by itself; its tracks stay available. Press Start to play it again.',
  tone: 'neutral',
};

const FAILED: StatusWording = {
  label: 'Failed',
  explanation: 'The source could not be opened or broke off, so the camera stopped (see the reason beside it). Fix the source with Edit, then press Start.',
  tone: 'bad',
};

const CAMERA: CameraWordings = {
  IDLE: {
    RUNNING: { label: 'Starting', explanation: 'Asked to run; its source has not been opened yet. This takes a few seconds.', tone: 'busy' },
    STOPPED: { label: 'Not started', explanation: 'This camera has never run. Press Start to open its source and see people and tracks.', tone: 'neutral' },
  },
  CONNECTING: {
    RUNNING: { label: 'Connecting', explanation: 'Opening the source (file, stream or simulator) and waiting for its first frame.', tone: 'busy' },
    STOPPED: STOPPING,
  },
  LIVE: {
    RUNNING: { label: 'Running', explanation: 'Frames arrive and are processed: people, poses and tracks appear on the live view.', tone: 'ok' },
    STOPPED: STOPPING,
  },
  STALLED: {
    RUNNING: {
      label: 'No frames',
      explanation: 'The source is open but has sent no frame for a while. It keeps waiting; check that the stream or device is still sending.',
      tone: 'busy',
    },
    STOPPED: STOPPING,
  },
  RECONNECTING: {
    RUNNING: { label: 'Reconnecting', explanation: 'The source dropped; it is retried automatically with increasing pauses.', tone: 'busy' },
    STOPPED: STOPPING,
  },
  FAILED: {
    // The server sets a failed camera's desired state to STOPPED (it is not retried by itself); a
    // page may still hold RUNNING from before the failure, so both read the same.
    RUNNING: FAILED,
    STOPPED: FAILED,
  },
  STOPPED: {
    // A source that ended stops its camera (desired STOPPED, reason ENDED); a page may still hold RUNNING.
    RUNNING: ENDED,
    STOPPED: { label: 'Stopped', explanation: 'The camera is not running. Press Start to run it again.', tone: 'neutral' },
  },
};

const JOB: Record<VideoJobStatus, StatusWording> = {
  QUEUED: { label: 'Waiting', explanation: 'Imported and waiting for a worker; jobs run a few at a time in the order they were imported.', tone: 'neutral' },
  PROCESSING: { label: 'Processing', explanation: 'A worker is reading the video frame by frame; the progress shows how far it is.', tone: 'busy' },
  DONE: { label: 'Done', explanation: 'Every frame was processed; the output file can be downloaded.', tone: 'ok' },
  FAILED: { label: 'Failed', explanation: 'The video could not be processed (see the error on its row). Fix the file and import it again.', tone: 'bad' },
  MISSING_FILE: {
    label: 'File not found',
    explanation: 'The manifest names a file that does not exist or is outside the allowed media folders. Check the path and import again.',
    tone: 'bad',
  },
};

/**
 * Wording of a camera state; `reason` is Camera.statusReason when known (its own note shows the
 * detail). Unknown values (a server newer than this dashboard) are shown raw.
 */
export function cameraStatusWording(status: string, desired: string, reason?: string | null): StatusWording {
  if (status === 'STOPPED' && reason === 'ENDED') return ENDED;
  const byDesired = (CAMERA as Record<string, Record<string, StatusWording> | undefined>)[status];
  const wording = byDesired?.[desired];
  return wording ?? { label: status.toLowerCase().replace(/_/g, ' '), explanation: `State ${status} (asked to be ${desired}).`, tone: 'neutral' };
}

/** Wording of a batch job state; unknown values are shown raw. */
export function videoJobStatusWording(status: string): StatusWording {
  const wording = (JOB as Record<string, StatusWording | undefined>)[status];
  return wording ?? { label: status.toLowerCase().replace(/_/g, ' '), explanation: `State ${status}.`, tone: 'neutral' };
}
