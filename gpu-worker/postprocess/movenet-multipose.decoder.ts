import type { PersonDetection } from '../inference/inference-backend';
import type { LetterboxTransform } from '../preprocess/letterbox.preprocessor';
import { undoLetterboxBox, undoLetterboxKeypoint } from './letterbox-inverse';

/** MoveNet MultiPose output: 6 rows of 56 values (17 x [y, x, score], then ymin, xmin, ymax, xmax, score), normalized to the input. */
export const MOVENET_MAX_PERSONS = 6;
export const MOVENET_ROW = 56;
export const COCO_KEYPOINTS = 17;

/** Options of {@link decodeMoveNetMultiPose}. */
export interface MoveNetDecodeOptions {
  /**
   * Minimum person score to report. Default 0.25 (TF pose-detection's default for MultiPose);
   * lower finds more partly hidden people at the cost of ghosts.
   */
  minPersonScore?: number;
}

/** Decodes one frame's `[1, 6, 56]` output into persons in original image pixels, best first. */
export function decodeMoveNetMultiPose(
  output: Float32Array,
  transform: LetterboxTransform,
  options: MoveNetDecodeOptions = {},
): PersonDetection[] {
  const minScore = options.minPersonScore ?? 0.25;
  const persons: PersonDetection[] = [];
  const rows = Math.floor(output.length / MOVENET_ROW);
  for (let r = 0; r < rows; r++) {
    const o = r * MOVENET_ROW;
    const at = (i: number): number => output[o + i] ?? 0;
    const score = at(55);
    if (score < minScore) continue;
    const w = transform.targetWidth;
    const h = transform.targetHeight;
    const keypoints = Array.from({ length: COCO_KEYPOINTS }, (_, k) =>
      undoLetterboxKeypoint({ x: at(k * 3 + 1) * w, y: at(k * 3) * h, score: at(k * 3 + 2) }, transform),
    );
    const box = undoLetterboxBox(at(52) * w, at(51) * h, at(54) * w, at(53) * h, transform);
    persons.push({ box, score, keypoints });
  }
  return persons.sort((a, b) => b.score - a.score);
}
