import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ENTRY = path.resolve(__dirname, '..', '..', '..', 'gpu-worker', 'dist', 'worker', 'main.js');

/**
 * Starts one real gpu-worker process (compiled) on a queue; resolves once it is ready. `log()` is
 * the last 4,000 characters it printed (model loads, warnings), for failure messages.
 */
export async function startTestWorker(env: Record<string, string>): Promise<{ child: ChildProcess; log(): string; stop(): Promise<void> }> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker not ready in 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('gpu-worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${out}`)));
  });
  let printed = '';
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (printed = (printed + chunk.toString()).slice(-4_000)));
  return {
    child,
    log: () => printed,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
