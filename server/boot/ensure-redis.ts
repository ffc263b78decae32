import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger';

export interface RedisHandle {
  redisUrl: string;
  started: boolean;
  stop(): Promise<void>;
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export const REDIS_HELP = [
  'No Redis answers at REDIS_URL and no `redis-server` is on the PATH.',
  'Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`)',
  'or point REDIS_URL at a running Redis, then run `npm start` again.',
].join('\n');

/**
 * Finds Redis at the configured URL; when nothing answers and `redis-server` is on the PATH,
 * starts one on that port (in memory only: Trinetra keeps nothing in Redis that must outlive
 * it). Otherwise fails with instructions.
 */
export async function ensureRedis(redisUrl: string, logger: Logger): Promise<RedisHandle> {
  if (await ping(redisUrl)) return { redisUrl, started: false, stop: async () => undefined };
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (which.status !== 0 || !binary) throw new Error(REDIS_HELP);
  const port = Number(new URL(redisUrl).port || 6379);
  logger.warn({ port }, 'no Redis answers at REDIS_URL; starting redis-server');
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (await ping(redisUrl)) {
      return {
        redisUrl,
        started: true,
        stop: async () => {
          child.kill('SIGTERM');
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server started but does not answer on port ${port}`);
}
