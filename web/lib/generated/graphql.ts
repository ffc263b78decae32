/** Drop policy class (docs/ARCHITECTURE.md): BILLING never drops; LIVE is latest-wins. */
export const CameraTier = {
  BILLING: 'BILLING',
  CRITICAL: 'CRITICAL',
  STANDARD: 'STANDARD',
  BEST_EFFORT: 'BEST_EFFORT',
  LIVE: 'LIVE'
} as const;

export type CameraTier = typeof CameraTier[keyof typeof CameraTier];
export const SourceKind = {
  FILE: 'FILE',
  NETWORK: 'NETWORK',
  UPLOAD: 'UPLOAD',
  SIMULATOR: 'SIMULATOR'
} as const;

export type SourceKind = typeof SourceKind[keyof typeof SourceKind];
/** How the worker looks at the frames: SCENE (person detector, then pose per person; store cameras) or CLOSE_UP (multi-person pose over the whole frame; phones, webcams). Simulator cameras are always simulated. */
export const CameraPerception = {
  SCENE: 'SCENE',
  CLOSE_UP: 'CLOSE_UP'
} as const;

export type CameraPerception = typeof CameraPerception[keyof typeof CameraPerception];
export const DesiredStatus = {
  RUNNING: 'RUNNING',
  STOPPED: 'STOPPED'
} as const;

export type DesiredStatus = typeof DesiredStatus[keyof typeof DesiredStatus];
export const CameraStatus = {
  IDLE: 'IDLE',
  CONNECTING: 'CONNECTING',
  LIVE: 'LIVE',
  STALLED: 'STALLED',
  RECONNECTING: 'RECONNECTING',
  FAILED: 'FAILED',
  STOPPED: 'STOPPED'
} as const;

export type CameraStatus = typeof CameraStatus[keyof typeof CameraStatus];
/** queued -> processing -> done | failed; MISSING_FILE when the path does not exist on the server. */
export const VideoJobStatus = {
  QUEUED: 'QUEUED',
  PROCESSING: 'PROCESSING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  MISSING_FILE: 'MISSING_FILE'
} as const;

export type VideoJobStatus = typeof VideoJobStatus[keyof typeof VideoJobStatus];
/** Width of each bucket of a series (UTC). */
export const StatsBucket = {
  MINUTE: 'MINUTE',
  HOUR: 'HOUR',
  DAY: 'DAY'
} as const;

export type StatsBucket = typeof StatsBucket[keyof typeof StatsBucket];
/** LOITERING: one person in the zone longer than threshold seconds. OCCUPANCY: more than threshold people in it. */
export const AlertRuleKind = {
  LOITERING: 'LOITERING',
  OCCUPANCY: 'OCCUPANCY'
} as const;

export type AlertRuleKind = typeof AlertRuleKind[keyof typeof AlertRuleKind];
export const ZoneKind = {
  AREA: 'AREA',
  LINE: 'LINE'
} as const;

export type ZoneKind = typeof ZoneKind[keyof typeof ZoneKind];
/** MALFORMED rows are skipped (no job); MISSING_FILE and DUPLICATE rows get a job. */
export const ManifestProblemKind = {
  MALFORMED: 'MALFORMED',
  MISSING_FILE: 'MISSING_FILE',
  DUPLICATE: 'DUPLICATE'
} as const;

export type ManifestProblemKind = typeof ManifestProblemKind[keyof typeof ManifestProblemKind];
export const VideoJobProgressKind = {
  STARTED: 'STARTED',
  FRAMES: 'FRAMES',
  FINISHED: 'FINISHED'
} as const;

export type VideoJobProgressKind = typeof VideoJobProgressKind[keyof typeof VideoJobProgressKind];