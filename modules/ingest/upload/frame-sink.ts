import type { DropReason } from '@trinetra/shared';
import type { CameraTier } from '@trinetra/shared';
import type { SourceFrame } from '../domain/source-frame';

/** The camera a frame came from, as the upload socket authorized it. */
export interface FrameSinkContext {
  tenantId: string;
  cameraId: string;
  tier: CameraTier;
  /** The camera's configured target fps (admission's token-bucket rate). */
  targetFps?: number;
}

/** What became of a submitted frame. */
export interface FrameSinkResult {
  admitted: boolean;
  reason?: DropReason;
  /**
   * Close the connection after this frame's ack (e.g. 4421: another server replica owns the
   * camera, docs/ingest-protocol.md). The frame was not admitted.
   */
  close?: { code: number; reason: string };
}

/**
 * Where uploaded frames go: admission, then the control plane's pending buffer. The upload
 * socket knows only this; the composition root decides what is behind it.
 */
export interface FrameSink {
  submit(frame: SourceFrame, ctx: FrameSinkContext): Promise<FrameSinkResult>;
}
