'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import { useSessionStore } from '@/features/auth/hooks/use-session';
import { RateMeter, RollingQuantiles } from '@/features/live-view/domain/rate-meter';
import { apiEndpoints } from '@/lib/api-config';
import { IngestSocket, type IngestSocketState } from '../ingest/ingest-socket';

/** Options of {@link useFrameUploader}. */
export interface FrameUploaderOptions {
  readonly video: RefObject<HTMLVideoElement | null>;
  /** Camera to upload to; null pauses. */
  readonly cameraId: string | null;
  /** Upload only while true. */
  readonly active: boolean;
  /** Capture rate. Default 10 fps. */
  readonly fps?: number;
  /** Longest side of the uploaded JPEG. Default 640 px: enough for pose, small on a phone uplink. */
  readonly maxSide?: number;
  /** JPEG quality 0..1. Default 0.7. */
  readonly quality?: number;
}

export interface UploaderStats {
  readonly socket: IngestSocketState | 'idle';
  readonly socketDetail: string | null;
  readonly sentFps: number;
  readonly sent: number;
  readonly ackRttP50: number | null;
}

/** Where each uploaded frame was sent, so results can be timed end to end. */
export type SentFrames = Map<number, number>;

/**
 * Captures the video element at `fps` into JPEGs and sends them over the `/ingest` socket,
 * skipping frames while the link is busy. Returns live stats and the send times by sequence.
 */
export function useFrameUploader(options: FrameUploaderOptions): { stats: UploaderStats; sentFrames: SentFrames } {
  const { video, cameraId, active, fps = 10, maxSide = 640, quality = 0.7 } = options;
  const session = useSessionStore();
  const sentFrames = useRef<SentFrames>(new Map()).current;
  const [stats, setStats] = useState<UploaderStats>({ socket: 'idle', socketDetail: null, sentFps: 0, sent: 0, ackRttP50: null });

  useEffect(() => {
    if (!active || !cameraId) return undefined;
    const meter = new RateMeter();
    const ackRtt = new RollingQuantiles(50);
    let socketState: IngestSocketState = 'connecting';
    let socketDetail: string | null = null;
    let sent = 0;
    let seq = 0;
    let encoding = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    const socket = new IngestSocket({
      url: apiEndpoints().ingestUrl,
      cameraId,
      accessToken: () => session.getValidAccessToken(),
      onAck: (_ack, rtt) => ackRtt.add(rtt),
      onState: (state, detail) => {
        socketState = state;
        socketDetail = detail ?? null;
      },
    });
    void socket.open();

    const capture = () => {
      const v = video.current;
      if (!ctx || !v || encoding || v.readyState < 2 || v.videoWidth === 0 || !socket.hasRoom()) return;
      const scale = Math.min(1, maxSide / Math.max(v.videoWidth, v.videoHeight));
      const width = Math.round(v.videoWidth * scale);
      const height = Math.round(v.videoHeight * scale);
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      ctx.drawImage(v, 0, 0, width, height);
      const captureTs = Date.now();
      encoding = true;
      canvas.toBlob((blob) => {
        if (!blob) {
          encoding = false;
          return;
        }
        void blob.arrayBuffer().then((bytes) => {
          encoding = false;
          const frameSeq = seq;
          if (socket.send({ cameraId, seq: frameSeq, captureTs, jpeg: new Uint8Array(bytes) })) {
            seq += 1;
            sent += 1;
            const now = performance.now();
            meter.tick(now);
            sentFrames.set(frameSeq, now);
            if (sentFrames.size > 200) {
              const oldest = sentFrames.keys().next().value;
              if (oldest !== undefined) sentFrames.delete(oldest);
            }
          }
        });
      }, 'image/jpeg', quality);
    };
    const captureTimer = setInterval(capture, 1000 / fps);
    const statsTimer = setInterval(() => {
      setStats({ socket: socketState, socketDetail, sentFps: meter.rate(performance.now()), sent, ackRttP50: ackRtt.quantile(0.5) });
    }, 500);
    return () => {
      clearInterval(captureTimer);
      clearInterval(statsTimer);
      socket.close();
      setStats((s) => ({ ...s, socket: 'idle', sentFps: 0 }));
    };
  }, [active, cameraId, fps, maxSide, quality, video, session, sentFrames]);

  return { stats, sentFrames };
}
