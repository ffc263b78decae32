/**
 * A reconnecting upload socket for one camera: sends encoded frames when the link has room
 * (latest wins on the client: a frame that cannot go now is skipped, never queued), reports
 * acks with their round-trip time.
 */
import { decodeIngestAck, encodeIngestFrame, ingestSocketUrl, type IngestAck, type IngestFrame } from './ingest-frame-codec';

export type IngestSocketState = 'connecting' | 'open' | 'closed';

/** Options of {@link IngestSocket}. */
export interface IngestSocketOptions {
  readonly url: string;
  readonly cameraId: string;
  /** Fresh access token for each (re)connection. */
  readonly accessToken: () => Promise<string | null>;
  readonly onAck?: (ack: IngestAck, roundTripMs: number) => void;
  readonly onState?: (state: IngestSocketState, detail?: string) => void;
  /**
   * Frames sent but not yet acked beyond which new frames are skipped. Default 2: more hides
   * latency behind a queue, fewer halves throughput on a slow uplink.
   */
  readonly maxUnacked?: number;
  /** Socket send-buffer bytes beyond which new frames are skipped. Default 512 KiB. */
  readonly maxBufferedBytes?: number;
  /**
   * A frame not acked within this long stops counting as unacked. Default 2000 ms, so a lost
   * ack (or a server that does not ack) slows the upload instead of stopping it.
   */
  readonly ackTimeoutMs?: number;
}

export class IngestSocket {
  private socket: WebSocket | null = null;
  private closedByUser = false;
  private retries = 0;
  private readonly sentAt = new Map<number, number>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: IngestSocketOptions) {}

  async open(): Promise<void> {
    this.closedByUser = false;
    this.options.onState?.('connecting');
    const token = await this.options.accessToken();
    if (this.closedByUser) return;
    const socket = new WebSocket(ingestSocketUrl(this.options.url, this.options.cameraId, token ?? ''));
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.retries = 0;
      this.options.onState?.('open');
    };
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      const ack = decodeIngestAck(event.data);
      if (!ack) return;
      const sent = this.sentAt.get(ack.seq);
      this.sentAt.delete(ack.seq);
      for (const seq of this.sentAt.keys()) if (seq < ack.seq) this.sentAt.delete(seq);
      if (sent !== undefined) this.options.onAck?.(ack, performance.now() - sent);
    };
    socket.onclose = (event) => {
      this.socket = null;
      this.sentAt.clear();
      this.options.onState?.('closed', event.reason || `code ${event.code}`);
      if (this.closedByUser) return;
      const delay = Math.min(5000, 300 * 2 ** this.retries++);
      this.retryTimer = setTimeout(() => void this.open(), delay);
    };
    this.socket = socket;
  }

  /** True when a frame sent now would go out at once. */
  hasRoom(): boolean {
    const expiredBefore = performance.now() - (this.options.ackTimeoutMs ?? 2000);
    for (const [seq, at] of this.sentAt) if (at < expiredBefore) this.sentAt.delete(seq);
    const s = this.socket;
    return !!s && s.readyState === WebSocket.OPEN &&
      this.sentAt.size < (this.options.maxUnacked ?? 2) &&
      s.bufferedAmount < (this.options.maxBufferedBytes ?? 512 * 1024);
  }

  /** Sends the frame if there is room; returns whether it was sent. */
  send(frame: IngestFrame): boolean {
    if (!this.hasRoom() || !this.socket) return false;
    this.socket.send(encodeIngestFrame(frame));
    this.sentAt.set(frame.seq, performance.now());
    return true;
  }

  close(): void {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'client closed');
    this.socket = null;
  }
}
