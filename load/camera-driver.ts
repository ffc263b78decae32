import { performance } from 'node:perf_hooks';
import { ApiError, gql, opened, wsUrlOf, type Endpoints, type SubscriptionClient } from './api-client';
import type { LoadTier } from './scenario';

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const DELETE = `mutation($id: ID!) { deleteCamera(id: $id) { id } }`;
const RESULTS = `subscription($id: ID!) { frameResults(cameraId: $id) { seq } }`;
const EVENTS = `subscription($id: ID) { pipelineEventAdded(cameraId: $id) { kind cameraId seq reason } }`;

/** Counts of one camera's run; `latenciesMs` are upload -> result on the subscription. */
export interface CameraStats {
  cameraId: string;
  tier: LoadTier;
  sent: number;
  admitted: number;
  results: number;
  /** Refused at the socket (ack `admitted: false`), by reason. */
  refusedByReason: Record<string, number>;
  /** Admitted, then dropped by the pipeline (`frame_dropped` events), by reason. */
  droppedByReason: Record<string, number>;
  latenciesMs: number[];
}

/**
 * One camera as a phone or an integration runs it: an UPLOAD camera created through the API,
 * frames sent over its own `/ingest` socket (docs/ingest-protocol.md), results read from its
 * own `frameResults` subscription. Frames sent before `measureFrom` (warm-up, while the
 * subscription settles) are uploaded but not counted.
 */
export class CameraDriver {
  readonly stats: CameraStats;
  private socket: WebSocket | null = null;
  private seq = 0;
  private measureFrom = Number.POSITIVE_INFINITY;
  /** performance.now() at send, by seq, of counted frames still waiting for a result. */
  private readonly sentAt = new Map<number, number>();
  /** Counted frames admitted and not yet answered or dropped: a drop event counts only for these. */
  private readonly admittedSeqs = new Set<number>();

  private constructor(
    private readonly endpoints: Endpoints,
    readonly cameraId: string,
    readonly tier: LoadTier,
  ) {
    this.stats = { cameraId, tier, sent: 0, admitted: 0, results: 0, refusedByReason: {}, droppedByReason: {}, latenciesMs: [] };
  }

  static async create(endpoints: Endpoints, name: string, tier: LoadTier, fps: number): Promise<CameraDriver> {
    const input = { name, sourceKind: 'UPLOAD', tier, targetFps: fps, perception: 'SCENE' };
    const { createCamera } = await gql<{ createCamera: { id: string } }>(endpoints, CREATE, { input });
    await gql(endpoints, START, { id: createCamera.id });
    return new CameraDriver(endpoints, createCamera.id, tier);
  }

  /** Subscribes to results and drop events, then opens the upload socket and waits for `ready`. */
  async connect(subscriptions: SubscriptionClient): Promise<void> {
    subscriptions.subscribe(RESULTS, { id: this.cameraId }, (data) => this.onResult((data as { frameResults: { seq: number } }).frameResults.seq));
    subscriptions.subscribe(EVENTS, { id: this.cameraId }, (data) => {
      const e = (data as { pipelineEventAdded: { kind: string; cameraId: string | null; seq: number | null; reason: string | null } }).pipelineEventAdded;
      if ((e.kind !== 'frame_dropped' && e.kind !== 'deadline_missed') || e.cameraId !== this.cameraId || e.seq === null || !this.admittedSeqs.delete(e.seq))
        return;
      this.sentAt.delete(e.seq);
      count(this.stats.droppedByReason, e.reason ?? 'unknown');
    });
    // The credential travels as a subprotocol, not in the URL (which proxies log).
    const socket = new WebSocket(wsUrlOf(this.endpoints.apiUrl, `/ingest?cameraId=${encodeURIComponent(this.cameraId)}`), [
      'trinetra-ingest.v1',
      `bearer.${this.endpoints.token}`,
    ]);
    socket.binaryType = 'arraybuffer';
    const ready = new Promise<void>((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const msg = JSON.parse(event.data) as { type: string; seq?: number; admitted?: boolean; reason?: string };
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'ack' && msg.seq !== undefined && msg.seq >= this.measureFrom) {
          if (msg.admitted) {
            this.stats.admitted += 1;
            // A result may come before its ack (different sockets): then it is already counted.
            if (this.sentAt.has(msg.seq)) this.admittedSeqs.add(msg.seq);
          } else {
            this.sentAt.delete(msg.seq);
            count(this.stats.refusedByReason, msg.reason ?? 'unknown');
          }
        }
      });
      socket.addEventListener('close', (e) => reject(new ApiError(`/ingest for ${this.cameraId} closed ${e.code} ${e.reason}`)), { once: true });
    });
    await opened(socket, `/ingest for ${this.cameraId}`);
    await ready;
    this.socket = socket;
  }

  startMeasuring(): void {
    this.measureFrom = this.seq + 1;
  }

  /** Sends one frame (the protocol's 14-byte little-endian header, the camera id, the JPEG). */
  send(jpeg: Buffer): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.seq += 1;
    const id = Buffer.from(this.cameraId, 'utf8');
    const message = Buffer.allocUnsafe(14 + id.length + jpeg.length);
    message.writeUInt8(1, 0);
    message.writeUInt8(id.length, 1);
    message.writeUInt32LE(this.seq, 2);
    message.writeDoubleLE(Date.now(), 6);
    id.copy(message, 14);
    jpeg.copy(message, 14 + id.length);
    if (this.seq >= this.measureFrom) {
      this.stats.sent += 1;
      this.sentAt.set(this.seq, performance.now());
    }
    this.socket.send(message);
  }

  /** Closes the socket, stops and deletes the camera (best effort: the run's figures are kept either way). */
  async dispose(): Promise<void> {
    this.socket?.close(1000);
    for (const mutation of [STOP, DELETE]) {
      await gql(this.endpoints, mutation, { id: this.cameraId }).catch((error: unknown) => {
        process.stderr.write(`load: cleaning up camera ${this.cameraId}: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
  }

  private onResult(seq: number): void {
    const at = this.sentAt.get(seq);
    if (at === undefined) return;
    this.sentAt.delete(seq);
    this.admittedSeqs.delete(seq);
    this.stats.results += 1;
    this.stats.latenciesMs.push(performance.now() - at);
  }
}

function count(counts: Record<string, number>, reason: string): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}
