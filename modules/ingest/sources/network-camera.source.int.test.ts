import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import type { SourceStatus, SourceStatusChange } from '../domain/frame-source';
import type { SourceFrame } from '../domain/source-frame';
import { NetworkCameraSource } from './network-camera.source';

/** An HTTP MJPEG camera (multipart/x-mixed-replace) the test can pause, kill and restart. */
class MjpegTestCamera {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  sending = true;
  port = 0;
  requests: string[] = [];

  constructor(
    private readonly jpeg: Buffer,
    private readonly basicAuth?: string,
  ) {}

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.headers.authorization ?? '');
      if (this.basicAuth && req.headers.authorization !== `Basic ${Buffer.from(this.basicAuth).toString('base64')}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="camera"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=frame', 'Cache-Control': 'no-cache' });
      this.clients.add(res);
      res.on('close', () => this.clients.delete(res));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    this.timer = setInterval(() => {
      if (!this.sending) return;
      for (const res of this.clients) {
        res.write(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${this.jpeg.length}\r\n\r\n`);
        res.write(this.jpeg);
        res.write('\r\n');
      }
    }, 40);
  }

  async kill(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}

function until(statuses: SourceStatusChange[], predicate: (s: SourceStatus[]) => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = setInterval(() => {
      if (predicate(statuses.map((s) => s.to))) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(tick);
        reject(new Error(`timed out; statuses so far: ${statuses.map((s) => s.to).join(' -> ')}`));
      }
    }, 20);
  });
}

const lastIs = (status: SourceStatus) => (s: SourceStatus[]) => s[s.length - 1] === status;

describe('NetworkCameraSource against a local HTTP MJPEG camera', () => {
  let jpeg: Buffer;
  let camera: MjpegTestCamera;
  let source: NetworkCameraSource | null = null;

  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 160, height: 120, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
  });

  beforeEach(async () => {
    camera = new MjpegTestCamera(jpeg);
    await camera.start();
  });

  afterEach(async () => {
    await source?.stop();
    source = null;
    await camera.kill();
  });

  function open(url: string, extra: Partial<ConstructorParameters<typeof NetworkCameraSource>[0]> = {}) {
    const frames: SourceFrame[] = [];
    const statuses: SourceStatusChange[] = [];
    source = new NetworkCameraSource({
      cameraId: 'net-cam',
      url,
      stallTimeoutMs: 700,
      connectTimeoutMs: 2000,
      reconnect: { baseDelayMs: 100, maxDelayMs: 400, random: () => 0.5 },
      ...extra,
    });
    source.subscribe({ onFrame: (f) => frames.push(f), onStatus: (s) => statuses.push(s) });
    return { frames, statuses, source };
  }

  it('goes live, stalls when the camera stops sending, and comes back', async () => {
    const { frames, statuses, source: s } = open(`http://127.0.0.1:${camera.port}/video`);
    await s.start();
    await until(statuses, lastIs('live'));
    await new Promise((r) => setTimeout(r, 300));
    expect(frames.length).toBeGreaterThan(2);
    expect(frames[0]).toMatchObject({ cameraId: 'net-cam', seq: 0, width: 160, height: 120 });

    camera.sending = false;
    await until(statuses, (st) => st.includes('stalled'));
    camera.sending = true;
    await until(statuses, (st) => st.lastIndexOf('live') > st.indexOf('stalled'));
    expect(statuses.map((c) => c.to)).toEqual(['connecting', 'live', 'stalled', 'reconnecting', 'connecting', 'live']);
    const seqs = frames.map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(frames.every((f, i) => i === 0 || f.captureTs > frames[i - 1]!.captureTs)).toBe(true);
  }, 30_000);

  it('reconnects with backoff while the camera is down and goes live when it restarts', async () => {
    const { statuses, source: s } = open(`http://127.0.0.1:${camera.port}/video`);
    await s.start();
    await until(statuses, lastIs('live'));
    const port = camera.port;
    await camera.kill();
    await until(statuses, (st) => st.filter((x) => x === 'reconnecting').length >= 3);
    camera = new MjpegTestCamera(jpeg);
    await camera.start(port);
    await until(statuses, (st) => st.lastIndexOf('live') > st.indexOf('reconnecting'));
    const retries = statuses.filter((c) => c.to === 'reconnecting');
    expect(retries.map((c) => c.attempt)).toEqual(retries.map((_, i) => i + 1));
    // Full jitter with random() = 0.5: half of min(400, 100 * 2^(n-1)).
    expect(retries.slice(0, 3).map((c) => c.retryInMs)).toEqual([50, 100, 200]);
    const seq = statuses.map((c) => c.to);
    expect(seq.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
    expect(seq.at(-1)).toBe('live');
  }, 30_000);

  it('fails once the retry budget is spent', async () => {
    const port = camera.port;
    await camera.kill();
    const { statuses, source: s } = open(`http://127.0.0.1:${port}/video`, { reconnect: { baseDelayMs: 20, maxAttempts: 2, random: () => 0.5 } });
    await s.start();
    await until(statuses, lastIs('failed'));
    expect(statuses.map((c) => c.to)).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'failed']);
  }, 30_000);

  it('refuses to connect when beforeConnect (the SSRF guard) throws', async () => {
    const { statuses, source: s } = open(`http://127.0.0.1:${camera.port}/video`, { beforeConnect: async () => { throw new Error('address blocked'); } });
    await s.start();
    expect(statuses.map((c) => c.to)).toEqual(['connecting', 'failed']);
    expect(camera.requests).toHaveLength(0);
  });

  it('never puts credentials in status details', async () => {
    await camera.kill();
    camera = new MjpegTestCamera(jpeg, 'admin:hunter2');
    await camera.start();
    const { statuses, source: s } = open(`http://admin:hunter2@127.0.0.1:${camera.port}/video`);
    await s.start();
    await until(statuses, lastIs('live'));
    expect(camera.requests.at(-1)).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    expect(JSON.stringify(statuses)).not.toContain('hunter2');
    expect(statuses[0]?.detail).toBe(`http://***@127.0.0.1:${camera.port}/video`);
  }, 30_000);
});
