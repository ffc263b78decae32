/**
 * Skeleton topology and per-track colours. Keypoints follow the COCO-17 order that MoveNet
 * and most pose models emit; a pose with 33 points (BlazePose) is drawn through its first 17
 * mapped in {@link BLAZEPOSE_TO_COCO}.
 */

/** COCO-17 keypoint names in index order. */
export const COCO_KEYPOINTS = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
  'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
  'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
] as const;

/** Bones as index pairs into COCO-17. */
export const COCO_EDGES: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [0, 2], [1, 3], [2, 4],
  [5, 6], [5, 7], [7, 9], [6, 8], [8, 10],
  [5, 11], [6, 12], [11, 12],
  [11, 13], [13, 15], [12, 14], [14, 16],
];

/** BlazePose-33 index of each COCO-17 keypoint. */
export const BLAZEPOSE_TO_COCO: readonly number[] = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28];

/** Bones for a pose with `count` keypoints, in that pose's own indices. */
export function edgesFor(count: number): ReadonlyArray<readonly [number, number]> {
  if (count >= 33) return COCO_EDGES.map(([a, b]) => [BLAZEPOSE_TO_COCO[a] ?? a, BLAZEPOSE_TO_COCO[b] ?? b] as const);
  return COCO_EDGES.filter(([a, b]) => a < count && b < count);
}

function hashString(value: string): number {
  let hash = 2166136261;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/**
 * A stable, well-separated colour per track id: numeric ids step round the hue circle by the
 * golden angle so consecutive ids differ strongly; other ids hash.
 */
export function trackColour(trackId: string): string {
  const n = /^\d+$/.test(trackId) ? Number(trackId) : hashString(trackId);
  const hue = Math.round((n * 137.508) % 360);
  return `hsl(${hue} 85% 55%)`;
}
