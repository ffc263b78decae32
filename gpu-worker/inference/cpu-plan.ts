import os from 'node:os';

/** How a machine's cores are split between worker processes and onnxruntime threads. */
export interface WorkerCpuPlan {
  cores: number;
  /** gpu-worker processes to run on this machine. */
  processes: number;
  /** onnxruntime intra-op threads per session in each of them. */
  intraOpThreads: number;
}

/**
 * The default split of `cores` (default: `os.availableParallelism()`). onnxruntime-node runs a
 * session on the calling thread, so one worker process computes one frame at a time: processes
 * scale throughput, intra-op threads cut one frame's latency (and help SCENE frames most, whose
 * detector and per-person pose runs are sequential). Up to 3 cores: one process using them all
 * (the server and Redis share the machine). From 4: one core is left to the server, and the
 * rest go to processes of 2 threads each (2 threads gain ~1.6x per frame; beyond 2 the gain
 * falls off for 192-416 px models).
 */
export function workerCpuPlan(cores: number = os.availableParallelism()): WorkerCpuPlan {
  const n = Math.max(1, Math.floor(cores));
  if (n <= 3) return { cores: n, processes: 1, intraOpThreads: n };
  const usable = n - 1;
  return { cores: n, processes: Math.max(1, Math.floor(usable / 2)), intraOpThreads: 2 };
}
