import WebSocket from 'ws';
import { encodeFrameMessage } from '@trinetra/ingest';

/**
 * One person walking past an UPLOAD camera, streamed over the server's `/ingest` socket: the
 * composed frames of support/face-clip.ts until enough came back with a track, then the empty
 * scene until the track has ended. Shared by the server's anonymous-visit test and the
 * dashboard's journeys e2e, so both drive the real pipeline the same way.
 */

/** One frame result as the caller's `frameResults` subscription saw it. */
export interface FrameSeen {
  seq: number;
  tracks: number;
}

export interface FacePassOptions {
  /** The server's ingest socket, e.g. `ws://127.0.0.1:4000/ingest`. */
  ingestUrl: string;
  token: string;
  cameraId: string;
  /** The person's frames (composedFrames of support/face-clip.ts). */
  frames: readonly Buffer[];
  /** The scene with nobody in it (emptyFrame of support/face-clip.ts). */
  empty: Buffer;
  /** Frame results of this camera so far, from a `frameResults` subscription opened before the pass. */
  seen: () => readonly FrameSeen[];
  /** Results with a track to wait for: the identity vote needs 5 with a face; more for the worker's model load. */
  trackedFrames?: number;
  /** Extra text for a failure (what the worker or server said). */
  explain?: () => string;
}

const PERSON_INTERVAL_MS = 150;
const EMPTY_INTERVAL_MS = 120;
/** Results after the person left: the tracker drops a track after 30 lost frames; analytics closes its visit after 3 s unseen. */
const EMPTY_RESULTS = 35;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Streams one pass and resolves once the track has ended, so its zone visit is written (an EXIT
 * row) with the person key identity gave it meanwhile, and the next person on this camera is a
 * new track, not this one revived. Throws when too few results came back.
 */
export async function streamFacePass(o: FacePassOptions): Promise<void> {
  const trackedFrames = o.trackedFrames ?? 12;
  const explain = (): string => (o.explain ? `; ${o.explain()}` : '');
  const ws = new WebSocket(`${o.ingestUrl}?cameraId=${encodeURIComponent(o.cameraId)}&token=${encodeURIComponent(o.token)}`);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // Forth and back through the clip: the walker never jumps, so the tracker keeps one track.
    const cycle = 2 * (o.frames.length - 1);
    const at = (seq: number): Buffer => {
      const i = seq % cycle;
      return o.frames[i < o.frames.length ? i : cycle - i]!;
    };
    let seq = 0;
    const send = (jpeg: Buffer): void => {
      seq += 1;
      ws.send(encodeFrameMessage({ cameraId: o.cameraId, seq, captureTs: Date.now(), jpeg }));
    };
    const tracked = (): number => o.seen().filter((f) => f.tracks > 0).length;
    // Paced like a phone at ~7 fps; the worker loads its models on the first frames.
    while (tracked() < trackedFrames && seq < 300) {
      send(at(seq));
      await sleep(PERSON_INTERVAL_MS);
    }
    if (tracked() < trackedFrames) throw new Error(`only ${tracked()} of ${seq} frames had a track${explain()}`);
    const lastPersonSeq = seq;
    const after = (): number => o.seen().filter((f) => f.seq > lastPersonSeq).length;
    while (after() < EMPTY_RESULTS && seq < lastPersonSeq + 120) {
      send(o.empty);
      await sleep(EMPTY_INTERVAL_MS);
    }
    if (after() < EMPTY_RESULTS) {
      const results = o.seen().map((f) => `${f.seq}:${f.tracks}`).join(' ');
      throw new Error(`only ${after()} empty frames came back of ${seq - lastPersonSeq} sent (results ${results})${explain()}`);
    }
  } finally {
    ws.close();
  }
}
