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
/** Why a camera is not delivering frames: SOURCE_NOT_FOUND (file gone), SOURCE_UNREACHABLE (network camera did not answer), SOURCE_NOT_ALLOWED (address refused), DECODE_ERROR, STALLED (reconnecting), ENDED (a file reached its end). */
export const CameraStatusReason = {
  SOURCE_NOT_FOUND: 'SOURCE_NOT_FOUND',
  SOURCE_UNREACHABLE: 'SOURCE_UNREACHABLE',
  SOURCE_NOT_ALLOWED: 'SOURCE_NOT_ALLOWED',
  DECODE_ERROR: 'DECODE_ERROR',
  STALLED: 'STALLED',
  ENDED: 'ENDED'
} as const;

export type CameraStatusReason = typeof CameraStatusReason[keyof typeof CameraStatusReason];
/** queued -> processing -> done | failed; MISSING_FILE when the path does not exist on the server. */
export const VideoJobStatus = {
  QUEUED: 'QUEUED',
  PROCESSING: 'PROCESSING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  MISSING_FILE: 'MISSING_FILE'
} as const;

export type VideoJobStatus = typeof VideoJobStatus[keyof typeof VideoJobStatus];
/** NO_DETECTIONS: frames were processed but nobody was detected. */
export const VideoJobWarningCode = {
  NO_DETECTIONS: 'NO_DETECTIONS'
} as const;

export type VideoJobWarningCode = typeof VideoJobWarningCode[keyof typeof VideoJobWarningCode];
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
  OCCUPANCY: 'OCCUPANCY',
  VIP_ARRIVAL: 'VIP_ARRIVAL',
  REPEAT_VISITOR: 'REPEAT_VISITOR'
} as const;

export type AlertRuleKind = typeof AlertRuleKind[keyof typeof AlertRuleKind];
export const ZoneKind = {
  AREA: 'AREA',
  LINE: 'LINE'
} as const;

export type ZoneKind = typeof ZoneKind[keyof typeof ZoneKind];
/** CMJ: countermovement jump. DROP_JUMP. SQUAT: reps. RUNNING: side view. */
export const Sport = {
  CMJ: 'CMJ',
  SQUAT: 'SQUAT',
  DROP_JUMP: 'DROP_JUMP',
  RUNNING: 'RUNNING'
} as const;

export type Sport = typeof Sport[keyof typeof Sport];
export const AnalysisEventKind = {
  JUMP: 'JUMP',
  REP: 'REP',
  STEP: 'STEP'
} as const;

export type AnalysisEventKind = typeof AnalysisEventKind[keyof typeof AnalysisEventKind];
export const MetricScope = {
  PER_EVENT: 'PER_EVENT',
  SUMMARY: 'SUMMARY'
} as const;

export type MetricScope = typeof MetricScope[keyof typeof MetricScope];
/** QUEUED -> RUNNING -> DONE (numbers) | FAILED (a reason, no numbers). */
export const AnalysisStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  FAILED: 'FAILED'
} as const;

export type AnalysisStatus = typeof AnalysisStatus[keyof typeof AnalysisStatus];
/** Why a FAILED analysis has no numbers: NO_EVENT_DETECTED (no jump/rep/step: wrong sport for the video?), INSUFFICIENT_FRAME_RATE, INSUFFICIENT_KEYPOINTS (body not visible), IMPLAUSIBLE (a value outside physiology, see flags), NO_PERSON, TRACK_NOT_FOUND, SOURCE_FAILED (the video could not be processed), INVALID_INPUT, INTERNAL_ERROR. */
export const AnalysisFailureReason = {
  NO_EVENT_DETECTED: 'NO_EVENT_DETECTED',
  INSUFFICIENT_FRAME_RATE: 'INSUFFICIENT_FRAME_RATE',
  INSUFFICIENT_KEYPOINTS: 'INSUFFICIENT_KEYPOINTS',
  IMPLAUSIBLE: 'IMPLAUSIBLE',
  NO_PERSON: 'NO_PERSON',
  TRACK_NOT_FOUND: 'TRACK_NOT_FOUND',
  SOURCE_FAILED: 'SOURCE_FAILED',
  INVALID_INPUT: 'INVALID_INPUT',
  INTERNAL_ERROR: 'INTERNAL_ERROR'
} as const;

export type AnalysisFailureReason = typeof AnalysisFailureReason[keyof typeof AnalysisFailureReason];
export const AnalysisSourceKind = {
  UPLOAD: 'UPLOAD',
  VIDEO_JOB: 'VIDEO_JOB',
  CAMERA_WINDOW: 'CAMERA_WINDOW'
} as const;

export type AnalysisSourceKind = typeof AnalysisSourceKind[keyof typeof AnalysisSourceKind];
/** REQUESTED: options.trackId. MAIN: the main person, the largest in each frame (the athlete in front of the camera), stitched across track ids; trackId is the id they carried most often. */
export const TrackChoice = {
  REQUESTED: 'REQUESTED',
  MAIN: 'MAIN'
} as const;

export type TrackChoice = typeof TrackChoice[keyof typeof TrackChoice];
/** Roles of the permission table (docs/TEAM.md). */
export const MemberRole = {
  OWNER: 'OWNER',
  ADMIN: 'ADMIN',
  MEMBER: 'MEMBER',
  VIEWER: 'VIEWER'
} as const;

export type MemberRole = typeof MemberRole[keyof typeof MemberRole];
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
export const AnalysisStage = {
  QUEUED: 'QUEUED',
  DECODING: 'DECODING',
  ANALYSING: 'ANALYSING',
  LIVE: 'LIVE',
  FINISHED: 'FINISHED'
} as const;

export type AnalysisStage = typeof AnalysisStage[keyof typeof AnalysisStage];