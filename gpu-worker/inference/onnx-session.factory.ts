import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { InferenceError, InferenceErrorCode } from './inference.error';

/** Session settings, from the worker's validated config. */
export interface OnnxSessionOptions {
  /**
   * Threads inside one op (convolutions). Default 1: the worker pool scales by processes; set
   * it to the cores one worker may use. More threads lower latency until they contend with
   * other workers.
   */
  intraOpThreads?: number;
  /** Threads across independent ops. Default 1 (these graphs are mostly sequential). */
  interOpThreads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next op. Default false: spinning only pays on
   * cores nobody else uses; on a machine shared with the server, Redis or other workers it
   * burns the CPU the others need (measured on 2 shared cores, 2 threads: NanoDet + 6 MoveNet
   * runs took 428 ms wall / 222 ms CPU per frame spinning, 169 ms / 102 ms without).
   */
  allowSpinning?: boolean;
  /** Try the CUDA execution provider first. Default true; falls back to CPU with a warning. */
  preferCuda?: boolean;
  /** Warnings (CUDA fallback). Default: console.warn. */
  warn?: (message: string) => void;
  /** Called once when CUDA was wanted but the CPU provider is used; wire it to a metric. */
  onCpuFallback?: (reason: string) => void;
  /** What to tell the operator when a model file is missing. */
  missingFileHint?: string;
}

/** A loaded session and the execution provider it runs on. */
export interface LoadedSession {
  session: ort.InferenceSession;
  executionProvider: 'cuda' | 'cpu';
  modelPath: string;
}

/**
 * Loads an ONNX model once. A missing or unloadable file is an `InferenceError` that names the
 * file and the fix; it is meant to stop start-up.
 */
export async function loadOnnxSession(modelPath: string, options: OnnxSessionOptions = {}): Promise<LoadedSession> {
  if (!existsSync(modelPath)) {
    throw new InferenceError(
      InferenceErrorCode.MODEL_FILE_MISSING,
      `model file ${modelPath} does not exist; ${options.missingFileHint ?? 'run `npm run models:prepare` or fix the configured model path'}`,
      { file: modelPath },
    );
  }
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: options.interOpThreads ?? 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
  };
  const warn = options.warn ?? ((m: string) => console.warn(m));
  if (options.preferCuda ?? true) {
    try {
      const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cuda'] });
      return { session, executionProvider: 'cuda', modelPath };
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? 'unavailable') : String(error);
      warn(`[inference] CUDA execution provider unavailable for ${modelPath} (${reason}); using CPU`);
      options.onCpuFallback?.(reason);
    }
  }
  try {
    const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
    return { session, executionProvider: 'cpu', modelPath };
  } catch (cause) {
    throw new InferenceError(
      InferenceErrorCode.MODEL_INVALID,
      `onnxruntime cannot load ${modelPath}: ${cause instanceof Error ? cause.message : String(cause)}; re-run \`npm run models:prepare\` or point the config at a valid ONNX file`,
      { file: modelPath },
      { cause },
    );
  }
}

/** The static size of dimension `i` of a session input, or undefined when symbolic. */
export function inputDim(session: ort.InferenceSession, i: number): number | undefined {
  const meta = session.inputMetadata[0];
  if (!meta || !meta.isTensor) return undefined;
  const d = meta.shape[i];
  return typeof d === 'number' && d > 0 ? d : undefined;
}
