import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertServerCameraUrlAllowedOrThrow } from '../application/camera.service';
import type { SourceStatusChange } from '../domain/frame-source';
import { NetworkCameraSource } from './network-camera.source';

/**
 * SSRF past the first hop (issue 10, row 5): a camera host the tenant may reach (127.0.0.2,
 * allowlisted by CIDR) sends ffmpeg on to 127.0.0.1, which the guard refuses, by an HTTP 302
 * or by an HLS segment URL. The refused server records every request; it must see none.
 */

const ALLOWLIST = ['127.0.0.2/32'];

async function listen(host: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

let victim: { server: Server; port: number };
let front: { server: Server; port: number };
const victimHits: string[] = [];
const frontHits: string[] = [];

beforeAll(async () => {
  victim = await listen('127.0.0.1', (req, res) => {
    victimHits.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end(Buffer.alloc(188 * 10));
  });
  front = await listen('127.0.0.2', (req, res) => {
    frontHits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: `http://127.0.0.1:${victim.port}/internal-admin` }).end();
    } else if (req.url === '/live.m3u8') {
      const playlist = [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXTINF:2.0,',
        `http://127.0.0.1:${victim.port}/seg0.ts`,
        '#EXT-X-ENDLIST',
        '',
      ];
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(playlist.join('\n'));
    } else {
      res.writeHead(404).end();
    }
  });
});

afterAll(async () => {
  await Promise.all([victim, front].map(({ server }) => new Promise((r) => server.close(r))));
});

beforeEach(() => {
  victimHits.length = 0;
  frontHits.length = 0;
});

/** Runs one camera through one connection attempt (the guard passes: the first host is allowlisted). */
async function attempt(url: string): Promise<SourceStatusChange[]> {
  const statuses: SourceStatusChange[] = [];
  const source = new NetworkCameraSource({
    cameraId: 'ssrf',
    url,
    connectTimeoutMs: 5000,
    reconnect: { baseDelayMs: 10, maxAttempts: 0 },
    beforeConnect: async () => {
      await assertServerCameraUrlAllowedOrThrow(url, ALLOWLIST);
    },
  });
  const ended = new Promise<void>((resolve) =>
    source.subscribe({
      onStatus: (change) => {
        statuses.push(change);
        if (change.to === 'failed' || change.to === 'live') resolve();
      },
    }),
  );
  await source.start();
  await ended;
  await source.stop();
  return statuses;
}

describe('network cameras: every hop is a host the guard allows', () => {
  it('the guard itself refuses the hidden host and allows the front one', async () => {
    await expect(assertServerCameraUrlAllowedOrThrow(`http://127.0.0.1:${victim.port}/`, ALLOWLIST)).rejects.toMatchObject({ code: 'URL_ADDRESS_BLOCKED' });
    await expect(assertServerCameraUrlAllowedOrThrow(`http://127.0.0.2:${front.port}/`, ALLOWLIST)).resolves.toBeDefined();
  });

  it('does not follow an HTTP 302 to a refused host', async () => {
    const statuses = await attempt(`http://127.0.0.2:${front.port}/redirect`);
    expect(frontHits).toContain('/redirect');
    expect(statuses.at(-1)?.to).toBe('failed');
    expect(victimHits).toEqual([]);
  }, 30_000);

  it('does not fetch HLS segments from a refused host', async () => {
    const statuses = await attempt(`http://127.0.0.2:${front.port}/live.m3u8`);
    expect(frontHits).toContain('/live.m3u8');
    expect(statuses.at(-1)?.to).toBe('failed');
    expect(victimHits).toEqual([]);
  }, 30_000);
});
