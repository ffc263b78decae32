/** Which smoothing group a joint belongs to; each group has its own default EMA alpha. */
export type JointGroup = 'face' | 'wrist' | 'finger' | 'elbow' | 'torso' | 'leg';

/** A named keypoint layout (order of joints in a model's output). */
export interface KeypointLayout {
  readonly name: string;
  readonly joints: readonly string[];
}

/** COCO 17 (MoveNet, YOLO-pose, most 2D pose models). */
export const COCO_17: KeypointLayout = {
  name: 'coco-17',
  joints: [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow',
    'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle',
    'right_ankle',
  ],
};

/** BlazePose 33 (full body with hands and feet). */
export const BLAZEPOSE_33: KeypointLayout = {
  name: 'blazepose-33',
  joints: [
    'nose', 'left_eye_inner', 'left_eye', 'left_eye_outer', 'right_eye_inner', 'right_eye', 'right_eye_outer', 'left_ear',
    'right_ear', 'mouth_left', 'mouth_right', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist',
    'right_wrist', 'left_pinky', 'right_pinky', 'left_index', 'right_index', 'left_thumb', 'right_thumb', 'left_hip',
    'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle', 'left_heel', 'right_heel', 'left_foot_index',
    'right_foot_index',
  ],
};

/** Classifies a joint name into a {@link JointGroup}. */
export function jointGroup(joint: string): JointGroup {
  if (/wrist/.test(joint)) return 'wrist';
  if (/pinky|index|thumb/.test(joint) && !/foot/.test(joint)) return 'finger';
  if (/nose|eye|ear|mouth/.test(joint)) return 'face';
  if (/elbow/.test(joint)) return 'elbow';
  if (/shoulder|hip/.test(joint)) return 'torso';
  return 'leg';
}

/**
 * Per-group EMA weight of the new measurement (smoothed = alpha * raw + (1 - alpha) * previous).
 * Wrists 0.3, fingers 0.55, face 0.4 are the original design's values; for the other joints we
 * chose: elbows 0.4 (fast and noisy, between wrists and torso), torso 0.5 (large, well
 * detected, moves with the body), legs 0.5 (knees and ankles carry gait and jump timing, so
 * less lag matters more than the last bit of jitter).
 */
export const DEFAULT_EMA_ALPHAS: Readonly<Record<JointGroup, number>> = {
  wrist: 0.3,
  finger: 0.55,
  face: 0.4,
  elbow: 0.4,
  torso: 0.5,
  leg: 0.5,
};
