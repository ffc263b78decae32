import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

/**
 * Starts the compiled server (`npm start`'s entry) as a separate process on a free port and
 * resolves its GraphQL URL, read from its "listening" log line.
 */
export async function startServerProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SIGN_UP_PER_ADDRESS_PER_HOUR: '100000', SIGN_IN_FAILURES_PER_ADDRESS: '100000', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    // A server that does not come up is killed here, with the gpu-workers it started: the caller
    // never got it, so nothing else could stop it (a leaked process keeps jest from exiting).
    const timer = setTimeout(() => {
      for (const pid of childPidsOf(child.pid)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      reject(new Error(`server process did not start in ${startTimeoutMs} ms:\n${out}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}:\n${out}`)));
  });
  return { child, url };
}

/** Direct children of a process (the gpu-workers a server started), from `ps`. */
export function childPidsOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    // ps exits 1 when there are none.
    return [];
  }
}

/** A server replica a test started: its process, GraphQL URL and the gpu-workers it started. */
export interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
  /** gpu-worker processes it started (killed by the test too if its death leaves them behind). */
  workerPids: number[];
}

/** Whether a process still exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` and waits for the exit, escalating to SIGKILL after `timeoutMs`. */
export async function exitOf(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `check` every `pollMs` until it returns something truthy, or fails naming `what`. */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, pollMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The replica name (`replica-a`/`replica-b`) in a camera-lease holder value, or null. */
export const ownerName = (holder: string | null): string | null => /^(replica-[ab])-[0-9a-f]{8}#\d+$/.exec(holder ?? '')?.[1] ?? null;
