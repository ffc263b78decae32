import * as ort from 'onnxruntime-node';
import { decodeMoveNetMultiPose } from '../postprocess/movenet-multipose.decoder';
import { decodeYoloV8Pose } from '../postprocess/yolov8-pose.decoder';
import type { LetterboxTransform } from '../preprocess/letterbox.preprocessor';
import { packImages } from '../preprocess/tensor-layout';
import type { PersonDetection } from './inference-backend';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { type LoadedSession, inputDim } from './onnx-session.factory';

/** Model kinds a pose backend can serve. */
export type PoseModelKind = 'movenet-multipose' | 'yolov8-pose';

/** What the backend needs to know about one pose model: input geometry, packing, decoding. */
export interface PoseModelAdapter {
  readonly kind: PoseModelKind;
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Letterbox padding grey level. */
  readonly padValue: number;
  /** Frames per `session.run`: 1 when the graph has a fixed batch of 1. */
  readonly maxBatch: number;
  /** Packs letterboxed RGB images into the model's input tensor. */
  toInput(images: readonly Uint8Array[]): ort.Tensor;
  /** One list of persons per image, in original pixels. */
  decode(output: ort.Tensor, transforms: readonly LetterboxTransform[]): PersonDetection[][];
}

/** Thresholds shared by the pose adapters (see the decoders for defaults and trade-offs). */
export interface PoseDecodeSettings {
  minPersonScore?: number;
  iouThreshold?: number;
  /** Frames per call when the model has a symbolic batch axis. Default 8. */
  maxBatch?: number;
}

function floatData(t: ort.Tensor, file: string): Float32Array {
  if (!(t.data instanceof Float32Array)) {
    throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${file}: expected a float32 output, got ${t.type}`, { file });
  }
  return t.data;
}

/** MoveNet MultiPose: `[1, H, W, 3]` int32 in, `[1, 6, 56]` out; one frame per call. */
export function moveNetMultiPoseAdapter(loaded: LoadedSession, settings: PoseDecodeSettings = {}): PoseModelAdapter {
  const meta = loaded.session.inputMetadata[0];
  const width = inputDim(loaded.session, 2);
  const height = inputDim(loaded.session, 1);
  if (!meta?.isTensor || meta.type !== 'int32' || !width || !height || inputDim(loaded.session, 3) !== 3) {
    throw new InferenceError(
      InferenceErrorCode.MODEL_INVALID,
      `${loaded.modelPath} is not a MoveNet MultiPose model (want an int32 [1, H, W, 3] input with fixed H and W); re-run \`npm run models:prepare\``,
      { file: loaded.modelPath },
    );
  }
  return {
    kind: 'movenet-multipose',
    inputWidth: width,
    inputHeight: height,
    padValue: 0,
    maxBatch: 1,
    toInput: (images) => new ort.Tensor('int32', packImages(images, width, height, 'nhwc', 'int32'), [images.length, height, width, 3]),
    decode: (output, transforms) => {
      const data = floatData(output, loaded.modelPath);
      const per = data.length / transforms.length;
      return transforms.map((t, i) =>
        decodeMoveNetMultiPose(data.subarray(i * per, (i + 1) * per), t, { minPersonScore: settings.minPersonScore ?? 0.25 }),
      );
    },
  };
}

/** YOLOv8-pose (Ultralytics export): `[N, 3, H, W]` float 0-1 in, `[N, 56, anchors]` out. */
export function yoloV8PoseAdapter(loaded: LoadedSession, settings: PoseDecodeSettings = {}): PoseModelAdapter {
  const meta = loaded.session.inputMetadata[0];
  const width = inputDim(loaded.session, 3);
  const height = inputDim(loaded.session, 2);
  if (!meta?.isTensor || meta.type !== 'float32' || !width || !height || inputDim(loaded.session, 1) !== 3) {
    throw new InferenceError(
      InferenceErrorCode.MODEL_INVALID,
      `${loaded.modelPath} is not a YOLOv8-pose model (want a float32 [N, 3, H, W] input with fixed H and W); export it with \`yolo export format=onnx\``,
      { file: loaded.modelPath },
    );
  }
  const fixedBatch = inputDim(loaded.session, 0);
  return {
    kind: 'yolov8-pose',
    inputWidth: width,
    inputHeight: height,
    padValue: 114,
    maxBatch: fixedBatch ?? settings.maxBatch ?? 8,
    toInput: (images) =>
      new ort.Tensor('float32', packImages(images, width, height, 'nchw', 'float32', { mean: 0, std: 255 }), [images.length, 3, height, width]),
    decode: (output, transforms) => {
      const data = floatData(output, loaded.modelPath);
      const [, channels, anchors] = output.dims;
      if (channels !== 56 || !anchors) {
        throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${loaded.modelPath}: expected output [N, 56, anchors], got [${output.dims.join(', ')}]`, {
          file: loaded.modelPath,
        });
      }
      return transforms.map((t, i) =>
        decodeYoloV8Pose(data.subarray(i * 56 * anchors, (i + 1) * 56 * anchors), anchors, t, {
          minScore: settings.minPersonScore ?? 0.25,
          iouThreshold: settings.iouThreshold ?? 0.45,
        }),
      );
    },
  };
}
