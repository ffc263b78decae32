import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** The original TF.js runtime for a shipped graph model: the reference our ONNX output is checked against. */
export interface TfjsReference {
  /** The backend actually in use (`wasm` or `cpu`) and its thread count. */
  backend: string;
  threads: number;
  /** Runs the model on one NHWC tensor and returns its first output as float32. */
  run(data: Int32Array | Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /** Runs the model and returns the named graph outputs (TF node names), in that order. */
  runOutputs(data: Int32Array | Float32Array, shape: readonly number[], outputs: readonly string[]): Promise<Float32Array[]>;
  dispose(): void;
}

let backendReady: Promise<string> | undefined;

/**
 * Selects the TF.js backend once per process: `wasm` (XNNPACK; what the bench compares
 * against) with `threads` threads where the build supports it, or the pure-JS `cpu` backend.
 */
export function initTfjsBackend(preferred: 'wasm' | 'cpu' = 'wasm', threads = 1): Promise<string> {
  backendReady ??= (async () => {
    if (preferred === 'wasm') {
      try {
        setThreadsCount(threads);
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return 'wasm';
        }
      } catch {
        // fall through to the cpu backend
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return backendReady;
}

/** Loads a TF.js graph model from disk (model.json and its shards) without fetch. */
export async function loadTfjsReference(modelJsonPath: string, options: { backend?: 'wasm' | 'cpu'; threads?: number } = {}): Promise<TfjsReference> {
  const backend = await initTfjsBackend(options.backend ?? 'wasm', options.threads ?? 1);
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(path.dirname(modelJsonPath), p))));
  const all = Buffer.concat(shards);
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
    }),
  );
  return {
    backend,
    threads: backend === 'wasm' ? getThreadsCount() : 1,
    async run(data, shape) {
      const input = tf.tensor(data, [...shape], data instanceof Int32Array ? 'int32' : 'float32');
      const output = model.execute(input) as tf.Tensor | tf.Tensor[];
      const first = Array.isArray(output) ? output[0] : output;
      const values = Float32Array.from(await (first as tf.Tensor).data());
      input.dispose();
      (Array.isArray(output) ? output : [output]).forEach((t) => t.dispose());
      return values;
    },
    async runOutputs(data, shape, outputs) {
      const input = tf.tensor(data, [...shape], data instanceof Int32Array ? 'int32' : 'float32');
      const result = model.execute(input, [...outputs]) as tf.Tensor | tf.Tensor[];
      const tensors = Array.isArray(result) ? result : [result];
      const values = await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
      input.dispose();
      tensors.forEach((t) => t.dispose());
      return values;
    },
    dispose: () => model.dispose(),
  };
}
